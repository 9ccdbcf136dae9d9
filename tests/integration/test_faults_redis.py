"""Fault: Redis (broker and cache) stops while members register for an event.

gunicorn serves the portal against the test database and a private Redis that this test stops (the suite's
shared Redis is never touched), with a worker running all along. Registering keeps working: the registration
and its outbox row commit, and the delivery task that cannot be queued is logged, not raised into the request.
When Redis is back, the worker reconnects and beat's sweep (outbox_send_pending, here sent twice as after two
beat ticks) sends every confirmation exactly once.
"""

import time
import warnings

import pytest
from django.test import Client
from django.urls import reverse

from config.celery import app as celery_app
from events.models import Registration
from networks.models import OutboxMessage
from tests.events.factories import EventFactory
from tests.integration import services as svc
from tests.networks import factories as nf

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("services_required")]

CSRF = "faultsfaultsfaultsfaultsfaults12"  # a 32-character CSRF secret, as cookie and form field
MEMBERS = 6
CAPACITY = 4
WAIT_SECONDS = 30


@pytest.fixture
def private_redis():
    redis = svc.PrivateRedis().start()
    yield redis
    redis.close()


def _send_task(redis_url: str, name: str, *args) -> None:
    """Queue a task on the private Redis (the test process's Celery app is configured for the shared one)."""
    with celery_app.connection_for_write(redis_url) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AlwaysEagerIgnored: the suite's eager setting does not apply here
        celery_app.send_task(name, args=args, connection=conn)


def test_registrations_work_while_redis_is_down_and_mails_go_out_once_when_it_is_back(
    transactional_db, private_redis, tmp_path
):
    event = EventFactory(capacity=CAPACITY, title="Wärmeplanung vor Ort")
    members = [nf.NetworkRoleFactory(network=event.network).person for _ in range(MEMBERS)]
    cookies = []
    for person in members:
        client = Client()
        client.force_login(person.user)
        cookies.append({"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF})
    detail = event.get_absolute_url()
    register = reverse("events:register", kwargs={"slug": event.network.slug, "pk": event.pk})

    mail_log = tmp_path / "mail.log"
    env = svc.service_env(
        database_url=svc.test_database_url(),
        redis_url=private_redis.url(0),
        cache_url=private_redis.url(1),
        DJANGO_SETTINGS_MODULE="tests.integration.fault_settings",
        FAULT_MAIL_LOG=str(mail_log),
        KLIMANETZ_TESTING="false",  # as in production: the public-page cache is on (in Redis)
    )
    worker = svc.start_worker(env, tmp_path / "worker.log")  # running all along: it must reconnect
    server = svc.Server(env, tmp_path / "gunicorn.log").start()
    try:
        private_redis.stop()
        assert not private_redis.ping()

        anonymous = svc.Http(server.port)
        for path in ("/", "/klima-roadmaps/", "/netzwerke/"):
            status, _, body = anonymous.get(path)
            assert status == 200, f"{path} answered {status} with Redis down:\n{body[-2000:]}"
        started = time.monotonic()
        for cookie in cookies:
            http = svc.Http(server.port, cookie)
            assert http.get("/")[0] == 200
            assert http.get(detail)[0] == 200
            status, headers, body = http.post(register, {"csrfmiddlewaretoken": CSRF})
            assert status == 302, f"register answered {status} with Redis down:\n{body[-2000:]}"
            assert headers["Location"].endswith(detail)
            status, _, body = http.get(detail)
            assert status == 200
            assert "Abmelden" in body or "Warteliste" in body  # the page shows the new registration
            http.close()
        elapsed = time.monotonic() - started
        assert elapsed < 20, f"{MEMBERS} registrations took {elapsed:.1f}s with Redis down"

        assert Registration.objects.filter(event=event, status="registered").count() == CAPACITY
        assert Registration.objects.filter(event=event, status="waiting").count() == MEMBERS - CAPACITY
        pending = OutboxMessage.objects.filter(reason="event_confirmation")
        assert pending.count() == MEMBERS
        assert set(pending.values_list("status", flat=True)) == {OutboxMessage.Status.PENDING}
        assert svc.recorded(mail_log) == []

        # Redis is back (empty: the failed enqueues are lost); the worker reconnects, beat's sweep runs twice.
        private_redis.start()
        _send_task(private_redis.url(0), "networks.tasks.outbox_send_pending")
        _send_task(private_redis.url(0), "networks.tasks.outbox_send_pending")
        _send_task(private_redis.url(0), "networks.tasks.outbox_deliver_task", pending.first().pk)  # a stray copy
        deadline = time.monotonic() + WAIT_SECONDS
        while OutboxMessage.objects.filter(reason="event_confirmation", status="sent").count() < MEMBERS:
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "mails not sent after Redis came back: "
                    f"{list(pending.values_list('status', flat=True))}\n"
                    + (tmp_path / "worker.log").read_text(errors="replace")[-4000:],
                    pytrace=False,
                )
            time.sleep(0.1)
        time.sleep(1.5)  # the remaining queued tasks run; none may send again
    finally:
        svc.stop_worker(worker)
        server.stop()

    sent = svc.recorded(mail_log)
    assert sorted(sent) == sorted(str(pk) for pk in pending.values_list("pk", flat=True)), sent
    assert set(pending.values_list("attempts", flat=True)) == {1}
    gunicorn_log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert "could not be queued" in gunicorn_log  # logged instead of raised
