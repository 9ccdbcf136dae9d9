import pytest

from networks.channel.services import thread_create
from networks.inbound import tokens
from tests.inbound.factories import REPLY_DOMAIN


@pytest.fixture
def inbound_on(settings):
    settings.INBOUND_IMAP_URL = "imap://portal:secret@127.0.0.1:1/INBOX"
    settings.INBOUND_REPLY_DOMAIN = REPLY_DOMAIN
    settings.DEFAULT_FROM_EMAIL = "Klimanetz <noreply@klimanetz.example>"


@pytest.fixture
def thread(personas, inbound_on):
    return thread_create(
        network=personas.network,
        author=personas.people["coordinator"],
        title="Wer hat Erfahrung mit Software für Energiecontrolling?",
        body="Wir suchen Erfahrungen mit Energiecontrolling-Software.",
    )


@pytest.fixture
def address_of(inbound_on):
    def address(person, thread) -> str:
        return tokens.reply_address(person, thread)

    return address
