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
