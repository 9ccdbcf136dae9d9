"""Participation both ways (issue 16 §2): states and official answers of proposals, replies one level deep,
reports, follows and their emails (immediately, weekly, one-click unfollow), feedback without an account, phases,
the netiquette, unanswered questions flagged to the editors, and forms that keep what was typed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.models import (
    Comment,
    Feedback,
    Follow,
    FollowEvent,
    Frequency,
    Measure,
    Moderation,
    NetiquetteAcceptance,
    ParticipationPhase,
    ProposalState,
    ProposalSupport,
)
from measures.participation_panels import unanswered_items
from measures.services import feedback as feedback_services
from measures.services import follows
from networks.digest import sections
from networks.models import OutboxMessage
from tests.measures.factories import CommentFactory, MeasureFactory, ProposalFactory, RoadmapFactory
from tests.networks import factories as nf

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
EDITORS = {"editor", "staff"}


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren 2035")


@pytest.fixture
def measure(roadmap):
    return MeasureFactory(roadmap=roadmap, code="M-01", slug="m-01-solaroffensive", title="Solaroffensive")


@pytest.fixture
def author(db):
    return nf.PersonFactory(name="Bürger Autor", organisation=None, user__email="buerger@example.org")


@pytest.fixture
def editor(personas):
    return personas.people["editor"]


@pytest.fixture
def proposal(roadmap, author):
    return ProposalFactory(roadmap=roadmap, author=author, title="Fahrradstraßen in Düren", status=Moderation.PUBLISHED)


def url(name: str, roadmap, *args) -> str:
    return reverse(f"measures:{name}", args=[roadmap.slug, *args])


def login(client, personas, persona: str) -> None:
    if persona != "anonymous":
        personas.login(client, persona)


def rows(reason: str):
    return OutboxMessage.objects.filter(reason=reason)


# --- States and official answers ----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_state_and_answer_visible_to_everyone(client, personas, roadmap, proposal, editor, persona):
    services.proposal_answer(
        proposal=proposal, state=ProposalState.NOT_TAKEN_UP, answer="Leider **nicht** finanzierbar.", by=editor
    )
    login(client, personas, persona)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Offizielle Antwort" in page or "Official answer" in page
    assert "<strong>nicht</strong> finanzierbar" in page
    assert roadmap.organisation.name in page
    listing = client.get(url("proposal-list", roadmap) + "?state=not_taken_up").content.decode()
    assert "Fahrradstraßen in Düren" in listing
    assert "Fahrradstraßen" not in client.get(url("proposal-list", roadmap) + "?state=accepted").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_hidden_proposal_only_for_editors_and_author(client, personas, roadmap, proposal, editor, persona):
    services.proposal_moderate(proposal=proposal, publish=False, reason="Beleidigend", by=editor)
    login(client, personas, persona)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == (200 if persona in EDITORS else 404)
    if persona in EDITORS:
        assert "Beleidigend" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 403),
        ("editor", 302),
        ("staff", 302),
    ],
)
def test_answer_permissions(client, personas, roadmap, proposal, persona, status):
    login(client, personas, persona)
    response = client.post(
        url("proposal-answer", roadmap, proposal.pk), {"state": "in_review", "answer": "Wir prüfen."}
    )
    assert response.status_code == status
    proposal.refresh_from_db()
    assert (proposal.state == ProposalState.IN_REVIEW) is (persona in EDITORS)


def test_answer_rules(roadmap, proposal, editor, measure):
    with pytest.raises(ValidationError) as refused:  # not taken up needs a reason
        services.proposal_answer(proposal=proposal, state=ProposalState.NOT_TAKEN_UP, answer="", by=editor)
    assert set(refused.value.message_dict) == {"answer"}
    with pytest.raises(ValidationError) as refused:  # merged needs a target
        services.proposal_answer(proposal=proposal, state=ProposalState.MERGED, answer="Siehe M-01", by=editor)
    assert set(refused.value.message_dict) == {"merged_into_measure"}
    services.proposal_answer(
        proposal=proposal, state=ProposalState.MERGED, answer="Siehe M-01", by=editor, merged_into_measure=measure
    )
    proposal.refresh_from_db()
    assert proposal.merged_into_measure == measure and proposal.answer_organisation == roadmap.organisation
    assert proposal.answered_at is not None and proposal.answered_by == editor


def test_answer_form_error_keeps_text(client, personas, roadmap, proposal):
    personas.login(client, "editor")
    response = client.post(url("proposal-answer", roadmap, proposal.pk), {"state": "merged", "answer": "Mein Text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mein Text" in page and 'action="' in page and "#answer-form" in page


def test_to_measure_makes_it_accepted_with_link(client, roadmap, proposal, editor):
    measure = services.proposal_to_measure(proposal=proposal, code="B-07", by=editor)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    Measure.objects.filter(pk=measure.pk).update(published=True)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert measure.get_absolute_url() in page and "B-07" in page


# --- Replies, reports, support --------------------------------------------------------------------


def test_reply_depth_is_one(roadmap, measure, author, editor):
    question = services.comment_submit(measure=measure, author=author, text="Wann geht es los?", netiquette=True)
    services.comment_moderate(comment=question, publish=True, by=editor)
    answer = services.comment_submit(measure=measure, author=editor, text="Im Mai.", parent=question)
    assert answer.official and answer.is_published and answer.parent == question
    again = services.comment_submit(measure=measure, author=author, text="Danke!", parent=answer)
    assert again.parent == question  # a reply to a reply answers the thread's first comment
    assert FollowEvent.objects.filter(kind=FollowEvent.Kind.ANSWER, measure=measure).count() == 1


def test_replies_and_official_badge_on_page(client, roadmap, measure, author, editor):
    question = CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED, text="Frage eins")
    services.comment_submit(measure=measure, author=editor, text="Antwort eins", parent=question)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert page.index("Frage eins") < page.index("Antwort eins")
    assert 'class="comment-replies"' in page and "badge-official" in page


def test_comment_on_proposal(client, personas, roadmap, proposal):
    personas.login(client, "citizen")
    response = client.post(
        url("proposal-comment-create", roadmap, proposal.pk), {"text": "Unterstütze ich", "netiquette": "on"}
    )
    comment = Comment.objects.get()
    assert comment.proposal == proposal and comment.measure is None
    assert response["Location"] == proposal.get_absolute_url() + f"#comment-{comment.pk}"


def test_report_goes_to_the_queue(client, personas, roadmap, measure, author):
    comment = CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED)
    personas.login(client, "citizen")
    assert client.get(url("comment-report", roadmap, comment.pk)).status_code == 200
    response = client.post(url("comment-report", roadmap, comment.pk), {"reason": "Werbung"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.reported_at is not None and comment.report_reason == "Werbung"
    personas.login(client, "editor")
    queue = client.get(url("moderation", roadmap)).content.decode()
    assert "Werbung" in queue
    client.post(url("comment-moderate", roadmap, comment.pk), {"decision": "reject", "reason": "Werbung entfernt"})
    comment.refresh_from_db()
    assert comment.status == Moderation.REJECTED and comment.reported_at is None


def test_report_of_hidden_comment_is_404(client, personas, roadmap, measure, author):
    comment = CommentFactory(measure=measure, author=author)  # pending
    personas.login(client, "citizen")
    assert client.post(url("comment-report", roadmap, comment.pk), {"reason": "x"}).status_code == 404


def test_withdraw_support(client, personas, roadmap, proposal):
    personas.login(client, "citizen")
    client.post(url("proposal-support", roadmap, proposal.pk))
    assert ProposalSupport.objects.count() == 1
    client.post(url("proposal-unsupport", roadmap, proposal.pk))
    assert ProposalSupport.objects.count() == 0


# --- Follows and their emails ----------------------------------------------------------------------


def test_follow_measure_progress_report_mails_once(client, personas, roadmap, measure, editor):
    personas.login(client, "citizen")
    client.post(url("follow-measure", roadmap, measure.slug), {"frequency": "immediately"})
    citizen = personas.people["citizen"]
    assert Follow.objects.filter(person=citizen).count() == 1
    services.update_add(measure=measure, text="Die ersten 20 Dächer sind belegt.", percent=20, public=True, by=editor)
    services.update_add(measure=measure, text="intern", percent=None, public=False, by=editor)
    assert services.follows_notify() == 1
    assert services.follows_notify() == 0  # the event is sent: a second run finds nothing
    FollowEvent.objects.update(sent_at=None)
    services.follows_notify()  # even when it runs again over the same event, the outbox key holds
    mails = rows("follow_update").filter(recipient=citizen.user.email)
    assert mails.count() == 1
    message = mails.get()
    assert "20 Dächer" in message.body_text and "intern" not in message.body_text
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_status_change_and_answer_notify_roadmap_followers(roadmap, measure, proposal, author, editor):
    citizen = nf.PersonFactory(organisation=None)
    services.follow(person=citizen, obj=roadmap)
    measure.status = Measure.Status.COMPLETED  # was in progress
    services.measure_save(measure=measure, by=editor)
    services.proposal_answer(proposal=proposal, state=ProposalState.IN_REVIEW, answer="Wir prüfen das.", by=editor)
    services.follows_notify()
    assert rows("follow_update").filter(recipient=citizen.user.email).count() == 2
    # the author follows their own proposal since submitting; here it was made by a factory: nothing for them
    assert not rows("follow_update").filter(recipient=author.user.email).exists()


def test_submitting_a_proposal_follows_it(roadmap, author):
    proposal = services.proposal_submit(
        roadmap=roadmap, author=author, title="Idee", text="Text", sector="mobility", netiquette=True
    )
    assert follows.following(author, proposal) is not None


def test_unpublished_measure_events_are_not_mailed(roadmap, editor):
    hidden = MeasureFactory(roadmap=roadmap, published=False)
    citizen = nf.PersonFactory(organisation=None)
    services.follow(person=citizen, obj=roadmap)
    services.update_add(measure=hidden, text="geheim", percent=None, public=True, by=editor)
    services.follows_notify()
    assert not rows("follow_update").exists()


def test_weekly_mode_one_mail_per_week(roadmap, measure, editor):
    citizen = nf.PersonFactory(organisation=None)
    follow = services.follow(person=citizen, obj=measure, frequency=Frequency.WEEKLY)
    Follow.objects.filter(pk=follow.pk).update(created_at=timezone.now() - timedelta(days=30))
    services.update_add(measure=measure, text="Bericht eins", percent=None, public=True, by=editor)
    services.update_add(measure=measure, text="Bericht zwei", percent=None, public=True, by=editor)
    assert services.follows_notify() == 0  # weekly followers get nothing immediately
    next_week = timezone.now() + timedelta(days=7)
    assert services.follows_weekly(now=next_week) == 1
    services.follows_weekly(now=next_week)
    mails = rows("follow_weekly")
    assert mails.count() == 1
    assert "Bericht eins" in mails.get().body_text and "Bericht zwei" in mails.get().body_text
    assert services.follows_weekly(now=next_week + timedelta(days=7)) == 0  # nothing new: no email


def test_unsubscribe_link(client, roadmap, measure):
    citizen = nf.PersonFactory(organisation=None)
    follow = services.follow(person=citizen, obj=measure)
    link = reverse("measures:follow-unsubscribe", args=[follows.unsubscribe_token(follow)])
    response = client.get(link)
    assert response.status_code == 200 and Follow.objects.filter(pk=follow.pk).exists()  # a GET changes nothing
    assert client.post(link).status_code == 200  # one click, no session (RFC 8058)
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert client.post(link).status_code == 200  # a second click: still fine
    forged = reverse("measures:follow-unsubscribe", args=["x:y"])
    assert client.get(forged).status_code == 200 and client.post(forged).status_code == 200


def test_follows_page_and_frequency(client, personas, roadmap, measure, django_assert_num_queries):
    citizen = personas.people["citizen"]
    personas.login(client, "citizen")

    def grow(n):
        for _ in range(n):
            services.follow(person=citizen, obj=MeasureFactory(roadmap=roadmap))
            services.follow(person=citizen, obj=ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED))

    grow(1)
    # the person, follows, roadmaps, measures, proposals (the session, account and verified email: cache)
    with django_assert_num_queries(5):
        assert client.get(reverse("measures:follows")).status_code == 200
    grow(5)
    with django_assert_num_queries(5):
        response = client.get(reverse("measures:follows"))
    assert len(response.context["rows"]) == 12
    client.post(reverse("measures:follows"), {"frequency": "weekly"})
    assert set(Follow.objects.values_list("frequency", flat=True)) == {"weekly"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_follow_permissions(client, personas, roadmap, measure, persona):
    login(client, personas, persona)
    response = client.post(url("follow-measure", roadmap, measure.slug), {"frequency": "weekly"})
    assert response.status_code == 302
    assert Follow.objects.exists() is (persona != "anonymous")
    hidden = MeasureFactory(roadmap=roadmap, published=False)
    status = client.post(url("follow-measure", roadmap, hidden.slug)).status_code
    assert status == (302 if persona in EDITORS else (302 if persona == "anonymous" else 404))


# --- Feedback without an account ------------------------------------------------------------------

FEEDBACK = {
    "name": "Anna",
    "email": "anna@example.org",
    "text": "Bitte auch Mieter*innen einbeziehen.",
    "netiquette": "on",
}


def test_feedback_verify_flow(client, personas, roadmap, measure):
    response = client.post(url("feedback-create", roadmap, measure.slug), FEEDBACK)
    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url() + "#comments"
    feedback = Feedback.objects.get()
    assert feedback.verified_at is None and feedback.netiquette_at is not None
    message = rows("feedback_verify").get()
    assert message.recipient == "anna@example.org"
    link = feedback_services._verify_path(feedback)
    assert link in message.body_text
    personas.login(client, "editor")
    assert "Mieter*innen" not in client.get(url("moderation", roadmap)).content.decode()  # not verified yet
    client.logout()
    assert client.get(link).status_code == 200 and Feedback.objects.get().verified_at is None  # GET: a button
    client.post(link)
    assert Feedback.objects.get().verified_at is not None
    personas.login(client, "editor")
    assert "Mieter*innen" in client.get(url("moderation", roadmap)).content.decode()
    client.post(url("feedback-moderate", roadmap, feedback.pk), {"decision": "publish"})
    client.logout()
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Mieter*innen" in page and "anna@example.org" not in page


def test_feedback_bad_token_and_validation(client, roadmap, measure):
    assert client.get(reverse("measures:feedback-verify", args=["nonsense"])).status_code == 404
    response = client.post(url("feedback-create", roadmap, measure.slug), {**FEEDBACK, "netiquette": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mieter*innen" in page and "#feedback-form" in page
    assert not Feedback.objects.exists()


def test_feedback_rate_limit(client, roadmap, measure):
    for _ in range(3):
        assert client.post(url("feedback-create", roadmap, measure.slug), FEEDBACK).status_code == 302
    response = client.post(url("feedback-create", roadmap, measure.slug), FEEDBACK)
    assert response.status_code == 429
    assert Feedback.objects.count() == 3 and "Mieter*innen" in response.content.decode()


def test_unverified_feedback_is_purged(roadmap, measure):
    feedback_services.feedback_submit(
        measure=measure, name="", email="x@example.org", text="Hallo", netiquette=True, language="de"
    )
    assert feedback_services.feedback_purge_unverified(now=timezone.now() + timedelta(days=8)) == 1


# --- Phases ---------------------------------------------------------------------------------------


def test_outside_a_collecting_phase_the_form_says_so(client, personas, roadmap):
    today = timezone.localdate()
    ParticipationPhase.objects.create(
        roadmap=roadmap, title="Ideen sammeln", starts=today - timedelta(days=60), ends=today - timedelta(days=1)
    )
    ParticipationPhase.objects.create(
        roadmap=roadmap, title="Auswertung im Workshop", starts=today, ends=today + timedelta(days=10), collecting=False
    )
    personas.login(client, "citizen")
    page = client.get(url("proposal-create", roadmap)).content.decode()
    assert "Auswertung im Workshop" in page and 'id="proposal-form"' not in page
    data = {"title": "Idee", "text": "Text", "sector": "mobility", "netiquette": "on"}
    response = client.post(url("proposal-create", roadmap), data)
    assert response.status_code == 400 and not roadmap.proposals.exists()
    assert "Auswertung im Workshop" in client.get(roadmap.get_absolute_url()).content.decode()


def test_during_a_collecting_phase_proposals_are_taken(client, personas, roadmap):
    today = timezone.localdate()
    ParticipationPhase.objects.create(roadmap=roadmap, title="Ideen sammeln", starts=today, ends=today)
    personas.login(client, "citizen")
    data = {"title": "Idee", "text": "Text", "sector": "mobility", "netiquette": "on"}
    assert client.post(url("proposal-create", roadmap), data).status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 403),
        ("editor", 302),
        ("staff", 302),
    ],
)
def test_phase_editing_permissions(client, personas, roadmap, persona, status):
    login(client, personas, persona)
    data = {"title": "Ideen sammeln", "starts": "2027-01-01", "ends": "2027-03-31", "collecting": "on"}
    assert client.post(url("phases", roadmap), data).status_code == status
    assert ParticipationPhase.objects.exists() is (persona in EDITORS)


def test_phase_end_before_start_is_a_form_error(client, personas, roadmap):
    personas.login(client, "editor")
    data = {"title": "Falsch", "starts": "2027-03-01", "ends": "2027-01-01"}
    response = client.post(url("phases", roadmap), data)
    assert response.status_code == 400 and "Falsch" in response.content.decode()


# --- Netiquette -----------------------------------------------------------------------------------


def test_netiquette_once_at_the_first_contribution(client, personas, roadmap, measure):
    personas.login(client, "citizen")
    data = {"title": "Idee", "text": "Mein Vorschlagstext", "sector": "mobility"}
    response = client.post(url("proposal-create", roadmap), data)
    assert response.status_code == 400 and "Mein Vorschlagstext" in response.content.decode()
    assert 'id="id_proposal_netiquette_error"' in response.content.decode()
    assert client.post(url("proposal-create", roadmap), {**data, "netiquette": "on"}).status_code == 302
    accepted = NetiquetteAcceptance.objects.get(person=personas.people["citizen"])
    assert timezone.now() - accepted.accepted_at < timedelta(minutes=5)  # stored with its date
    # from now on nobody asks again
    assert 'name="netiquette"' not in client.get(url("proposal-create", roadmap)).content.decode()
    client.post(url("comment-create", roadmap, measure.slug), {"text": "Zweiter Beitrag"})
    assert Comment.objects.filter(text="Zweiter Beitrag").exists()


# --- Validation keeps the text, next to the field, where the browser lands ------------------------


def test_refused_comment_keeps_text_and_error_at_the_form(client, personas, roadmap, measure):
    personas.login(client, "citizen")
    text = "Mein langer Kommentar " + "x" * 4000
    response = client.post(url("comment-create", roadmap, measure.slug), {"text": text, "netiquette": "on"})
    assert response["Location"].endswith("#comment-form")
    page = client.get(response["Location"]).content.decode()
    form = page[page.index('id="comment-form"') :]
    assert text in form
    assert 'id="id_comment_text_error"' in form and 'aria-invalid="true"' in form
    assert text not in client.get(measure.get_absolute_url()).content.decode()  # read once


def test_refused_reply_lands_at_its_form(client, personas, roadmap, measure, author):
    question = CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED)
    personas.login(client, "citizen")
    response = client.post(url("comment-create", roadmap, measure.slug), {"text": " ", "parent": question.pk})
    assert response["Location"].endswith(f"#reply-{question.pk}")
    page = client.get(response["Location"]).content.decode()
    reply = page[page.index(f'id="reply-{question.pk}"') :]
    assert reply.startswith(f'id="reply-{question.pk}" open') and f"id_reply_text_{question.pk}_error" in reply


# --- Unanswered questions -------------------------------------------------------------------------


def test_unanswered_question_flagged_after_14_days(client, personas, roadmap, measure, author, editor):
    old = CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED, text="Alte Frage")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=15))
    CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED, text="Neue Frage")
    answered = CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED, text="Beantwortet")
    Comment.objects.filter(pk=answered.pk).update(created_at=timezone.now() - timedelta(days=20))
    services.comment_submit(measure=measure, author=editor, text="Antwort", parent=answered)
    assert [c.text for c in services.unanswered_questions([roadmap])] == ["Alte Frage"]
    personas.login(client, "editor")
    page = client.get(url("editor-dashboard", roadmap)).content.decode()
    assert "Alte Frage" in page and "Neue Frage" not in page
    # the digest: once, in the window in which it turned 14 days old
    network = personas.network
    now = timezone.now()
    request = sections.Request(person=editor, networks=(network,), since=now - timedelta(days=2), until=now)
    items = unanswered_items([request])[editor.pk]
    assert [item.key for item in items] == [f"measures.question:{old.pk}"]
    later = sections.Request(person=editor, networks=(network,), since=now, until=now + timedelta(days=1))
    assert not unanswered_items([later]).get(editor.pk)
    citizen = personas.people["citizen"]
    other = sections.Request(person=citizen, networks=(network,), since=now - timedelta(days=2), until=now)
    assert not unanswered_items([other]).get(citizen.pk)


def test_proposal_detail_queries_are_flat(client, personas, roadmap, proposal, author, django_assert_num_queries):
    personas.login(client, "citizen")

    def grow(n):
        for _ in range(n):
            question = CommentFactory(measure=None, proposal=proposal, author=author, status=Moderation.PUBLISHED)
            CommentFactory(measure=None, proposal=proposal, author=author, parent=question, status="published")

    grow(1)
    with CaptureQueriesContext(connection) as first:
        client.get(proposal.get_absolute_url())
    grow(8)
    with django_assert_num_queries(len(first)):  # the same number with 9 threads as with 1
        response = client.get(proposal.get_absolute_url())
    assert response.content.decode().count('class="comment-replies"') == 9


# --- Personal data ----------------------------------------------------------------------------------


def test_export_and_account_deletion(roadmap, measure, proposal, author):
    from networks import panels

    services.follow(person=author, obj=measure, frequency=Frequency.WEEKLY)
    services.proposal_support(proposal=proposal, person=author)
    NetiquetteAcceptance.objects.create(person=author)
    data = panels.personal_data(author)
    assert data["follows"][0]["emails"] == "weekly" and data["participation_rules_accepted_at"]
    assert data["proposals"][0]["title"] == "Fahrradstraßen in Düren"
    panels.before_account_delete(author)
    assert not Follow.objects.filter(person=author).exists()
    assert not ProposalSupport.objects.filter(person=author).exists()
    assert proposal.__class__.objects.filter(pk=proposal.pk).exists()  # the contribution stays
