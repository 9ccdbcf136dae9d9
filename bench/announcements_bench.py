# ruff: noqa: E402 (Django is set up before the project is imported)
"""Announcements (issue 15 §1): sending to a whole network stays fast. Run on PostgreSQL:

    bench/with_postgres.sh .venv/bin/python -m bench.announcements_bench

On a fresh database (bench.common.fresh_database), for networks of 50, 500 and 5,000 members:
1. ``announcement_send``: the recipient rows and one outbox row per member in bulk, each email rendered once per
   language; wall time and SQL queries, beside the straightforward way (``outbox_enqueue_template`` per
   recipient: a render, a get_or_create and an on-commit task each) and the ratio.
2. Delivering the queued emails (``announcement_deliver``, Django's locmem backend): the outbox's claim, send
   and mark per email; emails per second.
3. The invitation reminder scan over an invited event whose members partly answered (``invitation_remind``).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from bench.common import fresh_database, ms, ratio
from networks.announcements import services
from networks.announcements.models import Announcement
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User
from networks.outbox import outbox_enqueue_template

SIZES = (50, 500, 5_000)


def _network(size: int) -> Network:
    host = Organisation.objects.create(name=f"Bench host {size}", slug=f"bench-host-{size}", kind="municipality")
    network = Network.objects.create(
        name=f"Bench-Netzwerk {size}", short_name=f"B{size}", slug=f"bench-{size}", kind="regional_team", host=host
    )
    users = User.objects.bulk_create(
        User(email=f"m{size}-{n}@bench.example.org", password="!")  # noqa: S106 (unusable)
        for n in range(size)
    )
    people = Person.objects.bulk_create(
        Person(user=user, name=f"Mitglied {n}", language="en" if n % 10 == 0 else "de") for n, user in enumerate(users)
    )
    NetworkRole.objects.bulk_create(NetworkRole(network=network, person=person) for person in people)
    return network


def _draft(network: Network) -> Announcement:
    return Announcement.objects.create(
        network=network,
        audience="members",
        audience_label="Alle",
        subject="Jahresplanung",
        body="Liebe Mitglieder,\n\n**Einladung** zur Jahresplanung:\n\n- Kampagnen\n- Termine\n" * 5,
    )


def _timed(work) -> tuple[float, int]:
    """Wall time and the number of SQL statements (counted by a wrapper: the query log keeps only 9,000)."""
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        start = time.perf_counter()
        with transaction.atomic():
            work()
        elapsed = time.perf_counter() - start
    return elapsed, count


def _one_by_one(announcement: Announcement) -> None:
    """The straightforward way, for comparison: one templated email per recipient through the outbox's API."""
    for person in services.recipients(announcement):
        outbox_enqueue_template(
            recipient=person.user.email,
            reason=announcement.reason,
            template="announcement",
            context={"announcement": announcement, "network": announcement.network, "author": None},
            language=person.language,
            obj=announcement,
            occasion="one-by-one",
        )


def main() -> None:
    with (
        fresh_database("announcements") as ready,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", CELERY_TASK_ALWAYS_EAGER=False
        ),
    ):
        if not ready:
            return
        head = f"{'members':>8} | {'send (bulk)':>14} | {'queries':>7} | {'one by one':>14} | {'queries':>7}"
        print(head + " | one by one / bulk")
        print("-" * 78)
        networks = {}
        warm = _draft(_network(1))  # templates compiled and catalogues loaded before anything is timed
        services.render(warm, language="de", move_link=True)
        services.render(warm, language="en", move_link=True)
        for size in SIZES:
            network = networks[size] = _network(size)
            bulk = _draft(network)
            bulk_time, bulk_queries = _timed(lambda a=bulk: services.announcement_send(announcement=a))
            assert OutboxMessage.objects.filter(object_id=str(bulk.pk), occasion="").count() == size
            single = _draft(network)
            single_time, single_queries = _timed(lambda a=single: _one_by_one(a))
            print(
                f"{size:>8,} | {ms(bulk_time):>14} | {bulk_queries:>7} | {ms(single_time):>14} | "
                f"{single_queries:>7} | {ratio(bulk_time, single_time)}"
            )
        print()
        size = 500
        announcement = Announcement.objects.filter(network=networks[size], state="sent").get()
        start = time.perf_counter()
        sent = services.announcement_deliver(announcement_id=announcement.pk)
        elapsed = time.perf_counter() - start
        print(f"Delivering {sent:,} queued emails (locmem backend): {ms(elapsed)}, {sent / elapsed:,.0f} emails/s")
        _reminder(networks[size])


def _reminder(network: Network) -> None:
    from events import announcements as invitations
    from events.models import Event, Registration

    start_at = timezone.now() + timedelta(days=6)
    event = Event.objects.create(
        network=network,
        title="Bench-Workshop",
        kind="workshop",
        format="on_site",
        venue="Kusel",
        starts_at=start_at,
        ends_at=start_at + timedelta(hours=3),
    )
    invitations.invitation_send(event=event, by=None)
    invitation = invitations.invitation_of(event)
    Announcement.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=10))
    answered = list(NetworkRole.objects.filter(network=network).values_list("person_id", flat=True)[:200])
    Registration.objects.bulk_create(Registration(event=event, person_id=pk, status="registered") for pk in answered)
    elapsed, queries = _timed(lambda: invitations.invitation_reminders_send())
    reminded = OutboxMessage.objects.filter(object_id=str(invitation.pk), occasion="reminder").count()
    print(f"Invitation reminder for 500 invited, 200 answered: {reminded} reminders, {ms(elapsed)}, {queries} queries")
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")


if __name__ == "__main__":
    main()
