"""/metrics: who may scrape it (404 for everyone else), what it counts, and the gauges it reads at scrape time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from networks.models import OutboxMessage
from observability import metrics
from tests.observability.conftest import TOKEN, sample
from tests.security.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_off_when_neither_token_nor_networks_are_set_even_for_staff(client, personas, persona, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS = "", []
    personas.login(client, persona)
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_without_the_token_gets_404_not_403(client, personas, persona, settings):
    settings.METRICS_TOKEN = TOKEN
    personas.login(client, persona)
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert client.post("/metrics").status_code == 404  # the method does not tell either


def test_the_token_opens_it(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_allowed_networks_by_the_client_address_as_the_rate_limits_take_it(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "fd00::/8"]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client.get("/metrics").status_code == 404  # 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="fd00::5").status_code == 200
    # a forwarded address counts only behind a trusted proxy ...
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3", REMOTE_ADDR="192.0.2.1").status_code == 200
    # ... and then the entry the proxy appended, not the one the client wrote before it
    spoofed = client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3, 203.0.113.9", REMOTE_ADDR="192.0.2.1")
    assert spoofed.status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="kein-ip", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_requests_by_view_name_and_status_never_by_path(client, scraper):
    before = sample("klimanetz_http_request_duration_seconds_count", view="healthz", method="GET", status="200")
    unresolved = sample(
        "klimanetz_http_request_duration_seconds_count", view="<unresolved>", method="GET", status="404"
    )
    client.get("/healthz")
    client.get("/healthz")
    assert client.get("/gibt-es-nicht/geheim-4711/").status_code == 404
    body = scraper()
    assert sample("klimanetz_http_request_duration_seconds_count", view="healthz", method="GET", status="200") == (
        before + 2
    )
    assert (
        sample("klimanetz_http_request_duration_seconds_count", view="<unresolved>", method="GET", status="404")
        == unresolved + 1
    )
    assert "geheim-4711" not in body
    assert 'klimanetz_http_request_duration_seconds_bucket{le="0.005",method="GET",status="200",view="healthz"}' in body


def test_queries_per_request_by_view(client, django_assert_num_queries):
    client.get("/readyz")  # the first probe of the process also reads the applied migrations
    count = sample("klimanetz_http_request_queries_count", view="readyz")
    total = sample("klimanetz_http_request_queries_sum", view="readyz")
    with django_assert_num_queries(2):  # SELECT 1 per probe
        client.get("/readyz")
        client.get("/readyz")
    assert sample("klimanetz_http_request_queries_count", view="readyz") == count + 2
    assert sample("klimanetz_http_request_queries_sum", view="readyz") == total + 2


def test_page_cache_hits_and_misses_counted_in_one_place(client, personas):
    def lookups(result):
        return sample("klimanetz_cache_lookups_total", cache="public_page", result=result)

    miss, hit = lookups("miss"), lookups("hit")
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert (lookups("miss"), lookups("hit")) == (miss + 1, hit + 1)
    # a logged-in request: the account remembered in the cache (networks.backends), counted as "remembered"
    remembered = sample("klimanetz_cache_lookups_total", cache="remembered", result="hit")
    personas.login(client, "member")
    client.get("/")
    client.get("/")
    assert sample("klimanetz_cache_lookups_total", cache="remembered", result="hit") > remembered


def test_outbox_backlog_and_oldest_pending_read_at_scrape_time_in_two_queries(
    client, settings, django_assert_num_queries
):
    settings.METRICS_TOKEN = TOKEN
    old = OutboxMessage.objects.create(
        recipient="a@example.org", reason="t", object_type="x", object_id="1", subject="s", body_text="b"
    )
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    OutboxMessage.objects.create(
        recipient="b@example.org", reason="t", object_type="x", object_id="2", subject="s", body_text="b"
    )
    OutboxMessage.objects.create(
        recipient="c@example.org",
        reason="t",
        object_type="x",
        object_id="3",
        subject="s",
        body_text="b",
        status=OutboxMessage.Status.FAILED,
    )
    with django_assert_num_queries(2):  # the outbox's aggregate, the reports' aggregate
        body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    values = {line.split(" ")[0]: float(line.split(" ")[1]) for line in body.splitlines() if line[:1] != "#"}
    assert values["klimanetz_outbox_pending_messages"] == 2
    assert values["klimanetz_outbox_failed_messages"] == 1
    assert 20 * 60 <= values["klimanetz_outbox_oldest_pending_age_seconds"] < 21 * 60
    assert values["klimanetz_reports_queued"] == 0
    assert values["klimanetz_database_up"] == 1


def test_celery_tasks_by_name_and_outcome_with_durations(db):
    from networks import tasks

    name = tasks.outbox_release_stale.name
    before = sample("klimanetz_celery_task_duration_seconds_count", task=name, outcome="success")
    tasks.outbox_release_stale.delay()
    assert sample("klimanetz_celery_task_duration_seconds_count", task=name, outcome="success") == before + 1


def test_a_failing_task_counts_as_failure(db, settings):
    from config.celery import app

    @app.task(name="tests.observability.boom")
    def boom():
        raise RuntimeError("kaputt")

    before = sample("klimanetz_celery_task_duration_seconds_count", task="tests.observability.boom", outcome="failure")
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    app.conf.task_eager_propagates = False
    try:
        boom.delay()
    finally:
        app.conf.task_eager_propagates = True
    assert sample(
        "klimanetz_celery_task_duration_seconds_count", task="tests.observability.boom", outcome="failure"
    ) == (before + 1)


def test_report_build_durations_by_outcome(db):
    from monitoring import tasks

    before = sample("klimanetz_report_build_duration_seconds_count", outcome="skipped")
    assert tasks.report_build.delay(987654).get() == "skipped"  # no such report: nothing to take
    assert sample("klimanetz_report_build_duration_seconds_count", outcome="skipped") == before + 1


def test_failed_logins_are_counted(client, personas):
    before = sample("klimanetz_login_failures_total")
    response = client.post("/konto/login/", {"login": personas.user("member").email, "password": "falsch-falsch"})
    assert response.status_code == 200  # the form again, with its error
    assert sample("klimanetz_login_failures_total") == before + 1


def test_inbound_backlog_from_the_last_fetch_run(db, settings, monkeypatch):
    from networks.inbound import fetch, tasks

    settings.INBOUND_IMAP_URL = "imap://u:p@127.0.0.1:1/INBOX"
    monkeypatch.setattr(fetch, "fetch_and_process", lambda: fetch.FetchReport(seen=500, left=7))
    tasks.inbound_fetch()
    assert sample("klimanetz_inbound_backlog_messages") == 7
    assert sample("klimanetz_inbound_last_fetch_timestamp_seconds") > timezone.now().timestamp() - 60


def test_cache_lookup_is_the_one_counter(db):
    before = sample("klimanetz_cache_lookups_total", cache="feed", result="stale")
    metrics.cache_lookup("feed", "stale")
    assert sample("klimanetz_cache_lookups_total", cache="feed", result="stale") == before + 1
