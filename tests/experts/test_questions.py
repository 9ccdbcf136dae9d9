"""Asking an expert through the portal (issue 17 §4): the email without addresses, the reply by email through
networks.inbound, rate limits, blocking, "Meine Anfragen"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.experts import mail_kinds, services
from networks.experts.models import Block, Question, QuestionMessage
from networks.inbound import services as inbound
from networks.inbound import tokens
from networks.inbound.models import InboundMessage
from networks.mail import mail_settings_set
from networks.models import OutboxMessage
from tests.experts.factories import expert_in, question
from tests.helpers import assert_flat
from tests.inbound.factories import REPLY_DOMAIN, reply_mail
from tests.networks import factories as f


@pytest.fixture
def inbound_on(settings):
    settings.INBOUND_IMAP_URL = "imap://portal:secret@127.0.0.1:1/INBOX"
    settings.INBOUND_REPLY_DOMAIN = REPLY_DOMAIN
    settings.DEFAULT_FROM_EMAIL = "Klimanetz <noreply@klimanetz.example>"


@pytest.fixture
def topic():
    return f.TopicFactory(slug="waermeplanung", name="Kommunale Wärmeplanung", name_en="Heat planning")


@pytest.fixture
def expert(personas, topic):
    return expert_in(personas.other, topic=topic, visible_everywhere=True, name="Offene Expertin")


def _ask(client, personas, expert, topic, **data):
    personas.login(client, "member")
    payload = {"subject": "Ausschreibung Wärmeplanung", "body": "Wie haben Sie die Ausschreibung gestaltet?", **data}
    return client.post(reverse("experts:ask", args=[expert.pk]) + f"?topic={topic.pk}", payload)


def test_question_reaches_the_expert_by_email_without_the_askers_address(client, personas, expert, topic, inbound_on):
    response = _ask(client, personas, expert, topic)
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert (question.asker, question.expert, question.topic) == (personas.people["member"], expert, topic)
    mail = OutboxMessage.objects.get(reason=mail_kinds.QUESTION)
    asker_address = personas.people["member"].user.email
    assert mail.recipient == expert.user.email
    assert asker_address not in mail.body_text and asker_address not in mail.body_html
    assert asker_address not in str(mail.headers)
    assert "Wie haben Sie die Ausschreibung gestaltet?" in mail.body_text
    reply_to = mail.headers["Reply-To"]
    assert reply_to.startswith("reply+ask-") and reply_to.endswith("@" + REPLY_DOMAIN)


def test_reply_by_email_reaches_the_asker_without_the_experts_address(client, personas, expert, topic, inbound_on):
    _ask(client, personas, expert, topic)
    reply_to = OutboxMessage.objects.get(reason=mail_kinds.QUESTION).headers["Reply-To"]
    result = inbound.process(reply_mail(to=reply_to, sender=expert.user.email, body="Mit einem Stufenmodell.\n"))
    assert result.outcome == InboundMessage.Outcome.POSTED
    message = QuestionMessage.objects.get(author=expert)
    assert message.body.startswith("Mit einem Stufenmodell") and message.via == "email"
    answer = OutboxMessage.objects.get(reason=mail_kinds.MESSAGE)
    assert answer.recipient == personas.people["member"].user.email
    assert expert.user.email not in answer.body_text and expert.user.email not in str(answer.headers)
    # the asker answers by email again: back to the expert
    again = inbound.process(reply_mail(to=answer.headers["Reply-To"], sender=answer.recipient, body="Danke!\n"))
    assert again.outcome == InboundMessage.Outcome.POSTED
    assert OutboxMessage.objects.filter(reason=mail_kinds.MESSAGE, recipient=expert.user.email).count() == 1


def test_routed_reply_from_another_address_or_forged_is_refused(personas, expert, inbound_on):
    q = question(asker=personas.people["member"], expert=expert)
    address = tokens.routed_reply_address("ask", expert, q.pk)
    assert inbound.process(reply_mail(to=address, sender="someone@else.example")).reason == "wrong_sender"
    forged = address.replace("reply+ask-", "reply+ask-1")
    assert inbound.process(reply_mail(to=forged, sender=expert.user.email)).reason == "forged_token"
    # a thread's token does not pass for a question's (the MAC covers the kind)
    thread_token = tokens.make_token(expert.pk, q.pk)
    fake = f"reply+ask-{thread_token}@{REPLY_DOMAIN}"
    assert inbound.process(reply_mail(to=fake, sender=expert.user.email)).reason == "forged_token"
    assert QuestionMessage.objects.filter(author=expert).count() == 0


def test_a_stranger_cannot_reply_into_a_question(personas, expert, inbound_on):
    q = question(asker=personas.people["member"], expert=expert)
    stranger = personas.people["coordinator"]
    address = tokens.routed_reply_address("ask", stranger, q.pk)
    result = inbound.process(reply_mail(to=address, sender=stranger.user.email))
    assert result.outcome == InboundMessage.Outcome.REFUSED and result.reason == "no_access"


def test_the_expert_not_opted_in_cannot_be_asked(client, personas, topic):
    hidden = expert_in(personas.other, topic=topic, visible_everywhere=False)
    personas.login(client, "member")
    assert client.get(reverse("experts:ask", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("experts:ask", args=[hidden.pk]), {"subject": "x", "body": "y"}).status_code == 404
    assert not Question.objects.exists()


@pytest.mark.parametrize("persona,status", [("anonymous", 302), ("citizen", 403), ("other_network", 200)])
def test_ask_page_by_persona(client, personas, expert, persona, status):
    personas.login(client, persona)
    response = client.get(reverse("experts:ask", args=[expert.pk]))
    assert response.status_code == status


def test_asking_oneself_is_refused(client, personas, expert):
    client.force_login(expert.user)
    response = client.post(reverse("experts:ask", args=[expert.pk]), {"subject": "x", "body": "y"})
    assert response.status_code == 400 and not Question.objects.exists()


def test_bad_input_keeps_the_text(client, personas, expert, topic):
    response = _ask(client, personas, expert, topic, subject="")
    assert response.status_code == 400
    assert "Wie haben Sie die Ausschreibung gestaltet?" in response.content.decode()
    assert not Question.objects.exists()


def test_rate_limited(personas, expert, topic):
    asker = personas.people["member"]
    for i in range(services.QUESTIONS_PER_HOUR):
        services.question_ask(asker=asker, expert=expert, subject=f"Frage {i}", body="Text")
    with pytest.raises(ValidationError) as error:
        services.question_ask(asker=asker, expert=expert, subject="Eine zu viel", body="Text")
    assert error.value.code == "rate_limited"
    assert Question.objects.count() == services.QUESTIONS_PER_HOUR


def test_the_expert_can_block_the_asker(client, personas, expert, topic, inbound_on):
    _ask(client, personas, expert, topic)
    q = Question.objects.get()
    client.force_login(expert.user)
    assert client.post(reverse("experts:block", args=[q.pk])).status_code == 302
    assert Block.objects.filter(person=expert, blocked=personas.people["member"]).exists()
    with pytest.raises(ValidationError):
        services.question_ask(asker=personas.people["member"], expert=expert, subject="Noch eine", body="Text")
    with pytest.raises(ValidationError):
        services.message_add(question=q, author=personas.people["member"], body="Hallo?")
    reply_to = tokens.routed_reply_address("ask", personas.people["member"], q.pk)
    refused = inbound.process(reply_mail(to=reply_to, sender=personas.people["member"].user.email))
    assert refused.reason == "invalid"
    client.post(reverse("experts:block", args=[q.pk]), {"unblock": "1"})
    assert not Block.objects.exists()


def test_switched_off_kind_means_no_questions(personas, expert):
    mail_settings_set(person=expert, off={mail_kinds.QUESTION})
    with pytest.raises(ValidationError):
        services.question_ask(asker=personas.people["member"], expert=expert, subject="x", body="y")


def test_my_questions_lists_both_sides(client, personas, expert):
    q = question(asker=personas.people["member"], expert=expert, subject="Ausschreibung Wärmeplanung")
    for persona in ("member", "other_network"):
        client.logout()
        who = personas.people["member"] if persona == "member" else expert
        client.force_login(who.user)
        page = client.get(reverse("experts:questions")).content.decode()
        assert "Ausschreibung Wärmeplanung" in page
        assert client.get(q.get_absolute_url()).status_code == 200
    personas.login(client, "coordinator")
    assert "Ausschreibung Wärmeplanung" not in client.get(reverse("experts:questions")).content.decode()
    assert client.get(q.get_absolute_url()).status_code == 404
    assert client.post(reverse("experts:block", args=[q.pk])).status_code == 404


def test_web_reply_notifies_the_other(client, personas, expert):
    q = question(asker=personas.people["member"], expert=expert)
    client.force_login(expert.user)
    response = client.post(q.get_absolute_url(), {"body": "Gern, rufen Sie mich an."})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(reason=mail_kinds.MESSAGE)
    assert mail.recipient == personas.people["member"].user.email
    assert client.post(q.get_absolute_url(), {"body": ""}).status_code == 400


def test_list_and_detail_queries_are_flat(client, personas, expert, django_assert_num_queries):
    asker = personas.people["member"]
    personas.login(client, "member")
    q = question(asker=asker, expert=expert)

    def grow_list(n):
        for _ in range(n):
            question(asker=asker, expert=expert_in(personas.other, topic=f.TopicFactory(), visible_everywhere=True))

    def grow_detail(n):
        for _ in range(n):
            QuestionMessage.objects.create(question=q, author=asker, body="Noch etwas")

    assert_flat(client, reverse("experts:questions"), grow_list, django_assert_num_queries, 3)
    assert_flat(client, q.get_absolute_url(), grow_detail, django_assert_num_queries, 4)


def test_account_deletion_takes_the_conversations(personas, expert):
    from networks import panels

    question(asker=personas.people["member"], expert=expert)
    data = panels.personal_data(personas.people["member"])
    assert data["questions_to_experts"][0]["role"] == "asker"
    panels.before_account_delete(expert)
    assert not Question.objects.exists()
