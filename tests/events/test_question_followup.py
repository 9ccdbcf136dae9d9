"""Office-hour questions after they are asked (FINDINGS.md): the coordinators hear of a new question, the asker of
the answer (once; an edit of the answer mails nobody), the asker edits or withdraws an unanswered question, the
coordination removes spam and duplicates with a reason that the admin keeps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Kind, Question
from networks import mail
from networks.models import NetworkRole, OutboxMessage
from tests.events.factories import EventFactory, QuestionFactory, in_days
from tests.helpers import de, messages_of
from tests.networks import factories as nf

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_hour(personas):
    return EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, title="Klima.Taten.Talk")


@pytest.fixture
def asked(personas, office_hour):
    """The member's unanswered question."""
    return QuestionFactory(event=office_hour, author=personas.people["member"], text="Wer hat Erfahrung mit PV?")


def q_url(name: str, question: Question) -> str:
    return reverse(f"events:question-{name}", args=[question.network.slug, question.pk])


def mails(reason: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(reason=reason).order_by("recipient"))


# --- The coordinators hear of a new question ---------------------------------------------------------------


def test_a_new_question_mails_each_coordinator_once(client, personas, office_hour):
    second = nf.NetworkRoleFactory(network=personas.network, role=NetworkRole.Role.COORDINATOR).person
    personas.login(client, "member")
    client.post(reverse("events:question-create", args=[personas.network.slug, office_hour.pk]), {"text": "Frage?"})
    question = Question.objects.get()
    sent = mails("question_asked")
    expected = sorted([personas.people["coordinator"].user.email, second.user.email])
    assert [m.recipient for m in sent] == expected
    assert all(m.object_id == str(question.pk) for m in sent)
    sent[0].full_clean()  # a valid outbox row (its key has an occasion)
    assert q_url("answer", question) in sent[0].body_text and q_url("remove", question) in sent[0].body_text
    assert "Frage?" in sent[0].body_text and "Mitglied" in sent[0].body_text  # the coordination sees who asked
    assert de("New question for the office hour “%(title)s”", title="Klima.Taten.Talk") == sent[0].subject


def test_a_coordinators_own_question_and_a_switched_off_kind_send_nothing(personas, office_hour):
    coordinator = personas.people["coordinator"]
    services.question_ask(event=office_hour, person=coordinator, text="Meine Frage", anonymous=False)
    assert mails("question_asked") == []  # the only coordinator asked it
    mail.mail_switch_off(person=coordinator, kind="question_asked")
    services.question_ask(event=office_hour, person=personas.people["member"], text="Frage", anonymous=False)
    assert mails("question_asked") == []


# --- The asker hears of the answer, once ------------------------------------------------------------------


def test_the_answer_mails_the_asker_once_and_an_edit_does_not_mail_again(client, personas, asked):
    personas.login(client, "coordinator")
    client.post(q_url("answer", asked), {"answer": "Die **Energieagentur** berät."})
    sent = mails("question_answered")
    assert [m.recipient for m in sent] == [personas.people["member"].user.email]
    assert "Wer hat Erfahrung mit PV?" in sent[0].body_text and "Die **Energieagentur** berät." in sent[0].body_text
    assert "<strong>Energieagentur</strong>" in sent[0].body_html  # the stored, sanitised HTML of the answer
    assert f"#question-{asked.pk}" in sent[0].body_text
    sent[0].full_clean()
    client.post(q_url("answer", asked), {"answer": "Die Energieagentur berät, Ansprechpartnerin: Frau Kurz."})
    asked.refresh_from_db()
    assert asked.answer.endswith("Frau Kurz.")
    assert len(mails("question_answered")) == 1


def test_no_answer_mail_to_who_switched_it_off_or_left_the_network(personas, office_hour):
    member, coordinator = personas.people["member"], personas.people["coordinator"]
    mail.mail_switch_off(person=member, kind="question_answered")
    services.question_answer(question=QuestionFactory(event=office_hour, author=member), answer="A", by=coordinator)
    leaver = nf.NetworkRoleFactory(network=personas.network).person
    question = QuestionFactory(event=office_hour, author=leaver)
    NetworkRole.objects.filter(person=leaver).delete()
    services.question_answer(question=question, answer="B", by=coordinator)
    assert mails("question_answered") == []


def test_both_kinds_are_registered_and_switchable():
    asked, answered = mail.kind_of("question_asked"), mail.kind_of("question_answered")
    assert asked.switchable and answered.switchable and asked.area == answered.area == "events"


def test_the_coordinator_finds_the_new_question_kind_on_the_settings_page(personas):
    assert "question_asked" in {k.code for k in mail.kinds_for(personas.people["coordinator"])}
    assert "question_asked" not in {k.code for k in mail.kinds_for(personas.people["member"])}


# --- The asker edits or withdraws an unanswered question -----------------------------------------------------

# Who may open the asker's own edit and withdraw pages: only the asker (a member here).
OWN = [
    ("anonymous", 302),
    ("citizen", 404),
    ("other_network", 404),
    ("editor", 404),
    ("coordinator", 403),
    ("staff", 403),
    ("member", 200),
]


@pytest.mark.parametrize(("persona", "status"), OWN)
@pytest.mark.parametrize("name", ["edit", "delete"])
def test_only_the_asker_opens_edit_and_withdraw(client, personas, asked, persona, status, name):
    personas.login(client, persona)
    assert client.get(q_url(name, asked)).status_code == status


@pytest.mark.parametrize(("persona", "status"), [p for p in OWN if p[0] != "member"])
def test_nobody_else_changes_or_withdraws_the_question(client, personas, asked, persona, status):
    personas.login(client, persona)
    assert client.post(q_url("edit", asked), {"text": "Übernommen"}).status_code == status
    assert client.post(q_url("delete", asked)).status_code == status
    asked.refresh_from_db()
    assert asked.text == "Wer hat Erfahrung mit PV?"


def test_the_asker_changes_the_question_and_the_page_says_edited(client, personas, asked):
    personas.login(client, "member")
    topic = nf.TopicFactory()
    response = client.post(q_url("edit", asked), {"text": "Wer hat Erfahrung mit PV auf Schulen?", "topic": topic.pk})
    assert response["Location"] == asked.event.get_absolute_url() + "#questions"
    asked.refresh_from_db()
    assert (asked.text, asked.topic, asked.anonymous) == ("Wer hat Erfahrung mit PV auf Schulen?", topic, False)
    assert asked.edited_at is not None
    assert [h.text for h in asked.history.order_by("history_id")][-2:] == [
        "Wer hat Erfahrung mit PV?",
        "Wer hat Erfahrung mit PV auf Schulen?",
    ]
    page = client.get(asked.event.get_absolute_url())
    item = page.content.decode().split(f'id="question-{asked.pk}"')[1].split("</li>")[0]
    assert de("edited") in item and q_url("edit", asked) in item and q_url("delete", asked) in item


def test_an_empty_edit_keeps_what_was_typed_and_writes_nothing(client, personas, asked):
    personas.login(client, "member")
    response = client.post(q_url("edit", asked), {"text": "   ", "topic": "999999"})
    assert response.status_code == 400 and response.context["form"].errors
    asked.refresh_from_db()
    assert asked.text == "Wer hat Erfahrung mit PV?" and asked.edited_at is None


def test_the_asker_withdraws_the_question(client, personas, asked):
    personas.login(client, "member")
    assert de("Withdraw question") in client.get(q_url("delete", asked)).content.decode()
    response = client.post(q_url("delete", asked))
    assert response["Location"] == asked.event.get_absolute_url() + "#questions"
    assert not Question.objects.filter(pk=asked.pk).exists()
    assert Question.history.filter(id=asked.pk, history_type="-").exists()  # the admin's history keeps it


def test_an_answered_question_can_no_longer_be_changed_or_withdrawn(client, personas, asked):
    services.question_answer(question=asked, answer="Antwort", by=personas.people["coordinator"])
    personas.login(client, "member")
    for name in ("edit", "delete"):
        response = client.post(q_url(name, asked), {"text": "Geändert"})
        assert response.status_code == 302
        assert messages_of(response)[-1] == de("This question has been answered; it can no longer be changed.")
    asked.refresh_from_db()
    assert asked.text == "Wer hat Erfahrung mit PV?"
    with pytest.raises(ValidationError):
        services.question_edit(question=asked, by=personas.people["member"], text="X", anonymous=False)


def test_after_the_office_hour_the_question_cannot_be_changed_but_withdrawn(client, personas):
    event = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, starts_at=in_days(-2))
    question = QuestionFactory(event=event, author=personas.people["member"], text="Alt")
    personas.login(client, "member")
    response = client.post(q_url("edit", question), {"text": "Neu"})
    assert messages_of(response) == [de("This office hour is over or cancelled; questions are closed.")]
    question.refresh_from_db()
    assert question.text == "Alt"
    client.post(q_url("delete", question))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_the_service_refuses_someone_elses_question(personas, asked):
    with pytest.raises(PermissionDenied):
        services.question_edit(question=asked, by=personas.people["coordinator"], text="X", anonymous=False)
    with pytest.raises(PermissionDenied):
        services.question_delete(question=asked, by=personas.people["coordinator"])


# --- The coordination removes spam and duplicates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("other_network", 404),
        ("editor", 404),
        ("member", 403),
        ("coordinator", 200),
        ("staff", 200),
    ],
)
def test_remove_permissions(client, personas, asked, persona, status):
    personas.login(client, persona)
    assert client.get(q_url("remove", asked)).status_code == status
    response = client.post(q_url("remove", asked), {"removed_reason": "Spam"})
    assert response.status_code == (302 if status == 200 else status)
    asked.refresh_from_db()
    assert asked.is_removed is (status == 200)


def test_a_removed_question_is_hidden_kept_and_shown_to_the_asker_with_the_reason(client, personas, asked):
    other = QuestionFactory(event=asked.event, author=nf.NetworkRoleFactory(network=personas.network).person)
    personas.login(client, "coordinator")
    response = client.post(q_url("remove", asked), {"removed_reason": "Doppelt, siehe Frage zu Solardächern"})
    assert response["Location"] == asked.event.get_absolute_url() + "#questions"
    asked.refresh_from_db()
    assert asked.removed_by == personas.people["coordinator"] and asked.removed_reason.startswith("Doppelt")
    coordinator_page = client.get(asked.event.get_absolute_url())
    assert [q.pk for q in coordinator_page.context["questions"]] == [other.pk]
    personas.login(client, "member")
    asker_page = client.get(asked.event.get_absolute_url())
    assert [q.pk for q in asker_page.context["questions"]] == [asked.pk, other.pk]
    item = asker_page.content.decode().split(f'id="question-{asked.pk}"')[1].split("</li>")[0]
    assert de("removed by the coordination") in item and "Doppelt, siehe Frage zu Solardächern" in item
    assert q_url("edit", asked) not in item
    assert client.get(q_url("edit", asked)).status_code == 404  # no longer the asker's to change
    assert Question.objects.filter(pk=asked.pk).exists()  # kept for the admin


def test_removing_needs_a_reason_and_writes_nothing_without_one(client, personas, asked):
    personas.login(client, "coordinator")
    response = client.post(q_url("remove", asked), {"removed_reason": "  "})
    assert response.status_code == 400 and response.context["form"].errors["removed_reason"]
    asked.refresh_from_db()
    assert not asked.is_removed
    with pytest.raises(ValidationError):
        services.question_remove(question=asked, by=None, reason="")


def test_removing_twice_keeps_the_first_reason_and_a_removed_question_is_not_answered(client, personas, asked):
    coordinator = personas.people["coordinator"]
    services.question_remove(question=asked, by=coordinator, reason="Spam")
    services.question_remove(question=asked, by=coordinator, reason="Anderer Grund")
    asked.refresh_from_db()
    assert asked.removed_reason == "Spam"
    personas.login(client, "coordinator")
    response = client.post(q_url("answer", asked), {"answer": "Antwort"})
    assert messages_of(response) == [de("The coordination has removed this question.")]
    asked.refresh_from_db()
    assert not asked.is_answered and mails("question_answered") == []


def test_the_admin_lists_removed_questions_with_the_reason(client, personas, asked):
    services.question_remove(question=asked, by=personas.people["coordinator"], reason="Spam-Werbung")
    personas.login(client, "staff")
    page = client.get(reverse("admin:events_question_changelist") + "?removed=yes")
    assert page.status_code == 200 and [q.pk for q in page.context["cl"].result_list] == [asked.pk]
    change = client.get(reverse("admin:events_question_change", args=[asked.pk]))
    assert "Spam-Werbung" in change.content.decode()
    assert client.get(reverse("admin:events_question_history", args=[asked.pk])).status_code == 200


def test_the_event_page_keeps_its_query_count_as_questions_grow(client, personas, office_hour):
    """Listed questions and the asker's own removed ones come in the one query of the page's question list."""
    personas.login(client, "member")
    counts = []
    for size in (2, 12):
        for n in range(size):
            question = QuestionFactory(event=office_hour, author=personas.people["member"] if n % 2 else None)
            if n % 3 == 0:
                services.question_remove(question=question, by=None, reason="Spam")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(office_hour.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_removed_questions_leave_the_faq_and_the_coordinations_open_list(client, personas, office_hour):
    coordinator = personas.people["coordinator"]
    answered = QuestionFactory(event=office_hour, text="Frage zu Solardächern auf Schulen")
    services.question_answer(question=answered, answer="Antwort", by=coordinator)
    kept = QuestionFactory(event=office_hour, text="Offene Frage")
    spam = QuestionFactory(event=office_hour, text="Werbung")
    for question in (answered, spam):
        services.question_remove(question=question, by=coordinator, reason="Spam")
    personas.login(client, "coordinator")
    page = client.get(reverse("events:faq", args=[personas.network.slug]))
    assert [q.pk for q in page.context["open_questions"]] == [kept.pk]
    assert "Solardächern" not in page.content.decode()  # the answered one left the FAQ
