"""A citizen finds her way through Düren's roadmap and one measure, and writes to its contact person (issue 16 §1),
in a real Chromium, on the demo data, at 1280 and at 390 px.

1. The roadmap: the table of contents leads to the gap to the target (the sentence with the measures' range and what
   is missing, the chart with its table), the network that carries the roadmap is linked, and its profile links
   back; no internal short name of the network on the page.
2. The measure "Balkon-PV für Mieter*innen": its links (apply for funding), its contact person without an address,
   "last changed", related measures and the way to the next measure.
3. buerger@example.org signs in, writes to the contact person and agrees to be answered: a clear confirmation, one
   email in the outbox with Reply-To, the contact's address never on a page.
axe-core finds no violation on the roadmap, the measure page and the contact form, at both widths. Screenshots
(SCREENSHOTS=1): roadmap-overview.png, measure-page.png and their phone- twins.
"""

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, phone_screenshot, submit
from tests.browser.test_accessibility import ROADMAP, violations

pytestmark = pytest.mark.browser

MEASURE = ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/"
CITIZEN = "buerger@example.org"


def _on_a_phone(browsing, path: str, name: str) -> None:
    """The page loaded at 390 px (the charts draw for that width from the start), shot and checked for sideways
    scrolling, then back at the desktop size."""
    browsing.page.set_viewport_size({"width": 390, "height": 844})
    browsing.page.goto(browsing.url(path))
    phone_screenshot(browsing.page, name)
    browsing.page.set_viewport_size({"width": 1280, "height": 900})


def _axe_at_both_widths(browsing, path: str) -> list[str]:
    found = violations(browsing, path)
    browsing.page.set_viewport_size({"width": 390, "height": 844})
    try:
        found += violations(browsing, path)
    finally:
        browsing.page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_citizen_reads_the_gap_and_writes_to_a_measures_contact(demo_data, browsing):
    from measures.models import ContactMessage, Measure
    from networks.models import OutboxMessage

    page = browsing.page
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The roadmap: table of contents → the gap to the target.
    page.goto(browsing.url(ROADMAP))
    toc = page.locator("nav.page-toc")
    assert toc.is_visible()
    assert toc.locator("a").count() >= 6
    toc.locator('a[href="#gap"]').click()
    page.wait_for_url("**#gap")
    gap = page.locator("#gap")
    assert gap.is_visible()
    sentence = gap.locator(".gap-sentence").inner_text()
    assert sentence.startswith("Die geplanten Maßnahmen sparen zusammen") and "t CO₂e im Jahr" in sentence
    assert "fehlen noch" in sentence or "genug" in sentence
    assert gap.locator("table.chart-table").count() == 1
    for anchor in toc.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href').slice(1))"):
        assert page.locator(f'[id="{anchor}"]').count() == 1, anchor
    assert "Klima-Roadmap DN" not in page.locator("main").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "roadmap-overview.png"), full_page=True)
    _on_a_phone(browsing, ROADMAP, "roadmap-overview")

    # The network that carries the roadmap, and back.
    page.locator(".roadmap-network a").first.click()
    page.wait_for_url("**/netzwerke/klima-roadmap-kreis-dueren/")
    page.locator(f'main a[href="{ROADMAP}"]').first.click()
    page.wait_for_url(f"**{ROADMAP}")

    # 2. The measure page.
    page.goto(browsing.url(MEASURE))
    assert page.locator("h1").inner_text() == "Balkon-PV für Mieter*innen"
    links = page.locator("#links a")
    assert links.count() >= 1 and links.first.get_attribute("href").startswith("https://")
    contact = page.locator("#contact")
    assert contact.is_visible()
    measure = Measure.objects.select_related("responsible_person__user").get(
        code="PH-01", roadmap__slug="klima-roadmap-kreis-dueren"
    )
    address = measure.responsible_person.user.email
    assert address not in page.content()
    assert page.locator("#related li").count() >= 1
    assert page.locator(".measure-pager a[rel=next]").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "measure-page.png"), full_page=True)
    _on_a_phone(browsing, MEASURE, "measure-page")
    assert _axe_at_both_widths(browsing, ROADMAP) == []
    assert _axe_at_both_widths(browsing, MEASURE) == []

    # 3. Signed in, she writes to the contact person.
    log_in(browsing, CITIZEN)
    page.goto(browsing.url(MEASURE))
    page.locator("#contact a.button").click()
    page.wait_for_url("**/kontakt/")
    assert address not in page.content()
    assert _axe_at_both_widths(browsing, MEASURE + "kontakt/") == []
    page.locator("textarea[name=text]").fill("Gilt der Zuschuss auch, wenn die Vermietung noch nicht zugestimmt hat?")
    page.locator("input[name=reply_to_sender]").check()
    submit(page, page.locator("form.contact-form button[type=submit]"))
    page.wait_for_url("**#contact")
    assert measure.responsible_person.name in page.locator(".messages, [role=status]").first.inner_text()
    message = ContactMessage.objects.get(measure=measure)
    mail = OutboxMessage.objects.get(reason="measure_contact", object_id=str(message.pk))
    assert mail.recipient == address and mail.headers == {"Reply-To": CITIZEN}
    assert_clean(browsing)
