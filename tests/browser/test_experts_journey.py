"""A KEK member finds the NKK's heat-planning expert who opted in, and not one who did not, asks her a question
through the portal, and the email lands in the outbox without the asker's address (issue 17 §4 "Done when"); then
the Klima.Taten.Team's coordinator reads the heat campaign's key figures (§5), in a real Chromium, on the demo data.

1. kek.mitglied@example.org (Tobias Wagner, KEK) opens "Wer weiß was" from the header and filters by "Kommunale
   Wärmeplanung": his KEK colleague first ("in Ihren Netzwerken"), then Claudia Vogel of the NKK ("aus einem
   anderen Netzwerk", she made the topic visible to all networks); Sabine Neumann of the NKK (not opted in) is
   not listed.
2. "Frage stellen" on Claudia Vogel's row: the form, sent; the conversation opens; "Meine Anfragen" lists it.
3. The outbox holds one email to Claudia Vogel with the question, Reply-To a reply address, and nowhere the
   asker's address.
4. ktt.koordination@example.org opens the heat campaign from the campaigns list, then its key figures: the table
   per municipality and quarter with sums, the bars, the export.
axe-core finds no violation on "Wer weiß was", the ask form and the figures page at 1280 and 390 px.
Screenshots (SCREENSHOTS=1): experts-search.png, experts-ask.png, campaign-figures.png and their phone- twins.
"""

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, log_out, phone_screenshot, submit
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

ASKER = "kek.mitglied@example.org"
EXPERT = "nkk.huerth@example.org"
SEARCH = "/wer-weiss-was/"
CAMPAIGNS = "/netzwerke/klima-taten-team-westpfalz/kampagnen/"


def _axe_at_both_widths(browsing, path: str) -> list[str]:
    found = violations(browsing, path)
    browsing.page.set_viewport_size({"width": 390, "height": 844})
    try:
        found += violations(browsing, path)
    finally:
        browsing.page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_kek_member_asks_an_nkk_expert_and_the_coordinator_reads_campaign_figures(demo_data, browsing):
    from networks.experts.models import Question
    from networks.models import OutboxMessage, Topic

    page = browsing.page
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. "Wer weiß was" across networks.
    log_in(browsing, ASKER)
    topic = Topic.objects.get(slug="kommunale-waermeplanung")
    assert _axe_at_both_widths(browsing, SEARCH) == []
    page.goto(browsing.url(SEARCH))
    page.get_by_label("Thema").select_option(str(topic.pk))
    submit(page, page.locator("form.filter-form").get_by_role("button", name="Suche", exact=True))
    table = page.locator("main table")
    rows = table.locator("tbody tr")
    names = rows.locator("td:nth-child(2) strong").all_inner_texts()
    assert "Claudia Vogel" in names
    assert "Sabine Neumann" not in names  # NKK, heat-planning expert, not opted in
    claudia = rows.filter(has_text="Claudia Vogel")
    assert "aus einem anderen Netzwerk" in claudia.inner_text()
    assert EXPERT not in page.content()
    first = rows.first.inner_text()
    assert "in Ihren Netzwerken" in first  # his KEK colleague comes first
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "experts-search.png"), full_page=True)
    phone_screenshot(page, "experts-search")

    # 2. The question.
    claudia.get_by_role("link", name="Frage stellen").click()
    page.wait_for_url("**/frage/**")
    ask_path = page.url.split(browsing.url(""), 1)[-1]
    assert _axe_at_both_widths(browsing, "/" + ask_path.lstrip("/")) == []
    page.get_by_label("Betreff").fill("Wärmeplan im Rat: wie lange hat die Vergabe gedauert?")
    page.get_by_label("Ihre Frage").fill("Guten Tag Frau Vogel, wie lange hat bei Ihnen die Vergabe gedauert?")
    page.screenshot(path=str(SCREENSHOTS / "experts-ask.png"), full_page=True)
    phone_screenshot(page, "experts-ask")
    submit(page, page.get_by_role("button", name="Frage senden"))
    assert "Ihre Frage wurde gesendet" in page.locator(".messages").inner_text()
    question = Question.objects.get(subject="Wärmeplan im Rat: wie lange hat die Vergabe gedauert?")
    assert question.expert.user.email == EXPERT
    page.goto(browsing.url("/wer-weiss-was/anfragen/"))
    assert page.get_by_role("link", name="Wärmeplan im Rat: wie lange hat die Vergabe gedauert?").is_visible()

    # 3. The email, without the asker's address.
    mail = OutboxMessage.objects.get(
        recipient=EXPERT, reason="experts_question", object_id=str(question.messages.get().pk)
    )
    assert "wie lange hat bei Ihnen die Vergabe gedauert?" in mail.body_text
    assert ASKER not in mail.body_text and ASKER not in mail.body_html and ASKER not in str(mail.headers)
    assert_clean(browsing)
    log_out(browsing)

    # 4. The heat campaign's key figures.
    log_in(browsing, "ktt.koordination@example.org")
    page.goto(browsing.url(CAMPAIGNS))
    page.get_by_role("link", name="Wärmekampagne Westpfalz").click()
    page.get_by_role("link", name="Kennzahlen", exact=True).click()
    page.wait_for_url("**/kennzahlen/")
    figures_path = page.url.split(browsing.url(""), 1)[-1]
    main = page.locator("main")
    assert main.get_by_role("heading", name="Kennzahlen der Kampagne").is_visible()
    assert main.get_by_role("heading", name="Energieberatungen Heizungstausch").is_visible()
    assert main.locator("svg.campaign-bars").first.is_visible()
    assert "Q4/2022" in main.locator("table").first.inner_text()
    assert main.get_by_role("link", name="Export (Excel)").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "campaign-figures.png"), full_page=True)
    phone_screenshot(page, "campaign-figures")
    assert _axe_at_both_widths(browsing, "/" + figures_path.lstrip("/")) == []
    assert_clean(browsing)
