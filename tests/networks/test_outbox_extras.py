"""The outbox carries a message's own headers and attachments read from storage at sending time."""

import pytest
from django.core import mail as django_mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from networks.outbox import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db


def test_extra_headers_and_stored_attachment_go_out(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("library/folien.pdf", ContentFile(b"%PDF-1.4 slides"))
    message = outbox_enqueue(
        recipient="Mitglied@Example.org",
        reason="announcement",
        object_key="a-1",
        subject="Jahresplanung",
        body_text="Hallo",
        headers={"List-Id": "KTT <ktt.klimanetz.example>", "Reply-To": "reply+abc@klimanetz.example"},
        attachments=[
            {"filename": "folien.pdf", "mimetype": "application/pdf", "storage_name": name},
            {"filename": "termin.ics", "mimetype": "text/calendar", "content": "BEGIN:VCALENDAR"},
        ],
    )
    assert outbox_deliver(message_id=message.pk)
    sent = django_mail.outbox[-1]
    assert sent.extra_headers["List-Id"] == "KTT <ktt.klimanetz.example>"
    assert sent.message()["Reply-To"] == "reply+abc@klimanetz.example"
    assert [a[0] for a in sent.attachments] == ["folien.pdf", "termin.ics"]
    assert sent.attachments[0][1] == b"%PDF-1.4 slides"


def test_a_stored_attachment_that_is_gone_keeps_the_row_for_a_retry(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    message = outbox_enqueue(
        recipient="a@example.org",
        reason="announcement",
        object_key="a-2",
        subject="x",
        body_text="x",
        attachments=[{"filename": "weg.pdf", "mimetype": "application/pdf", "storage_name": "library/weg.pdf"}],
    )
    assert not outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == message.Status.PENDING and "weg.pdf" in message.last_error


def test_list_id_names_the_network_under_the_site_host(settings):
    from networks import mail
    from tests.networks.factories import NetworkFactory

    settings.SITE_URL = "https://klimanetz.example.de"
    network = NetworkFactory(short_name='Klima."Taten".Team', slug="ktt")
    assert mail.list_id(network) == "\"Klima.'Taten'.Team\" <ktt.klimanetz.example.de>"
