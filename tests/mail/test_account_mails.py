"""allauth's mails (transactional, through the outbox) say why they were sent and that they cannot be switched off;
they carry no switch-off link and no List-Unsubscribe header."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from networks import mail
from networks.models import OutboxMessage
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_password_reset_mail_says_why_and_has_no_switch(
    client, language, mailoutbox, django_capture_on_commit_callbacks
):
    person = f.PersonFactory(language=language)
    with translation.override(language):
        url = reverse("account_reset_password")
        why = str(mail.kind_of("password_reset_key").why)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": person.user.email})
    message = OutboxMessage.objects.get(reason="password_reset_key")
    assert message.language == language
    assert why in message.body_text
    assert "abbestellen" not in message.body_text
    [sent] = mailoutbox
    assert "List-Unsubscribe" not in sent.extra_headers


def test_account_mails_have_an_html_version_with_the_same_words_and_clickable_links(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = f.PersonFactory(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.user.email})
    message = OutboxMessage.objects.get(reason="password_reset_key")
    [link] = [word for word in message.body_text.split() if "/konto/password/reset/key/" in word]
    assert f'<a href="{link}"' in message.body_html
    assert '<html lang="de">' in message.body_html and "<script" not in message.body_html
    first_line = message.body_text.strip().splitlines()[0]
    assert first_line in message.body_html
    [sent] = mailoutbox
    assert sent.alternatives and sent.alternatives[0][1] == "text/html"
