"""Inbound mail's part of the world that sends every kind of email (tests/mail/conftest.py send_everything): real
RFC 5322 replies through ``process``: to a closed thread (refused, in the person's language, with their text), with
an attachment the upload rule refuses (posted without it, the person is told), and a stranger's forged token."""

from __future__ import annotations

from django.test import override_settings

from networks.channel.services import thread_close, thread_create
from networks.inbound import services, tokens
from networks.inbound.models import InboundMessage
from networks.models import NetworkRole
from tests.channel.mail_world import INBOUND
from tests.inbound.factories import reply_mail
from tests.networks import factories as f

REPLY = "Klimafrühstück: ich bringe Brötchen mit.\n\nAm 03.12.2026 schrieb Klimanetz:\n> Klimafrühstück?\n"


def send_inbound_mails(people) -> None:
    network = f.NetworkFactory(name="Klimafrühstück Antworten", short_name="Klimafrühstück A")
    moderator = f.NetworkRoleFactory(
        network=network, person__name="Klimafrühstück Koordinatorin", role=NetworkRole.Role.COORDINATOR
    ).person
    for person in people:
        f.NetworkRoleFactory(network=network, person=person)
    with override_settings(**INBOUND):
        thread = thread_create(
            network=network, author=moderator, title="Klimafrühstück Einkauf", body="Klimafrühstück: wer bringt was?"
        )
        closed = thread_create(
            network=network, author=moderator, title="Klimafrühstück Archiv", body="Klimafrühstück: erledigt."
        )
        thread_close(thread=closed, by=moderator.user, closed=True)
        for person in people:
            sender = person.user.email
            refused = services.process(reply_mail(to=tokens.reply_address(person, closed), sender=sender, body=REPLY))
            assert refused.reason == InboundMessage.Reason.CLOSED, refused
            program = [("programm.exe", "application/x-msdownload", b"MZ\x90\x00")]
            to = tokens.reply_address(person, thread)
            posted = services.process(reply_mail(to=to, sender=sender, body=REPLY, attachments=program))
            assert posted.outcome == InboundMessage.Outcome.POSTED and posted.message.attachments_refused, posted
        forged = tokens.reply_address(people[0], thread).replace("reply+", "reply+x")
        stranger = services.process(reply_mail(to=forged, sender="fremd@example.org", body=REPLY))
        assert stranger.reason == InboundMessage.Reason.FORGED_TOKEN, stranger
