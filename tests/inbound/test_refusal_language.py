"""The notice about refused attachments speaks the language of the person who replied: the upload rule's reason
and the limit of attachments per email are said in it, whatever language the fetch runs in."""

import pytest
from django.utils import translation

from networks.inbound import services
from networks.models import OutboxMessage
from tests.inbound.factories import reply_mail

pytestmark = pytest.mark.django_db

TOO_MANY = [("tool.exe", "application/x-msdownload", b"MZ\x90\x00")] + [
    (f"notiz-{n}.txt", "text/plain", b"Notiz") for n in range(services.MAX_ATTACHMENTS)
]


@pytest.mark.parametrize(
    ("language", "rule", "limit"),
    [
        ("en", "This file type is not allowed", f"More than {services.MAX_ATTACHMENTS} attachments per email."),
        ("de", "Dieser Dateityp ist nicht erlaubt", f"Mehr als {services.MAX_ATTACHMENTS} Anhänge pro E-Mail."),
    ],
)
def test_refused_attachments_are_explained_in_the_persons_language(personas, thread, address_of, language, rule, limit):
    member = personas.people["member"]
    member.language = language
    member.save(update_fields=["language"])
    raw = reply_mail(to=address_of(member, thread), sender=member.user.email, attachments=TOO_MANY)
    with translation.override("en" if language == "de" else "de"):  # the fetch runs in another language
        result = services.process(raw)
    assert result.outcome == "posted"
    refused = {item["filename"]: item["reason"] for item in result.message.attachments_refused}
    assert set(refused) == {"tool.exe", f"notiz-{services.MAX_ATTACHMENTS - 1}.txt"}
    assert refused["tool.exe"].startswith(rule) and refused[f"notiz-{services.MAX_ATTACHMENTS - 1}.txt"] == limit
    [notice] = OutboxMessage.objects.filter(reason="inbound_attachments_refused")
    assert rule in notice.body_text and limit in notice.body_text
