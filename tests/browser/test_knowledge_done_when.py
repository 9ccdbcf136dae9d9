"""Issue 17's "Done when", end to end, as new users would try it in a real Chromium on the demo portal.

1. The Troisdorf editor (troisdorf.redaktion@example.org, Tobias Krämer) signs in from the home page, opens the
   measure library (linked in the main navigation and from "Mein Bereich"), filters by sector (mobility) and finds
   "Lastenrad-Verleih in den Kreisstädten" (MO-01 of Kreis Düren); the entry shows its effect, its milestone
   template, who copied it and whom to ask. "In meine Roadmap übernehmen" offers only his roadmap and makes a
   draft with the milestones; its editor page names its origin. Published, the copy names its origin on its public
   page, the entry lists it by name, and Düren's measure says that one organisation copied it.
2. Troisdorf's comparison page (from its monitoring pages): its figures per inhabitant among the towns of its size
   class (50,000 to 99,999 inhabitants), with the group's quartiles and median, its position in words and a chart
   with its table; the NKK as peer group, where four municipalities publish: no statistics, and a sentence why.
3. The Düren editor's roadmap page lists measures whose funding is missing with fitting programmes; a measure's
   funding page shows every fitting programme with its next deadline (example data, and it says so). The daily
   reminder task runs twice: the responsible person gets one reminder per call due within six weeks, no more.
4. A KEK member (kek.mitglied@example.org) filters "Wer weiß was" by heat planning: his KEK colleague first, then
   Claudia Vogel of the NKK, who made the topic visible to all networks; Sabine Neumann of the NKK (no opt-in) is
   not listed. He asks Claudia Vogel through the portal: one email to her, nowhere his address.
5. The Klima.Taten.Team's coordinator reads the heat campaign's key figures (table per municipality and quarter
   with sums, bars) with its events, document and announcement, and downloads the Excel export, which holds the
   same figures.

Every page of the journey: axe-core finds no WCAG 2.1 AA violation at 1280 and 390 px, it fits a phone, nothing
is loaded from another host, no console error, no English sentence on a German page.
Screenshots (SCREENSHOTS=1): catalogue-library.png, catalogue-entry.png, comparison-troisdorf.png,
funding-measure.png, experts-search.png, experts-ask.png, campaign-figures.png and their phone- twins.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    assert_clean,
    log_in,
    log_out,
    phone_screenshot,
    submit,
)
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

TROISDORF = "troisdorf.redaktion@example.org"
DUEREN = "dueren.redaktion@example.org"
ASKER = "kek.mitglied@example.org"
EXPERT = "nkk.huerth@example.org"  # Claudia Vogel, NKK: heat planning, visible to all networks
KTT = "ktt.koordination@example.org"

LIBRARY = "/massnahmenbibliothek/"
ENTRY = LIBRARY + "lastenrad-verleih-in-den-kreisstaedten/"
DUEREN_ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
SOURCE = DUEREN_ROADMAP + "massnahmen/mo-01-lastenrad-verleih-in-den-kreisstaedten/"
MONITORING = "/organisationen/stadt-troisdorf/monitoring/"
COMPARISON = "/organisationen/stadt-troisdorf/vergleich/"
SEARCH = "/wer-weiss-was/"
CAMPAIGNS = "/netzwerke/klima-taten-team-westpfalz/kampagnen/"
SUBJECT = "Wärmeplan im Rat: wie lange hat die Vergabe gedauert?"


def here(browsing) -> str:
    """The path (and query) of the page the browser shows."""
    return "/" + browsing.page.url.split(browsing.url(""), 1)[-1].lstrip("/")


def axe_both_widths(browsing, path: str) -> list[str]:
    """axe-core's findings on ``path`` at 1280 and at 390 px."""
    found = violations(browsing, path)
    browsing.page.set_viewport_size(PHONE)
    try:
        found += [f"{line} (390 px)" for line in violations(browsing, path)]
    finally:
        browsing.page.set_viewport_size(DESKTOP)
    return found


def measure_with_a_deadline_soon():
    """A Düren measure with missing funding, a responsible person and fitting calls within six weeks."""
    from measures.funding.matching import ProgrammeIndex, candidates

    today = timezone.localdate()
    index = ProgrammeIndex.build(today)
    measures = candidates().filter(roadmap__slug=DUEREN_ROADMAP.split("/")[2], responsible_person__user__is_active=True)
    for measure in measures:
        near = [f for f in index.fits_for(measure) if f.call and f.call.deadline <= today + timedelta(days=42)]
        if measure.funding_status == "" and near:
            return measure, near
    raise AssertionError("the demo has no Düren measure with missing funding and a call within six weeks")


def reminders_of(measure) -> set[tuple[str, str, str]]:
    from networks.models import OutboxMessage

    return set(
        OutboxMessage.objects.filter(
            reason="funding_call_reminder", object_id__endswith=f":measure:{measure.pk}"
        ).values_list("recipient", "object_id", "occasion")
    )


@pytest.mark.django_db(transaction=True)
def test_issue_17_knowledge_between_municipalities(browsing, demo_data):
    page = browsing.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: list[str] = []  # axe-core's findings, asserted at the end
    try:
        library_journey(browsing, found)
        comparison_journey(browsing, found)
        log_out(browsing)
        funding_journey(browsing, found)
        log_out(browsing)
        experts_journey(browsing, found)
        log_out(browsing)
        campaign_journey(browsing, found)
        assert found == [], "\n".join(found)
        assert_clean(browsing)
        assert page.url.startswith(browsing.base_url)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or PostgreSQL cannot drop
        # the test database at the end of the session.
        connections.close_all()


def library_journey(browsing, found: list[str]) -> None:
    """1. The Troisdorf editor copies a Düren measure; its lineage shows on both sides."""
    from measures.catalogue.models import Adoption
    from measures.models import Measure

    page = browsing.page
    found += axe_both_widths(browsing, LIBRARY)  # as a visitor sees them
    found += axe_both_widths(browsing, ENTRY)
    log_in(browsing, TROISDORF, from_home=True)
    nav = page.locator("header nav.main-nav")
    assert nav.get_by_role("link", name="Maßnahmenbibliothek").get_attribute("href") == LIBRARY  # for members
    nav.get_by_role("link", name="Mein Bereich").click()
    page.wait_for_url("**/start/")
    page.get_by_role("link", name="Zur Maßnahmenbibliothek").first.click()  # and from "Mein Bereich"
    page.wait_for_url(f"**{LIBRARY}")
    filters = page.locator("form.filter-form")
    filters.locator("summary", has_text="Handlungsfeld").click()
    filters.get_by_label("Mobilität").check()
    submit(page, filters.get_by_role("button", name="Einträge zeigen"))
    assert "handlungsfeld=mobility" in page.url
    card = page.locator(".library-cards .card", has_text="Lastenrad-Verleih in den Kreisstädten")
    assert "MO-01, Kreis Düren" in card.text_content()  # the eyebrow is upper case on the screen
    page.screenshot(path=str(SCREENSHOTS / "catalogue-library.png"), full_page=True)
    phone_screenshot(page, "catalogue-library")
    card.get_by_role("link", name="Lastenrad-Verleih in den Kreisstädten").click()
    page.wait_for_url(f"**{ENTRY}")

    main = page.locator("main")
    for heading in ("Erwartete Wirkung", "Meilensteine als Vorlage", "Wer sie übernommen hat", "Wen Sie fragen können"):
        assert main.get_by_role("heading", name=heading).is_visible(), heading
    page.screenshot(path=str(SCREENSHOTS / "catalogue-entry.png"), full_page=True)
    phone_screenshot(page, "catalogue-entry")
    page.get_by_role("link", name="In meine Roadmap übernehmen").click()
    page.wait_for_url("**/uebernehmen/")
    found += axe_both_widths(browsing, here(browsing))
    assert page.get_by_label("In welche Klima-Roadmap?").locator("option").all_inner_texts() == [
        "Klimaschutzfahrplan Troisdorf (Stadt Troisdorf)"  # only the roadmap he edits
    ]
    submit(page, page.get_by_role("button", name="Entwurf anlegen"))
    assert "/klima-roadmaps/klimaschutz-troisdorf/redaktion/massnahmen/" in page.url
    assert "aus der Bibliothek angelegt" in page.locator(".messages").inner_text()
    lineage = page.locator("#library .library-lineage")
    assert "Basiert auf dem Bibliothekseintrag" in lineage.inner_text()
    assert "(MO-01, Kreis Düren)" in lineage.inner_text()
    copy = Measure.objects.get(roadmap__slug="klimaschutz-troisdorf", library_adoption__entry__slug=ENTRY.split("/")[2])
    assert not copy.published and copy.milestones.exists()  # a draft, with the template's milestones
    assert Adoption.objects.filter(measure=copy, organisation__slug="stadt-troisdorf").exists()

    page.locator("form.measure-form input[name=published]").check()  # adapted and published
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


def comparison_journey(browsing, found: list[str]) -> None:
    """2. Troisdorf among its size class; a peer group of four shows no statistics."""
    page = browsing.page
    page.goto(browsing.url(MONITORING))
    page.locator("nav.sidebar a[href$='/stadt-troisdorf/vergleich/']").click()
    page.wait_for_url(f"**{COMPARISON}")
    assert page.locator("select[name=gruppe]").input_value() == "size"  # its size class is the default group
    total = page.locator("tr[data-figure='ghg-total']")
    cells = total.locator("td.num")
    assert cells.count() == 5  # Troisdorf, lower quartile, median, upper quartile, organisations
    assert int(cells.nth(4).inner_text()) >= 30  # the demo towns of the size class publish
    assert "Einwohner" in total.inner_text()  # per inhabitant
    assert page.locator("ul.comparison-positions li").count() >= 5  # the position in words
    assert page.locator("#chart-comparison-position").count() == 1
    assert page.locator("#chart-comparison-position table.chart-table tbody tr").count() >= 5
    page.screenshot(path=str(SCREENSHOTS / "comparison-troisdorf.png"), full_page=True)
    phone_screenshot(page, "comparison-troisdorf")
    found += axe_both_widths(browsing, COMPARISON)

    page.locator("select[name=gruppe]").select_option("network-nkk-koeln-bonn")
    submit(page, page.locator("form.comparison-picker button[type=submit]"))
    assert "gruppe=network-nkk-koeln-bonn" in page.url
    assert page.locator("#comparison-no-statistics").is_visible()
    assert page.locator("td.no-statistics").count() >= 1
    assert page.locator("ul.comparison-positions").count() == 0
    assert page.locator("#chart-comparison-position").count() == 0
    phone_screenshot(page, "comparison-troisdorf-nkk")


def funding_journey(browsing, found: list[str]) -> None:
    """3. A measure with missing funding: the fitting programmes, and each deadline reminder exactly once."""
    from measures.funding import services, tasks

    measure, near = measure_with_a_deadline_soon()
    page = browsing.page
    log_in(browsing, DUEREN)
    page.goto(browsing.url(DUEREN_ROADMAP + "redaktion/"))
    radar = page.locator("#funding-radar")
    assert radar.locator("tbody tr").count() >= 3
    radar.locator(f"a[href$='/foerderprogramme/massnahmen/{measure.roadmap.slug}/{measure.pk}/']").click()
    page.wait_for_url(f"**/foerderprogramme/massnahmen/{measure.roadmap.slug}/{measure.pk}/")
    fits = page.locator("ul.funding-fits > li")
    assert fits.count() >= len(near)
    for fit in near:
        assert page.locator(f"ul.funding-fits a[href$='/foerderprogramme/{fit.programme.slug}/']").count() == 1
    assert page.locator("ul.funding-fits .badge-demo").count() >= 1  # the calls are example data, and say so
    page.screenshot(path=str(SCREENSHOTS / "funding-measure.png"), full_page=True)
    phone_screenshot(page, "funding-measure")
    found += axe_both_widths(browsing, here(browsing))

    today = timezone.localdate()
    expected = {
        (
            measure.responsible_person.user.email.lower(),
            f"call:{fit.call.pk}:measure:{measure.pk}",
            services.reminder_occasion(fit.call.deadline, today),
        )
        for fit in near
    }
    tasks.reminders_send()
    assert reminders_of(measure) == expected  # one per call due within six weeks, to the responsible person
    tasks.reminders_send()  # the daily task runs again (or twice the same day): nothing new
    assert reminders_of(measure) == expected


def experts_journey(browsing, found: list[str]) -> None:
    """4. A KEK member finds the NKK's heat-planning expert who opted in, not the one who did not, and asks her."""
    from networks.experts.models import Question
    from networks.models import OutboxMessage, Topic

    page = browsing.page
    log_in(browsing, ASKER)
    page.locator("header nav.main-nav").get_by_role("link", name="Wer weiß was").click()
    page.wait_for_url(f"**{SEARCH}")
    topic = Topic.objects.get(slug="kommunale-waermeplanung")
    page.get_by_label("Thema").select_option(str(topic.pk))
    submit(page, page.locator("form.filter-form").get_by_role("button", name="Suche", exact=True))
    rows = page.locator("main table tbody tr")
    names = rows.locator("td:nth-child(2) strong").all_inner_texts()
    assert "Claudia Vogel" in names
    assert "Sabine Neumann" not in names  # NKK, heat-planning expert, not opted in
    claudia = rows.filter(has_text="Claudia Vogel")
    assert "aus einem anderen Netzwerk" in claudia.inner_text()
    assert "in Ihren Netzwerken" in rows.first.inner_text()  # his KEK colleague comes first
    assert EXPERT not in page.content()  # her address is not shown
    page.screenshot(path=str(SCREENSHOTS / "experts-search.png"), full_page=True)
    phone_screenshot(page, "experts-search")
    found += axe_both_widths(browsing, here(browsing))

    claudia.get_by_role("link", name="Frage stellen").click()
    page.wait_for_url("**/frage/**")
    found += axe_both_widths(browsing, here(browsing))
    page.get_by_label("Betreff").fill(SUBJECT)
    page.get_by_label("Ihre Frage").fill("Guten Tag Frau Vogel, wie lange hat bei Ihnen die Vergabe gedauert?")
    page.screenshot(path=str(SCREENSHOTS / "experts-ask.png"), full_page=True)
    phone_screenshot(page, "experts-ask")
    submit(page, page.get_by_role("button", name="Frage senden"))
    assert "Ihre Frage wurde gesendet" in page.locator(".messages").inner_text()
    question = Question.objects.get(subject=SUBJECT)
    assert question.expert.user.email == EXPERT
    page.goto(browsing.url("/wer-weiss-was/anfragen/"))
    assert page.get_by_role("link", name=SUBJECT).is_visible()

    mails = OutboxMessage.objects.filter(recipient=EXPERT, reason="experts_question")
    mail = mails.get(object_id=str(question.messages.get().pk))
    assert "wie lange hat bei Ihnen die Vergabe gedauert?" in mail.body_text
    assert ASKER not in mail.body_text and ASKER not in mail.body_html and ASKER not in str(mail.headers)


def campaign_journey(browsing, found: list[str]) -> None:
    """5. The Westpfalz coordinator reads the heat campaign's key figures and exports them for the funder."""
    from openpyxl import load_workbook

    page = browsing.page
    log_in(browsing, KTT)
    page.goto(browsing.url(CAMPAIGNS))
    page.get_by_role("link", name="Wärmekampagne Westpfalz").click()
    page.get_by_role("link", name="Kennzahlen", exact=True).click()
    page.wait_for_url("**/kennzahlen/")
    main = page.locator("main")
    assert main.get_by_role("heading", name="Kennzahlen der Kampagne").is_visible()
    assert main.get_by_role("heading", name="Energieberatungen Heizungstausch").is_visible()
    assert main.locator("svg.campaign-bars").first.is_visible()
    first_table = main.locator("table").first
    assert "Q4/2022" in first_table.inner_text()
    total = first_table.locator("tfoot td.num").last.inner_text()  # the campaign's sum of the first figure
    linked = main.locator("section[aria-labelledby=linked-heading]")  # its events, documents and announcements
    for title in (
        "Infoabend der Wärmekampagne: Wärmepumpe im Bestand",
        "Online-Sprechstunde der Wärmekampagne: Fragen zum Heizungstausch",
        "Checkliste Heizungstausch",
        "Start der Wärmekampagne im Oktober: Material für Ihre Kommune",
    ):
        assert linked.get_by_role("link", name=title, exact=True).count() == 1, title
    assert "PV-Kampagne" not in linked.inner_text()  # the other campaign's are not
    page.screenshot(path=str(SCREENSHOTS / "campaign-figures.png"), full_page=True)
    phone_screenshot(page, "campaign-figures")
    found += axe_both_widths(browsing, here(browsing))

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Export (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kampagne-waermekampagne-westpfalz-kennzahlen-")  # ä → ae
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(BytesIO(Path(download.path()).read_bytes()), read_only=True)
    values = [
        row[6]  # Key figure, Unit, Period, Period start, Organisation, AGS, Value (a number, not text)
        for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        if row[0] == "Energieberatungen Heizungstausch"
    ]
    assert values and all(isinstance(value, int | float) for value in values)
    assert sum(values) == float(total.replace(".", "").replace(",", "."))  # what the page sums up, the funder gets
