"""A citizen registers for a public event without an account (issue 16 §1), in a real Chromium, on the demo data.

From the home page through "Veranstaltungen" to the Kreis Düren's Bürgerwerkstatt: the page gives the full
address with room, access and transit notes and a map link (a link to OpenStreetMap, nothing loaded from
there); the citizen registers with name and email, confirms with the link from the email, is registered and
finds the cancel link in the confirmation; the coordinator sees the registration marked "ohne Konto"; the
citizen cancels with the link and then erases her data from "Ihre Daten" (the same link). axe-core finds no
violation on the public event page, the registration form with its errors, and the confirm, cancel and data
pages. Screenshots (SCREENSHOTS=1): public-event.png and
phone-public-event.png.
"""

import pytest

from tests.browser.helpers import (
    SCREENSHOTS,
    assert_clean,
    log_in,
    log_out,
    outbox_link,
    phone_screenshot,
    submit,
)
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

TITLE = "Bürgerwerkstatt Klima-Roadmap: Die kleinen Dinge vor der Haustür"
EMAIL = "erika.muster@example.org"


def test_citizen_registers_without_an_account_confirms_and_cancels(demo_data, browsing):
    from events.models import Registration

    page = browsing.page
    page.goto(browsing.url("/"))
    page.locator('header a[href="/veranstaltungen/"]').first.click()  # the main navigation's events
    page.wait_for_url("**/veranstaltungen/")
    page.get_by_role("link", name=TITLE, exact=True).first.click()
    page.wait_for_url("**/termine/*/")
    event_path = page.url.split(browsing.base_url, 1)[1]
    main = page.locator("main")
    text = main.inner_text()
    for fact in ("Kreishaus Düren", "Großer Sitzungssaal", "Bismarckstraße 16", "52351 Düren", "Stufenloser Zugang"):
        assert fact in text, fact
    assert "Bahnhof Düren" in text
    osm = main.get_by_role("link", name="Auf der Karte zeigen (OpenStreetMap)")
    assert osm.get_attribute("href").startswith("https://www.openstreetmap.org/search?query=")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "public-event.png"), full_page=True)
    phone_screenshot(page, "public-event")

    # A mistake first: the form keeps what was typed and says what is missing.
    form = page.locator("form.guest-form")
    form.get_by_label("Ihr Name").fill("Erika Muster")
    form.get_by_label("Ihre E-Mail-Adresse").fill("erika.muster@")
    submit(page, form.locator("button[type=submit]"))
    assert page.locator("input[name=name]").input_value() == "Erika Muster"
    assert page.locator(".field-invalid").count() >= 2  # the address and the consent
    # the form's answer was a 400 on purpose (the browser logs it): nothing else may have failed
    browsing.console_errors[:] = [e for e in browsing.console_errors if "status of 400" not in e]
    found = violations(browsing, page.url.split(browsing.base_url, 1)[1])  # the registration page (GET)
    form = page.locator("form.guest-form")
    form.get_by_label("Ihr Name").fill("Erika Muster")
    form.get_by_label("Ihre E-Mail-Adresse").fill(EMAIL)
    form.locator("input[name=consent]").check()
    submit(page, form.locator("button[type=submit]"))
    assert "Wir haben eine E-Mail an erika.muster@example.org gesendet" in page.locator("main").inner_text()
    assert Registration.objects.get(guest_email=EMAIL).status == "pending"

    # The link in the email: a page with a button (a mail scanner's visit confirms nothing).
    page.goto(browsing.url(outbox_link(EMAIL, "event_guest_verify", r"/veranstaltungen/anmeldung/[^/\s]+/")))
    found += violations(browsing, page.url.split(browsing.base_url, 1)[1])
    submit(page, page.get_by_role("button", name="Anmeldung bestätigen"))
    assert "Sie sind angemeldet" in page.locator("main").inner_text()
    assert Registration.objects.get(guest_email=EMAIL).status == "registered"
    cancel = outbox_link(EMAIL, "event_confirmation", r"/veranstaltungen/anmeldung/[^/\s]+/abmelden/")

    # The coordinator sees the registration without an account.
    log_in(browsing, "dueren.koordination@example.org")
    page.goto(browsing.url(event_path + "teilnehmende/"))
    row = page.locator("tr", has_text="Erika Muster")
    assert "ohne Konto" in row.inner_text() and EMAIL in row.inner_text()
    log_out(browsing)

    # The citizen gives the place back with the link from the confirmation.
    page.goto(browsing.url(cancel))
    found += violations(browsing, cancel)
    submit(page, page.get_by_role("button", name="Von der Veranstaltung abmelden"))
    assert "Sie haben sich von" in page.locator("main").inner_text()
    assert Registration.objects.get(guest_email=EMAIL).status == "cancelled"

    # Her data, through the same link: what is stored, and erased at once (the privacy page says how)
    page.get_by_role("link", name="Ihre Daten: ansehen, herunterladen, löschen").click()
    page.wait_for_url("**/meine-daten/")
    assert EMAIL in page.locator("main dl").inner_text()
    found += violations(browsing, page.url.split(browsing.base_url, 1)[1])
    submit(page, page.get_by_role("button", name="Meine Daten jetzt löschen"))
    assert "Link funktioniert nicht mehr" in page.locator("main").inner_text()
    assert not Registration.objects.filter(guest_email=EMAIL).exists()

    found += violations(browsing, event_path)
    assert found == [], "\n".join(found)
    assert_clean(browsing)
