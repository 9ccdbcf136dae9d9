"""The Troisdorf editor finds a Düren measure in the measure library, copies it into Troisdorf's roadmap, and its
lineage shows on both sides (issue 17 §1 "Done when"), in a real Chromium, on the demo data.

1. troisdorf.redaktion@example.org signs in from the home page, opens the library from "Mein Bereich", filters by
   sector (mobility) and finds "Lastenrad-Verleih in den Kreisstädten" (MO-01 of Kreis Düren).
2. The entry: its effect, milestone template, who copied it and whom to ask; "In meine Roadmap übernehmen" into
   the Klimaschutzfahrplan Troisdorf makes a draft and opens its editor page, which names its origin.
3. Published, the copy shows its origin on its public page; the entry lists it by name, and Düren's measure page
   says that one organisation copied it.
axe-core finds no violation on the library page and the entry at 1280 and 390 px; the library fits a phone.
Screenshots (SCREENSHOTS=1): catalogue-library.png, catalogue-entry.png and their phone- twins.
"""

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, phone_screenshot, submit
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

EDITOR = "troisdorf.redaktion@example.org"
LIBRARY = "/massnahmenbibliothek/"
ENTRY = LIBRARY + "lastenrad-verleih-in-den-kreisstaedten/"
SOURCE = "/klima-roadmaps/klima-roadmap-kreis-dueren/massnahmen/mo-01-lastenrad-verleih-in-den-kreisstaedten/"


def _axe_at_both_widths(browsing, path: str) -> list[str]:
    found = violations(browsing, path)
    browsing.page.set_viewport_size({"width": 390, "height": 844})
    try:
        found += violations(browsing, path)
    finally:
        browsing.page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_troisdorf_copies_a_dueren_measure_with_its_lineage(demo_data, browsing):
    from measures.catalogue.models import Adoption
    from measures.models import Measure

    page = browsing.page
    page.set_viewport_size({"width": 1280, "height": 900})
    assert _axe_at_both_widths(browsing, LIBRARY) == []
    assert _axe_at_both_widths(browsing, ENTRY) == []

    # 1. From "Mein Bereich" into the library; filtered by sector.
    log_in(browsing, EDITOR, from_home=True)
    page.goto(browsing.url("/start/"))
    page.get_by_role("link", name="Zur Maßnahmenbibliothek").first.click()
    page.wait_for_url(f"**{LIBRARY}")
    filters = page.locator("form.filter-form")
    filters.locator("summary", has_text="Handlungsfeld").click()
    filters.get_by_label("Mobilität").check()
    submit(page, filters.get_by_role("button", name="Einträge zeigen"))
    assert "handlungsfeld=mobility" in page.url
    card = page.locator(".library-cards .card", has_text="Lastenrad-Verleih in den Kreisstädten")
    assert "MO-01, Kreis Düren" in card.text_content()  # the eyebrow is upper case on the screen
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "catalogue-library.png"), full_page=True)
    phone_screenshot(page, "catalogue-library")
    card.get_by_role("link", name="Lastenrad-Verleih in den Kreisstädten").click()
    page.wait_for_url(f"**{ENTRY}")

    # 2. The entry, and the copy.
    main = page.locator("main")
    for heading in ("Erwartete Wirkung", "Meilensteine als Vorlage", "Wer sie übernommen hat", "Wen Sie fragen können"):
        assert main.get_by_role("heading", name=heading).is_visible(), heading
    page.screenshot(path=str(SCREENSHOTS / "catalogue-entry.png"), full_page=True)
    phone_screenshot(page, "catalogue-entry")
    page.get_by_role("link", name="In meine Roadmap übernehmen").click()
    page.wait_for_url("**/uebernehmen/")
    assert page.get_by_label("In welche Klima-Roadmap?").locator("option").all_inner_texts() == [
        "Klimaschutzfahrplan Troisdorf (Stadt Troisdorf)"
    ]
    submit(page, page.get_by_role("button", name="Entwurf anlegen"))
    assert "/klima-roadmaps/klimaschutz-troisdorf/redaktion/massnahmen/" in page.url
    assert "aus der Bibliothek angelegt" in page.locator(".messages").inner_text()
    lineage = page.locator("#library .library-lineage")
    assert "Basiert auf dem Bibliothekseintrag" in lineage.inner_text()
    assert "(MO-01, Kreis Düren)" in lineage.inner_text()
    copy = Measure.objects.get(roadmap__slug="klimaschutz-troisdorf", library_adoption__entry__slug=ENTRY.split("/")[2])
    assert not copy.published and copy.milestones.exists()
    assert Adoption.objects.filter(measure=copy, organisation__slug="stadt-troisdorf").exists()

    # 3. Published: the lineage on both sides.
    page.locator("form.measure-form input[name=published]").check()
    submit(page, page.locator("form.measure-form .form-actions button[type=submit]"))
    copy.refresh_from_db()
    assert copy.published
    page.goto(browsing.url(copy.get_absolute_url()))
    assert "(MO-01, Kreis Düren)" in page.locator(".library-panel").inner_text()
    page.locator(".library-panel a").first.click()
    page.wait_for_url(f"**{ENTRY}")
    table = page.locator(".adoption-table")
    assert "Klimaschutzfahrplan Troisdorf" in table.inner_text()
    assert table.get_by_role("link", name=f"{copy.code} {copy.title}").count() == 1
    page.goto(browsing.url(SOURCE))
    assert "1 Organisation hat sie übernommen" in page.locator(".library-panel").inner_text()
    assert_clean(browsing)
