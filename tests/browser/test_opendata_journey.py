"""A journalist filters Düren's measures and downloads what she sees (issue 16 §4, §5), in a real Chromium, on the
demo data.

The measure list: a search for "Waerme" finds the heat measures (Wärme), two statuses at once; the CSV link
carries the filters and the file, read as German Excel reads a double-clicked CSV (UTF-8 BOM, ";", decimal
comma), has the same measures in the right columns; a phone's caption does not speak of column headers; printing
the roadmap shows the chart tables and no comment prompt. axe-core finds no violation on the filtered list.
Screenshots (SCREENSHOTS=1): measure-list-filtered.png and phone-measure-list-filtered.png.
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, phone_screenshot
from tests.browser.test_accessibility import ROADMAP, violations

pytestmark = pytest.mark.browser


def _german_excel(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_journalist_filters_and_downloads_what_she_sees(demo_data, browsing):
    page = browsing.page
    page.goto(browsing.url(ROADMAP + "massnahmen/"))
    form = page.locator("form.measure-filter")
    form.get_by_label("Suche").fill("Waerme")
    form.locator("summary", has_text="Status").click()
    form.get_by_label("In Umsetzung").check()
    form.get_by_label("Geplant").check()
    form.get_by_role("button", name="Maßnahmen anzeigen").click()
    page.wait_for_url("**/massnahmen/?*")
    assert "status=in_progress" in page.url and "status=planned" in page.url
    rows = page.locator("table.measure-table tbody tr")
    shown = [rows.nth(i).locator("td.measure-code").inner_text() for i in range(rows.count())]
    assert shown, "the search for Waerme finds the heat measures"
    assert all("Wärme" in rows.nth(i).inner_text() or "wärme" in rows.nth(i).inner_text() for i in range(len(shown)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "measure-list-filtered.png"), full_page=True)
    assert page.locator(".caption-wide").is_visible() and not page.locator(".caption-narrow").is_visible()

    with page.expect_download() as download_info:
        page.locator(".download-links").get_by_role("link", name="CSV für Excel").click()
    download = download_info.value
    assert "-gefiltert-" in download.suggested_filename
    rows_csv = _german_excel(Path(download.path()).read_bytes())
    assert [row["Kennung"] for row in rows_csv] == shown  # what I see is what I get
    assert {row["Status-Code"] for row in rows_csv} <= {"in_progress", "planned"}
    assert {row["Status"] for row in rows_csv} <= {"In Umsetzung", "Geplant"}
    for row in rows_csv:
        effect = row["Erwartete Wirkung (t CO2e/a)"]
        if effect:
            Decimal(effect.replace(".", "").replace(",", "."))  # a German number Excel reads as one

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator(".caption-narrow").is_visible() and not page.locator(".caption-wide").is_visible()
    phone_screenshot(page, "measure-list-filtered")
    assert violations(browsing, page.url.split(browsing.base_url, 1)[1]) == []

    page.goto(browsing.url(ROADMAP))
    page.emulate_media(media="print")
    tables = page.locator("table.chart-table")
    assert tables.count() > 0 and tables.first.is_visible(), "printed charts come with their values"
    assert page.locator(".chart-canvas").first.is_hidden()
    hidden = "els => els.every(e => getComputedStyle(e).display === 'none')"
    assert page.locator("form, .follow, .comment-form").evaluate_all(hidden), "no form or prompt on paper"
    page.emulate_media(media="screen")
    assert_clean(browsing)
