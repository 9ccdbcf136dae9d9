"""Participation both ways (issue 16 §2 and its "Done when"), in a real Chromium, on a small world of factories.

1. A citizen submits a proposal (accepting the participation rules once); the editor publishes it and gives an
   official answer with a state; the citizen, who follows their own proposal, is told by email (read from the
   outbox after the notification task ran); the answer is visible to an anonymous visitor.
2. The editor does not take up another proposal: it stays visible to everyone, with its state and the reason.
3. A citizen follows a measure; the editor adds a progress report; the task runs twice; one email.
4. A comment that fails validation keeps its text and lands at the form with the error next to the field.

No page may load anything from another host or log a console error. With SCREENSHOTS=1 the answered proposal is
kept as docs/screenshots/proposal-answer.png (1280 px) and phone-proposal-answer.png (390 px).
"""

import pytest

from tests.browser.helpers import PASSWORD, SCREENSHOTS, assert_clean, log_in, log_out, phone_screenshot, submit

pytestmark = pytest.mark.browser

CITIZEN = "lea.hoffmann@example.net"
EDITOR = "dueren.redaktion@example.org"


@pytest.fixture
def world(transactional_db):
    from measures.models import Moderation
    from tests.measures.factories import MeasureFactory, ProposalFactory, RoadmapFactory
    from tests.networks import factories as nf

    organisation = nf.OrganisationFactory(name="Kreis Düren", slug="kreis-dueren", kind="county")
    roadmap = RoadmapFactory(organisation=organisation, slug="klima-roadmap-kreis-dueren", title="Klima-Roadmap Düren")
    measure = MeasureFactory(roadmap=roadmap, code="PH-01", slug="ph-01-balkon-pv", title="Balkon-PV für Mieter*innen")
    editor = nf.PersonFactory(name="Redaktion Düren", organisation=organisation, user__email=EDITOR)
    nf.OrganisationRoleFactory(person=editor, organisation=organisation)
    citizen = nf.PersonFactory(name="Lea Hoffmann", organisation=None, user__email=CITIZEN)
    other = ProposalFactory(roadmap=roadmap, title="Seilbahn zum Rursee", status=Moderation.PUBLISHED)
    for person in (editor, citizen):
        person.user.set_password(PASSWORD)
        person.user.save()
    return {"roadmap": roadmap, "measure": measure, "editor": editor, "citizen": citizen, "other": other}


def test_proposal_answered_citizen_notified_rejected_stays_measure_followed(world, browsing):
    from measures import services
    from measures.models import Proposal
    from networks.models import OutboxMessage

    page = browsing.page
    roadmap, measure = world["roadmap"], world["measure"]
    proposals = browsing.url(roadmap.get_absolute_url() + "vorschlaege/")

    # 1. The citizen submits a proposal and accepts the participation rules, once.
    log_in(browsing, CITIZEN)
    page.goto(proposals + "neu/")
    form = page.locator("#proposal-form")
    form.locator("input[name=title]").fill("Strommessgeräte zum Ausleihen")
    form.locator("select[name=sector]").select_option("households")
    form.locator("textarea[name=text]").fill("In der **Stadtbibliothek** Messgeräte verleihen.")
    form.locator("input[name=netiquette]").check()
    submit(page, form.locator("button[type=submit]"))
    proposal = Proposal.objects.get(title="Strommessgeräte zum Ausleihen")
    assert page.url.endswith(proposal.get_absolute_url() + "#main")
    log_out(browsing)

    # The editor publishes it and answers officially: in review, with a dated answer of the organisation.
    log_in(browsing, EDITOR)
    page.goto(browsing.url(roadmap.get_absolute_url() + "redaktion/moderation/"))
    item = page.locator(f"#proposal-{proposal.pk}")
    submit(page, item.locator("button[value=publish]"))
    page.goto(browsing.url(proposal.get_absolute_url()))
    answer = page.locator("#answer-form")
    answer.locator("select[name=state]").select_option("in_review")
    answer.locator("textarea[name=answer]").fill("Eine gute Idee: Wir prüfen das mit der **Stadtbibliothek**.")
    submit(page, answer.locator("button[type=submit]"))
    assert page.locator("#answer .answer-text strong").inner_text() == "Stadtbibliothek"

    # 2. Another proposal is not taken up: it stays visible with its state and the reason.
    other = world["other"]
    page.goto(browsing.url(other.get_absolute_url()))
    answer = page.locator("#answer-form")
    answer.locator("select[name=state]").select_option("not_taken_up")
    answer.locator("textarea[name=answer]").fill("Zu teuer für den Kreishaushalt.")
    submit(page, answer.locator("button[type=submit]"))
    log_out(browsing)

    # The citizen is told by email, once, however often the task runs.
    services.follows_notify()
    services.follows_notify()
    mails = OutboxMessage.objects.filter(recipient=CITIZEN, reason="follow_update")
    assert mails.count() == 1 and "Stadtbibliothek" in mails.get().body_text

    # Everyone sees the answer and the state; the rejected proposal with its reason.
    page.goto(browsing.url(proposal.get_absolute_url()))
    assert page.locator("#answer").is_visible()
    assert page.locator(".proposal-state .status-in_review").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "proposal-answer.png"), full_page=True)
    phone_screenshot(page, "proposal-answer")
    page.goto(browsing.url(other.get_absolute_url()))
    assert "Zu teuer für den Kreishaushalt." in page.locator("#answer").inner_text()
    assert page.locator(".proposal-state .status-not_taken_up").is_visible()
    page.goto(proposals + "?state=not_taken_up")
    assert page.get_by_role("link", name="Seilbahn zum Rursee").is_visible()

    # 3. The citizen follows a measure; a progress report; the task runs twice; one email.
    log_in(browsing, CITIZEN)
    page.goto(browsing.url(measure.get_absolute_url()))
    follow = page.locator("#follow form")
    follow.locator("select[name=frequency]").select_option("immediately")
    submit(page, follow.locator("button[type=submit]"))
    assert page.locator("#follow .badge").is_visible()
    services.update_add(
        measure=measure, text="Die ersten 40 Balkone sind belegt.", percent=30, public=True, by=world["editor"]
    )
    services.follows_notify()
    services.follows_notify()
    reports = OutboxMessage.objects.filter(recipient=CITIZEN, reason="follow_update", body_text__contains="40 Balkone")
    assert reports.count() == 1

    # 4. A comment that is too long keeps its text and lands at the form, the error next to the field.
    page.goto(browsing.url(measure.get_absolute_url()))
    text = "Gilt das auch für Wohnungsgenossenschaften? " + "x" * 4000
    form = page.locator("#comment-form form")
    form.locator("textarea[name=text]").evaluate(
        "(el, value) => { el.removeAttribute('maxlength'); el.value = value }", text
    )
    submit(page, form.locator("button[type=submit]"))
    assert page.url.endswith("#comment-form")
    assert page.locator("#id_comment_text").input_value() == text
    assert page.locator("#id_comment_text_error").is_visible()
    assert_clean(browsing)


def test_participation_pages_have_no_wcag_violations(world, browsing):
    """axe-core on participation's pages (as in test_accessibility.py), in German, on the small world."""
    from datetime import timedelta

    from django.utils import timezone

    from measures import services
    from measures.models import Comment, Moderation, ParticipationPhase, ProposalState
    from tests.browser.test_accessibility import violations

    roadmap, measure, other, editor = world["roadmap"], world["measure"], world["other"], world["editor"]
    today = timezone.localdate()
    ParticipationPhase.objects.create(
        roadmap=roadmap, title="Ideen sammeln", starts=today - timedelta(days=5), ends=today + timedelta(days=30)
    )
    services.proposal_answer(proposal=other, state=ProposalState.NOT_TAKEN_UP, answer="Zu teuer.", by=editor)
    question = Comment.objects.create(
        measure=measure, author=world["citizen"], text="Wann geht es los?", status=Moderation.PUBLISHED
    )
    services.comment_submit(measure=measure, author=editor, text="Im Mai.", parent=question)
    services.follow(person=world["citizen"], obj=measure)
    base = roadmap.get_absolute_url()
    found = []
    for path in (
        base,
        base + "vorschlaege/",
        other.get_absolute_url(),
        measure.get_absolute_url(),
        measure.get_absolute_url() + "rueckmeldung/",
        "/datenschutz/",
    ):
        found += violations(browsing, path)
    log_in(browsing, CITIZEN)
    for path in ("/folgen/", base + "vorschlaege/neu/", measure.get_absolute_url(), other.get_absolute_url()):
        found += violations(browsing, path)
    log_out(browsing)
    log_in(browsing, EDITOR)
    for path in (base + "redaktion/beteiligung/", base + "redaktion/moderation/", base + "redaktion/"):
        found += violations(browsing, path)
    assert found == [], "\n".join(found)
