"""The inbound path: fetch new messages from the IMAP mailbox of ``INBOUND_IMAP_URL`` and process each.

``INBOUND_IMAP_URL`` is ``imaps://user:password@host:993/INBOX`` (TLS from the start), ``imap+starttls://...:143/
INBOX`` (STARTTLS) or ``imap://...:143/INBOX`` (plain: only for a server on the same machine or in tests).
User and password are URL-encoded (``%40`` for an ``@`` in the user name); the path is the folder (INBOX when
empty).

Per run: log in, search the folder for unseen messages (UNSEEN), read each with BODY.PEEK (reading does not mark
it seen), ``services.process`` it (its transaction commits the post, the refusal or the drop together with the
row that says the message was taken), in batches of ``BATCH``: each batch reindexes the search once and hands
its posts' emails to one Celery task (networks.channel.tasks.posts_notify), then moves the handled messages into
``INBOUND_IMAP_DONE_FOLDER``
(default "Klimanetz/Verarbeitet", created when missing; the mailbox keeps every message for the operator, the
inbox stays empty). With ``INBOUND_IMAP_DONE_FOLDER=""`` handled messages are only flagged \\Seen in place.

Nothing is lost and nothing taken twice: a crash before a message's transaction commits leaves it unseen in the
folder and the next run takes it; a crash after the commit but before the move leaves it there too, and the
next run finds its row (``Result.duplicate``) and only moves it. A message whose processing raises an unexpected
error is recorded as failed (admin: incoming emails) and moved, so it does not fail again every minute; a
database error stops the run (the message stays for the next one).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import DatabaseError
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage
from imap_tools.errors import MailboxFolderCreateError

from networks.inbound import services
from networks.search import registry as search_registry

logger = logging.getLogger(__name__)

DEFAULT_DONE_FOLDER = "Klimanetz/Verarbeitet"
BATCH = 50  # messages read per FETCH command, and moved per MOVE command
TIMEOUT = 60  # seconds for each IMAP command


@dataclass(frozen=True)
class ImapConfig:
    security: str  # "ssl", "starttls" or "plain"
    host: str
    port: int
    user: str
    password: str
    folder: str

    def __repr__(self) -> str:  # never the password in a log or a traceback
        return f"ImapConfig({self.security}://{self.user}@{self.host}:{self.port}/{self.folder})"


def parse_url(url: str) -> ImapConfig:
    """``INBOUND_IMAP_URL`` read; ValueError with a clear message for a wrong one."""
    parts = urlsplit((url or "").strip())
    schemes = {"imaps": ("ssl", 993), "imap": ("plain", 143), "imap+starttls": ("starttls", 143)}
    schemes["starttls"] = schemes["imap+starttls"]
    if parts.scheme not in schemes:
        raise ValueError("INBOUND_IMAP_URL must start with imaps://, imap+starttls:// or imap://")
    if not parts.hostname or not parts.username:
        raise ValueError("INBOUND_IMAP_URL needs a user and a host: imaps://user:password@host:993/INBOX")
    security, default_port = schemes[parts.scheme]
    return ImapConfig(
        security=security,
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


class RawMailMessage(MailMessage):
    """imap-tools' message, keeping the bytes as the server sent them (the portal parses them itself)."""

    def __init__(self, fetch_data: list) -> None:
        self.raw, _uid, _flags = self._get_message_data_parts(fetch_data)
        super().__init__(fetch_data)


def connect(config: ImapConfig):
    if config.security == "ssl":
        mailbox = MailBox(config.host, config.port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    elif config.security == "starttls":
        mailbox = MailBoxStartTls(config.host, config.port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    else:
        mailbox = MailBoxUnencrypted(config.host, config.port, timeout=TIMEOUT)
    mailbox.email_message_class = RawMailMessage
    return mailbox.login(config.user, config.password, initial_folder=config.folder)


def done_folder(mailbox) -> str:
    """The folder handled messages go to, in the server's hierarchy delimiter; created when missing ("" when
    handled messages stay in place)."""
    name = getattr(settings, "INBOUND_IMAP_DONE_FOLDER", DEFAULT_DONE_FOLDER)
    if not name:
        return ""
    folders = mailbox.folder.list()
    delimiter = next((f.delim for f in folders if f.delim), "/")
    name = name.replace("/", delimiter)
    existing = {f.name for f in folders}
    if name not in existing:
        parts = name.split(delimiter)
        for depth in range(1, len(parts) + 1):  # the parents first (some servers do not create them)
            partial = delimiter.join(parts[:depth])
            if partial not in existing:
                try:
                    mailbox.folder.create(partial)
                except MailboxFolderCreateError:
                    if depth == len(parts):
                        raise
    return name


@dataclass
class FetchReport:
    seen: int = 0
    outcomes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    left: int = 0  # unread messages still in the folder after the run (the backlog in the metrics)

    def __str__(self) -> str:
        counts = ", ".join(f"{key} {value}" for key, value in sorted(self.outcomes.items())) or "nothing new"
        return f"{self.seen} messages in {self.seconds:.1f} s: {counts}"


def _finish(mailbox, uids: list[str], folder: str) -> None:
    if not uids:
        return
    if folder:
        mailbox.move(uids, folder)
    else:
        mailbox.flag(uids, "\\Seen", True)


def fetch_and_process(url: str | None = None, *, limit: int | None = 500) -> FetchReport:
    """One run over the mailbox: at most ``limit`` messages (None: all), each processed once."""
    config = parse_url(url if url is not None else settings.INBOUND_IMAP_URL)
    report = FetchReport()
    started = time.perf_counter()
    with connect(config) as mailbox:
        folder = done_folder(mailbox)
        messages = iter(mailbox.fetch(AND(seen=False), mark_seen=False, limit=limit, bulk=BATCH))
        while batch := list(islice(messages, BATCH)):
            _process_batch(batch, report, mailbox, folder)
        report.left = len(mailbox.uids(AND(seen=False)))
    report.seconds = time.perf_counter() - started
    return report


def _process_batch(batch: list, report: FetchReport, mailbox, folder: str) -> None:
    """Each message in its own transaction; the batch's search reindex runs once at its end
    (networks.search.registry.deferred), its posts' emails go to one task (networks.channel.tasks.posts_notify),
    then the handled messages are moved. A database error stops the run after handing over what committed."""
    handled: list[str] = []
    posted: list[int] = []
    try:
        with search_registry.deferred():
            for message in batch:
                report.seen += 1
                try:
                    result = services.process(message.raw, posted=posted)
                except DatabaseError:
                    raise  # the database is away: stop; the message stays unseen for the next run
                except Exception as error:  # noqa: BLE001 (one bad message must not stop the others)
                    logger.exception("inbound message uid %s failed", message.uid)
                    result = services.record_failure(message.raw, error)
                report.outcomes[result.outcome] += 1
                handled.append(message.uid)
    finally:
        services.notify_posts(posted)
        _finish(mailbox, handled, folder)
