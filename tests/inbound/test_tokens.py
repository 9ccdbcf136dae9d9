"""Reply tokens: bound to person and thread, forged ones refused, safe against case folding."""

import pytest

from networks.inbound import tokens


class _Obj:
    def __init__(self, pk):
        self.pk = pk


@pytest.fixture
def inbound_on(settings):
    settings.INBOUND_IMAP_URL = "imap://portal:secret@127.0.0.1:143/INBOX"
    settings.INBOUND_REPLY_DOMAIN = "Klimanetz.Example"


def test_round_trip_and_case_folding():
    token = tokens.make_token(4711, 42)
    assert token == token.lower()
    assert tokens.read_token(token) == tokens.ReplyToken(person_id=4711, thread_id=42)
    assert tokens.read_token(token.upper()) == tokens.ReplyToken(person_id=4711, thread_id=42)


def test_bound_to_person_and_thread():
    token = tokens.make_token(1, 2)
    person, thread, mac = token.split("-")
    assert tokens.read_token(f"{person}-3-{mac}") is None  # another thread
    assert tokens.read_token(f"2-{thread}-{mac}") is None  # another person
    assert tokens.make_token(1, 2) != tokens.make_token(2, 1)


@pytest.mark.parametrize("bad", ["", "abc", "1-2", "1-2-" + "a" * 15, "1-2-" + "a" * 16, "1-2-" + "1" * 16, "-1-2-x"])
def test_malformed_or_forged(bad):
    assert tokens.read_token(bad) is None


def test_forged_mac_one_character_changed():
    token = tokens.make_token(10, 20)
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert tokens.read_token(forged) is None


def test_secret_key_matters(settings):
    token = tokens.make_token(10, 20)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert tokens.read_token(token) is None


def test_reply_address_off_without_imap(settings):
    settings.INBOUND_IMAP_URL = ""
    settings.INBOUND_REPLY_DOMAIN = "klimanetz.example"
    assert tokens.reply_address(_Obj(1), _Obj(2)) == ""


def test_reply_address_off_without_domain(settings):
    settings.INBOUND_IMAP_URL = "imap://portal:secret@127.0.0.1:143/INBOX"
    settings.INBOUND_REPLY_DOMAIN = ""
    assert tokens.reply_address(_Obj(1), _Obj(2)) == ""


def test_reply_address(inbound_on):
    address = tokens.reply_address(_Obj(1), _Obj(2))
    assert address == f"reply+{tokens.make_token(1, 2)}@klimanetz.example"
    assert tokens.token_in_address(address) == tokens.make_token(1, 2)
    assert tokens.token_in_address(address.upper()) == tokens.make_token(1, 2)
    assert tokens.token_in_address(f"<{address}>") == tokens.make_token(1, 2)
    assert tokens.token_in_address("reply@klimanetz.example") is None
    assert tokens.token_in_address("anna@example.org") is None
    assert tokens.reply_address(_Obj(None), _Obj(2)) == ""
