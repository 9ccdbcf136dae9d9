# ruff: noqa: E402 (Django is set up before the project is imported)
"""Reply by email (issue 15 §3, performance): fetch and post 1,000 inbound replies in under 60 s.

    bench/with_postgres.sh .venv/bin/python -m bench.inbound_bench

On a fresh PostgreSQL database (bench.common.fresh_database): one network with 40 members and 20 threads; 1,000
replies from the members as mail programs write them (Thunderbird, Gmail, Outlook, Apple Mail and HTML-only
samples of tests/inbound/messages, each with its quote, its signature and a Message-ID of its own; one in ten
with a small PDF attached, which goes into the library).

The IMAP server: INBOUND_TEST_IMAP_URL when set, else a throwaway Dovecot started with .ci/dovecot.sh (root and
the Debian package dovecot-imapd). The replies are delivered with IMAP APPEND (not counted), then the portal's own
fetch (networks.inbound.fetch.fetch_and_process, as the beat task runs it) takes them all: total seconds and ms
per message, the queries per message, and a second run that must take nothing. Without an IMAP server the same
bytes go through networks.inbound.services.process directly (the fixture path); the output says so.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from email.utils import make_msgid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.db import connection
from django.test.utils import override_settings

from bench.common import BASE_DIR, fresh_database, ms

GOAL_SECONDS = 60.0
REPLIES = int(os.environ.get("INBOUND_BENCH_REPLIES", "1000"))
MEMBERS = 40
THREADS = 20
DOMAIN = "klimanetz.example"
BASH = shutil.which("bash") or "/bin/bash"
DOVECOT_SH = str(BASE_DIR / ".ci" / "dovecot.sh")
SAMPLES = ["thunderbird_de.eml", "gmail_de.eml", "outlook_de.eml", "outlook_html_only.eml", "apple_mail_en.eml"]
MESSAGES = BASE_DIR / "tests" / "inbound" / "messages"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_dovecot() -> tuple[str, Path | None, str]:
    """(url, directory to stop, how) of an IMAP server, or ("", None, why not)."""
    url = os.environ.get("INBOUND_TEST_IMAP_URL", "")
    if url:
        return url, None, "INBOUND_TEST_IMAP_URL"
    if shutil.which("dovecot") is None:
        return "", None, "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "", None, "starting Dovecot needs root"
    directory = Path(tempfile.mkdtemp(prefix="klimanetz-bench-dovecot-"))
    directory.chmod(0o755)
    done = subprocess.run(  # noqa: S603 (our own script, our own directory)
        [BASH, DOVECOT_SH, "start", str(directory / "dovecot")],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        shutil.rmtree(directory, ignore_errors=True)
        return "", None, f"Dovecot did not start: {done.stderr.strip()[-300:]}"
    return done.stdout.strip(), directory, "a throwaway Dovecot (.ci/dovecot.sh)"


def stop_dovecot(directory: Path | None) -> None:
    if directory is not None:
        subprocess.run([BASH, DOVECOT_SH, "stop", str(directory / "dovecot")], check=False)  # noqa: S603
        shutil.rmtree(directory, ignore_errors=True)


def build_world():
    from networks.channel.services import thread_create
    from networks.models import NetworkRole
    from tests.networks import factories as f

    network = f.NetworkFactory(name="Klima.Taten.Team Westpfalz", short_name="KTT", slug="ktt")
    coordinator = f.NetworkRoleFactory(network=network, role=NetworkRole.Role.COORDINATOR).person
    members = [f.NetworkRoleFactory(network=network, person__name=f"Mitglied {n}").person for n in range(MEMBERS)]
    threads = [
        thread_create(network=network, author=coordinator, title=f"Thema {n}: PV-Kampagne", body="Was meinen Sie?")
        for n in range(THREADS)
    ]
    return members, threads


def replies(members, threads) -> list[bytes]:
    from networks.inbound.tokens import make_token

    rng = random.Random(15)
    samples = {name: (MESSAGES / name).read_bytes() for name in SAMPLES}
    out = []
    for n in range(REPLIES):
        person, thread = rng.choice(members), rng.choice(threads)
        raw = samples[SAMPLES[n % len(SAMPLES)]]
        raw = raw.replace(
            b"reply+TOKEN@klimanetz.example", f"reply+{make_token(person.pk, thread.pk)}@{DOMAIN}".encode()
        )
        raw = re.sub(rb"(?im)^From: .*$", f"From: {person.name} <{person.user.email}>".encode(), raw, count=1)
        raw = re.sub(rb"(?im)^Message-ID: .*$", f"Message-ID: {make_msgid(str(n), 'bench.example')}".encode(), raw)
        if n % 10 == 0:
            raw = with_pdf(raw, n)
        out.append(raw)
    return out


def with_pdf(raw: bytes, n: int) -> bytes:
    import email
    import email.policy

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"Folien-{n}.pdf")
    return msg.as_bytes()


def deliver(url: str, messages: list[bytes]) -> float:
    from imap_tools import MailBoxUnencrypted

    from networks.inbound.fetch import parse_url

    config = parse_url(url)
    started = time.perf_counter()
    with MailBoxUnencrypted(config.host, config.port).login(config.user, config.password, config.folder) as box:
        for raw in messages:
            box.append(raw, config.folder)
    return time.perf_counter() - started


def main() -> int:
    with fresh_database("inbound") as ready:
        if not ready:
            return 2
        media = tempfile.mkdtemp(prefix="klimanetz-bench-media-")
        url, dovecot_dir, how = start_dovecot()
        try:
            with override_settings(
                DEBUG=False,
                MEDIA_ROOT=media,
                INBOUND_IMAP_URL=url or "imap://fixture:path@127.0.0.1:1/INBOX",
                INBOUND_REPLY_DOMAIN=DOMAIN,
                INBOUND_IMAP_DONE_FOLDER="Klimanetz/Verarbeitet",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ):
                return run(url, how)
        finally:
            stop_dovecot(dovecot_dir)
            shutil.rmtree(media, ignore_errors=True)


def run(url: str, how: str) -> int:
    from config.celery import app
    from networks.channel.models import Post
    from networks.channel.tasks import posts_notify
    from networks.inbound import fetch, services
    from networks.models import OutboxMessage

    # As in production: the emails a post causes are queued for the outbox worker, not sent inside the fetch.
    app.conf.task_always_eager = False
    logging.getLogger("networks.inbound").setLevel(logging.WARNING)

    members, threads = build_world()
    messages = replies(members, threads)
    size = sum(len(m) for m in messages)
    print(f"{len(messages):,} replies ({size / 1024:,.0f} KiB), {MEMBERS} members, {THREADS} threads")
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    processing = [0.0]
    real_process = services.process

    def timed_process(raw, **kwargs):
        started = time.perf_counter()
        try:
            return real_process(raw, **kwargs)
        finally:
            processing[0] += time.perf_counter() - started

    services.process = timed_process
    # The readers' emails of the posts go to a Celery task after each batch (networks.channel.tasks.posts_notify):
    # collected here, then run and measured on their own below (the worker's share of the work).
    handed: list[int] = []
    posts_notify.delay = lambda ids: handed.extend(ids)
    with connection.execute_wrapper(count):
        if url:
            print(f"IMAP server: {how}")
            print(f"  delivered with IMAP APPEND in {deliver(url, messages):,.1f} s (not counted)")
            started, cpu = time.perf_counter(), time.process_time()
            report = fetch.fetch_and_process(limit=None)
            total = time.perf_counter() - started
            outcomes = dict(report.outcomes)
        else:
            print(f"NO IMAP SERVER ({how}): the fixture path, services.process on the same bytes, without IMAP")
            started, cpu = time.perf_counter(), time.process_time()
            outcomes: dict[str, int] = {}
            for raw in messages:
                result = services.process(raw)
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
            total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    fetch_queries = counted[0]
    counted[0] = 0
    with connection.execute_wrapper(count):
        notify_started = time.perf_counter()
        for start in range(0, len(handed), fetch.BATCH):  # as the worker gets them: one task per batch
            posts_notify(handed[start : start + fetch.BATCH])
        notify_seconds = time.perf_counter() - notify_started
    notify_queries = counted[0]
    posted = Post.objects.filter(via="email").count()
    per = total / len(messages)
    verdict = "ok" if total < GOAL_SECONDS else "MISSED"
    print(
        f"  fetched and posted:      {total:,.1f} s total, {ms(per)} per message"
        f"  (goal < {GOAL_SECONDS:.0f} s: {verdict})"
    )
    print(
        f"  of which processing:     {processing[0]:,.1f} s (parse, post, reindex: the database), IMAP fetch and move:"
        f" {total - processing[0]:,.1f} s"
    )
    print(
        f"  CPU of the portal's process: {cpu:,.1f} s ({ms(cpu / len(messages))} per message; the rest is waiting for"
        " PostgreSQL and IMAP, and for the cores on a busy machine)"
    )
    print(f"  outcomes:                {outcomes}; posts by email: {posted:,}")
    print(f"  queries per message:     {fetch_queries / len(messages):,.1f}")
    print(
        f"  the worker's share:      {len(handed):,} posts' emails in {notify_seconds:,.1f} s"
        f" ({ms(notify_seconds / len(messages))} and {notify_queries / len(messages):,.1f} queries per message;"
        " networks.channel.tasks.posts_notify, one task per batch, after the fetch)"
    )
    print(
        f"  fetch and worker:        {total + notify_seconds:,.1f} s, {ms((total + notify_seconds) / len(messages))}"
        f" and {(fetch_queries + notify_queries) / len(messages):,.1f} queries per message"
    )
    emails = OutboxMessage.objects.filter(object_type="channel.post").count()
    print(f"  readers' emails written: {emails:,}")
    if url:
        started = time.perf_counter()
        again = fetch.fetch_and_process(limit=None)
        print(f"  second run:              {again.seen} messages taken, {ms(time.perf_counter() - started)}")
    return 0 if posted == len(messages) else 1


if __name__ == "__main__":
    sys.exit(main())
