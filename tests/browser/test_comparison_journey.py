"""Comparison with similar municipalities as a new user tries it (issue 17 "Done when"), in a real Chromium.

Troisdorf's editor (nkk.mitglied) goes from the monitoring pages of Stadt Troisdorf to its comparison page: its
figures per inhabitant stand among the towns of its size class (50,000 to 99,999 inhabitants), each with the
median and quartiles of the group, its position in words and a chart with its table; then the editor picks the
NKK as peer group, where only four municipalities publish figures: no statistics, and a sentence says why.
At 390 px the page fits the screen. Strings are looked up by structure (ids, data attributes, select values).
"""

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, phone_screenshot, submit

pytestmark = pytest.mark.browser

MONITORING = "/organisationen/stadt-troisdorf/monitoring/"


@pytest.mark.django_db(transaction=True)
def test_troisdorf_among_its_size_class_and_a_group_of_four(browsing, demo_data):
    page = browsing.page
    log_in(browsing, "nkk.mitglied@example.org")
    page.goto(browsing.url(MONITORING))
    page.locator("nav.sidebar a[href$='/stadt-troisdorf/vergleich/']").click()
    page.wait_for_url("**/stadt-troisdorf/vergleich/")

    # The size class is the default group: the total per inhabitant with the group's quartiles, in words.
    assert page.locator("select[name=gruppe]").input_value() == "size"
    total = page.locator("tr[data-figure='ghg-total']")
    cells = total.locator("td.num")
    assert cells.count() == 5  # Troisdorf, lower quartile, median, upper quartile, organisations
    assert int(cells.nth(4).inner_text()) >= 30  # the demo towns of the size class publish
    assert page.locator("ul.comparison-positions li").count() >= 5
    assert page.locator("#chart-comparison-position").count() == 1
    assert page.locator("#chart-comparison-position table.chart-table tbody tr").count() >= 5
    if SCREENSHOTS.exists():
        page.screenshot(path=str(SCREENSHOTS / "comparison-troisdorf.png"), full_page=True)
    phone_screenshot(page, "comparison-troisdorf")

    # The NKK as peer group: four municipalities publish, so no statistics.
    page.locator("select[name=gruppe]").select_option("network-nkk-koeln-bonn")
    submit(page, page.locator("form.comparison-picker button[type=submit]"))
    assert "gruppe=network-nkk-koeln-bonn" in page.url
    assert page.locator("#comparison-no-statistics").is_visible()
    assert page.locator("td.no-statistics").count() >= 1
    assert page.locator("ul.comparison-positions").count() == 0
    assert page.locator("#chart-comparison-position").count() == 0
    assert_clean(browsing)
