"""An operator finds a measure's history in the Django admin (issue 7 §1, journey 5), in a real Chromium.

The demo's staff account admin@example.org logs in at /admin/ (allauth's login, then its two-factor step with
the code of the account's TOTP device, computed here as an authenticator app would), searches the measure, opens
it and its history, and sees who changed what: the audit rows the portal writes when an editor saves the
measure, with the editor's name and account, each field's German label and the values before and after as the
portal shows them. The admin is German for a German operator; no page loads anything from another host or
logs a console error (simple_history's own list set a style attribute the Content-Security-Policy blocks).
The history is kept as docs/screenshots/admin-measure-history.png.
"""

import time

import pytest
from django.db import connections
from django.utils import translation
from django.utils.text import capfirst

from tests.browser.helpers import PASSWORD, SCREENSHOTS, assert_clean, phone_screenshot, submit

pytestmark = pytest.mark.browser

BALKON_PV = "Balkon-PV für Mieter*innen"
SUMMARY = "Bis zu 400 Euro Zuschuss für Steckersolargeräte, jetzt auch für Wohnungsgesellschaften."


def totp_code(email: str) -> str:
    """The current code of the account's authenticator, as the operator's app shows it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    device = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return format_hotp_value(hotp_value(decrypt(device.data["secret"]), int(time.time()) // 30))


def test_operator_finds_who_changed_a_measure_in_the_admin(demo_data, browsing):
    from measures.models import Measure
    from measures.services import measure_save
    from networks.models import Person

    # An editor changed the measure in the portal: the service writes the history row with who it was.
    measure = Measure.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", code="PH-01")
    before_summary, before_status = measure.summary, measure.status
    assert before_status != Measure.Status.PAUSED
    editor = Person.objects.get(user__email="dueren.redaktion@example.org")
    measure.summary, measure.status = SUMMARY, Measure.Status.PAUSED
    measure_save(measure=measure, by=editor)
    with translation.override("de"):
        labels = {name: str(capfirst(Measure._meta.get_field(name).verbose_name)) for name in ("summary", "status")}
        statuses = [str(Measure.Status(before_status).label), str(Measure.Status.PAUSED.label)]

    page = browsing.page
    try:
        page.goto(browsing.url("/admin/"))  # the operator's bookmark: to the login first
        page.wait_for_url("**/konto/login/?next=*admin*")
        form = page.locator("form", has=page.locator("input[name=login]"))
        form.locator("input[name=login]").fill("admin@example.org")
        form.locator("input[name=password]").fill(PASSWORD)
        submit(page, form.locator("button[type=submit]"))
        page.wait_for_url("**/konto/2fa/authenticate/")
        page.locator("input[name=code]").fill(totp_code("admin@example.org"))
        submit(page, page.locator("main form button[type=submit]").first)
        page.wait_for_url("**/admin/")
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("#site-name").inner_text() == "Klimanetz-Administration"

        # Measures → search → the measure → its history.
        page.locator("tr.model-measure th a").click()
        page.wait_for_url("**/admin/measures/measure/")
        page.locator("#searchbar").fill("Balkon")
        submit(page, page.locator("#changelist-search [type=submit]"))
        # Düren's measure and Troisdorf's copy of it from the measure library (issue 17): the roadmap tells them apart.
        results = page.locator("#result_list tbody tr")
        assert results.count() == 2
        results.filter(has_text=measure.roadmap.title).locator("th a").click()
        page.wait_for_url(f"**/admin/measures/measure/{measure.pk}/change/**")
        assert page.locator("input[name=title]").input_value() == BALKON_PV
        page.locator("a.historylink").click()
        page.wait_for_url(f"**/admin/measures/measure/{measure.pk}/history/**")
        assert page.locator("h1").inner_text() == f"Verlauf von PH-01 {BALKON_PV}"

        # The newest entry: when, who (name and account), each changed field before and after, in German.
        latest = page.locator("#change-history .history-entry").first
        header = latest.locator("table.history-changes thead th").all_inner_texts()
        assert [text.strip().lower() for text in header] == ["feld", "vorher", "nachher"]
        assert latest.locator("time").get_attribute("datetime")
        assert latest.locator(".history-who").inner_text() == "Paul Schneider"
        assert latest.locator(".history-account").get_by_role("link", name="dueren.redaktion@example.org").is_visible()
        changes = {
            row.locator("th").inner_text(): row.locator("td").all_inner_texts()
            for row in latest.locator("table.history-changes tbody tr").all()
        }
        assert changes == {labels["summary"]: [before_summary, SUMMARY], labels["status"]: statuses}
        # Older entries go back to the measure's creation; nothing offers to revert.
        assert page.locator("#change-history .history-entry").count() >= 3
        assert "wiederherzustellen" not in page.locator("#content").inner_text()
        assert "None" not in page.locator("#content").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "admin-measure-history.png"), full_page=True)
        phone_screenshot(page, "admin-measure-history", fits=False)  # the Django admin is not made for phones
        assert_clean(browsing)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or
        # PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()
