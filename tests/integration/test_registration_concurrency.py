"""The capacity rule under real concurrency on PostgreSQL: 20 people register for 10 places at the
same moment, then 3 cancel at the same moment.

Each thread has its own database connection (through PgBouncer in CI), so the row lock of ``registration_register`` /
``registration_cancel`` (SELECT … FOR UPDATE on the event) is what keeps the counts right. The data
must be committed for the other connections to see it, hence ``transaction=True``.
"""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration
from networks.models import OutboxMessage
from tests.events.factories import EventFactory
from tests.integration import services as svc
from tests.networks import factories as nf

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]


def _all_at_once(work, items) -> None:
    """Run ``work(item)`` for every item in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except Exception as error:  # collected and reported by the main thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection; otherwise the test database cannot be dropped

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    # In CI each thread's connection goes through PgBouncer in transaction mode, as a web worker's does in production
    # (the row lock lives in the transaction, on whichever server connection PgBouncer gives it).
    with svc.threads_through_pgbouncer() as pooled:
        before = svc.pgbouncer_transactions() if pooled else 0
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        if pooled:
            assert svc.pgbouncer_transactions() - before >= len(items), "the threads did not go through PgBouncer"
    assert not any(thread.is_alive() for thread in threads), "a thread hung (lock never released?)"
    assert errors == []


def _by_status(event) -> dict[str, list[Registration]]:
    result = {status: [] for status in Registration.Status.values}
    for registration in Registration.objects.filter(event=event).select_related("person").order_by("queued_at", "pk"):
        result[registration.status].append(registration)
    return result


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_ten_places():
    event = EventFactory(capacity=10)
    people = [nf.NetworkRoleFactory(network=event.network).person for _ in range(20)]

    _all_at_once(lambda person: services.registration_register(event=event, person=person), people)

    rows = _by_status(event)
    assert len(rows["registered"]) == 10
    assert len(rows["waiting"]) == 10
    assert {r.person_id for r in rows["registered"] + rows["waiting"]} == {p.pk for p in people}
    # First come, first served: every place went to someone queued before everyone on the waiting list.
    assert max(r.queued_at for r in rows["registered"]) <= min(r.queued_at for r in rows["waiting"])
    assert OutboxMessage.objects.filter(reason="event_confirmation").count() == 20

    waiting_order = [r.person_id for r in rows["waiting"]]
    leaving = [r.person for r in rows["registered"][:3]]
    _all_at_once(lambda person: services.registration_cancel(event=event, person=person), leaving)

    rows = _by_status(event)
    assert len(rows["cancelled"]) == 3
    assert len(rows["registered"]) == 10, "still exactly 10 hold a place"
    assert [r.person_id for r in rows["waiting"]] == waiting_order[3:]
    promoted = {r.person_id for r in rows["registered"]} - {p.pk for p in people if p.pk not in waiting_order}
    assert promoted == set(waiting_order[:3]), "the first three on the waiting list (by queued_at) moved up"
    promoted_mail = OutboxMessage.objects.filter(reason="event_promoted")
    assert sorted(promoted_mail.values_list("recipient", flat=True)) == sorted(
        person.user.email for person in people if person.pk in waiting_order[:3]
    )
