"""The inbound path against a real IMAP server (Dovecot): real RFC 5322 messages are delivered into the mailbox
(IMAP APPEND) and the portal's own fetch code takes them.

The server comes from INBOUND_TEST_IMAP_URL (``.ci/run`` starts a throwaway Dovecot and sets it; locally
``bash .ci/dovecot.sh start /tmp/inbound-dovecot`` prints one). Without it these tests skip, and fail when
REQUIRE_SERVICES=1 (CI). Each test works in folders of its own, so nothing is shared between tests.
"""

import os
import uuid

import pytest
from django.db import DatabaseError
from imap_tools import AND, MailBoxUnencrypted

from networks.channel.models import Post
from networks.inbound import fetch, services, tasks
from networks.inbound.models import InboundMessage
from networks.models import OutboxMessage
from tests.inbound.factories import reply_mail, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_url() -> str:
    url = os.environ.get("INBOUND_TEST_IMAP_URL", "")
    problem = "" if url else "INBOUND_TEST_IMAP_URL is not set (no IMAP server for the inbound tests)"
    if url:
        try:
            config = fetch.parse_url(url)
            MailBoxUnencrypted(config.host, config.port, timeout=5).login(config.user, config.password).logout()
        except Exception as error:  # noqa: BLE001
            problem = f"the IMAP server at INBOUND_TEST_IMAP_URL does not answer: {error}"
    if problem:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    return url


class Mailbox:
    """The test's own folder on the server and the portal configured to fetch from it."""

    def __init__(self, server_url: str, settings):
        config = fetch.parse_url(server_url)
        self.config = config
        name = f"t{uuid.uuid4().hex[:12]}"
        self.folder = name
        self.done = f"Verarbeitet-{name}"
        with self.connect("INBOX") as box:
            box.folder.create(self.folder)
        base = server_url.rsplit("/", 1)[0]
        self.url = f"{base}/{self.folder}"
        settings.INBOUND_IMAP_URL = self.url
        settings.INBOUND_IMAP_DONE_FOLDER = self.done

    def connect(self, folder: str | None = None):
        config = self.config
        box = MailBoxUnencrypted(config.host, config.port, timeout=10)
        return box.login(config.user, config.password, initial_folder=folder or self.folder)

    def deliver(self, *messages: bytes) -> None:
        with self.connect() as box:
            for raw in messages:
                box.append(raw, self.folder)

    def count(self, folder: str | None = None, **criteria) -> int:
        with self.connect(folder or self.folder) as box:
            return len(box.uids(AND(**criteria) if criteria else "ALL"))

    def cleanup(self) -> None:
        with self.connect("INBOX") as box:
            for folder in (self.folder, self.done):
                if box.folder.exists(folder):
                    box.folder.delete(folder)


@pytest.fixture
def mailbox(server_url, settings, inbound_on):
    box = Mailbox(server_url, settings)
    yield box
    box.cleanup()


def email_posts(thread):
    return list(Post.objects.filter(thread=thread, via="email"))


def test_reply_appears_once_without_the_quote(personas, thread, mailbox, address_of):
    member = personas.people["member"]
    raw = sample("thunderbird_de.eml", to=address_of(member, thread), sender=member.user.email)
    mailbox.deliver(raw)

    report = fetch.fetch_and_process()
    assert report.seen == 1 and report.outcomes == {"posted": 1}
    [post] = email_posts(thread)
    assert post.author == member
    assert post.body.startswith("Hallo zusammen,") and "schrieb" not in post.body and "> " not in post.body
    assert mailbox.count() == 0 and mailbox.count(mailbox.done) == 1  # moved out of the inbox

    assert fetch.fetch_and_process().seen == 0  # a second fetch takes nothing
    mailbox.deliver(raw)  # the same message delivered again (a resent or redelivered copy)
    assert fetch.fetch_and_process().outcomes == {"duplicate": 1}
    assert len(email_posts(thread)) == 1


def test_forged_token_and_stranger_refused_once_each_auto_reply_dropped(personas, thread, mailbox, address_of):
    member = personas.people["member"]
    good = address_of(member, thread)
    forged = (
        good[: good.index("@") - 2]
        + ("aa" if not good[: good.index("@")].endswith("aa") else "bb")
        + good[good.index("@") :]
    )
    mailbox.deliver(
        reply_mail(to=forged, sender=member.user.email, body="Gefälscht"),
        reply_mail(to=good, sender="Fremde Person <fremd@example.net>", body="Von fremder Adresse"),
        sample("auto_reply_ooo.eml", to=good, sender=member.user.email),
        sample("bounce.eml", to=good),
    )
    report = fetch.fetch_and_process()
    assert report.outcomes == {"refused": 2, "dropped": 2}
    refusals = OutboxMessage.objects.filter(reason="inbound_refused")
    assert sorted(refusals.values_list("recipient", flat=True)) == sorted([member.user.email, "fremd@example.net"])
    assert not email_posts(thread)

    assert fetch.fetch_and_process().seen == 0
    assert refusals.count() == 2  # once, never again
    assert mailbox.count(mailbox.done) == 4


def test_crash_mid_batch_loses_nothing_and_duplicates_nothing(personas, thread, mailbox, address_of, monkeypatch):
    member = personas.people["member"]
    to = address_of(member, thread)
    mailbox.deliver(*(reply_mail(to=to, sender=member.user.email, body=f"Antwort {n}") for n in range(3)))
    real = services.process
    calls = []

    def database_gone_at_the_second(raw, **kwargs):
        calls.append(raw)
        if len(calls) == 2:
            raise DatabaseError("server closed the connection unexpectedly")
        return real(raw, **kwargs)

    monkeypatch.setattr(services, "process", database_gone_at_the_second)
    with pytest.raises(DatabaseError):
        fetch.fetch_and_process()
    assert len(email_posts(thread)) == 1
    assert mailbox.count(seen=False) == 2  # the failed one and the one after it wait in the inbox, unseen

    monkeypatch.setattr(services, "process", real)
    assert fetch.fetch_and_process().outcomes == {"posted": 2}
    assert sorted(p.body for p in email_posts(thread)) == ["Antwort 0", "Antwort 1", "Antwort 2"]
    assert mailbox.count() == 0


def test_unexpected_error_is_recorded_and_moved_on(personas, thread, mailbox, address_of, monkeypatch):
    member = personas.people["member"]
    mailbox.deliver(reply_mail(to=address_of(member, thread), sender=member.user.email))

    def broken(raw, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "process", broken)
    assert fetch.fetch_and_process().outcomes == {"failed": 1}
    assert InboundMessage.objects.get().outcome == "failed"
    assert mailbox.count() == 0  # not failing again every minute


def test_without_done_folder_messages_are_flagged_in_place(personas, thread, mailbox, address_of, settings):
    settings.INBOUND_IMAP_DONE_FOLDER = ""
    member = personas.people["member"]
    mailbox.deliver(reply_mail(to=address_of(member, thread), sender=member.user.email))
    assert fetch.fetch_and_process().outcomes == {"posted": 1}
    assert mailbox.count() == 1 and mailbox.count(seen=False) == 0
    assert fetch.fetch_and_process().seen == 0


def test_beat_task_fetches_one_run_at_a_time(personas, thread, mailbox, address_of):
    from django.core.cache import cache

    member = personas.people["member"]
    mailbox.deliver(reply_mail(to=address_of(member, thread), sender=member.user.email))
    cache.set(tasks.LOCK_KEY, "another worker", 60)
    assert tasks.inbound_fetch() == "busy"
    assert not email_posts(thread)
    cache.delete(tasks.LOCK_KEY)
    assert "posted 1" in tasks.inbound_fetch()
    assert len(email_posts(thread)) == 1
    assert cache.get(tasks.LOCK_KEY) is None  # released


def test_wrong_password_is_an_error(mailbox):
    config = mailbox.config
    with pytest.raises(Exception):  # noqa: B017 (imap-tools raises its own login error)
        fetch.fetch_and_process(f"imap://{config.user}:falsch@{config.host}:{config.port}/INBOX")
