"""Request ids and structured logs: one line per request with id, hashed account, view, status, duration and
queries; the id from a trusted proxy's X-Request-ID when sane, carried into Celery tasks and outbox rows."""

import json
import logging
import re

import pytest
from celery import signals

from networks.models import OutboxMessage
from observability import context, logs
from observability.middleware import user_hash
from observability.tasks import HEADER

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "klimanetz.request"]


def test_each_answer_has_a_new_request_id(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second
    assert client.get("/gibt-es-nicht/")["X-Request-ID"]  # also on answers no view gave


@pytest.mark.parametrize(
    ("given", "taken"),
    [
        ("req-7f3a9c1e-proxy", True),
        ("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", True),
        ("kurz", False),  # too short to be an id
        ("zwei Wörter und\nein Zeilenumbruch", False),
        ("x" * 129, False),
        ("<script>alert(1)</script>xx", False),
    ],
)
def test_a_trusted_proxy_gives_the_request_id_when_it_looks_like_one(client, settings, given, taken):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    answered = client.get("/healthz", HTTP_X_REQUEST_ID=given, HTTP_X_FORWARDED_FOR="192.0.2.7")["X-Request-ID"]
    assert (answered == given) is taken
    if not taken:
        assert HEX_ID.fullmatch(answered)


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = 0, None
    assert client.get("/healthz", HTTP_X_REQUEST_ID="req-7f3a9c1e-client")["X-Request-ID"] != "req-7f3a9c1e-client"


def test_one_json_line_per_request_with_the_hashed_account_never_the_email(client, personas, caplog):
    member = personas.user("member")
    personas.login(client, "member")
    caplog.set_level(logging.INFO, logger="klimanetz.request")
    response = client.get("/mein-bereich/")
    [record] = request_lines(caplog)
    logs.RequestIdFilter().filter(record)
    line = logs.JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user"] == user_hash(member.pk) and len(entry["user"]) == 16
    assert member.email not in line and str(member.pk) != entry["user"]
    view = response.resolver_match.view_name
    assert (entry["view"], entry["method"], entry["status"]) == (view, "GET", response.status_code)
    assert entry["duration_ms"] > 0 and entry["queries"] >= 1
    assert entry["logger"] == "klimanetz.request" and entry["level"] == "INFO"


def test_anonymous_lines_have_no_account(client, caplog):
    caplog.set_level(logging.INFO, logger="klimanetz.request")
    client.get("/")
    [record] = request_lines(caplog)
    assert record.user == "" and record.view == "networks:home" and record.status == 200


def test_every_record_of_a_request_carries_its_id(client, monkeypatch):
    """A record from anywhere in the request (here readiness's warning) gets the id through the handler's filter,
    as the console handler of settings.LOGGING has it."""
    from django.core.files.storage import default_storage

    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect()
    handler.addFilter(logs.RequestIdFilter())
    monkeypatch.setattr(default_storage, "exists", _unreachable)
    logging.getLogger().addHandler(handler)
    try:
        response = client.get("/readyz")
    finally:
        logging.getLogger().removeHandler(handler)
    [warning] = [r for r in records if r.name == "observability.readiness"]
    assert warning.request_id == response["X-Request-ID"]
    assert "storage failed" in warning.getMessage()


def _unreachable(name):
    raise OSError("object store unreachable")


def test_text_format_shows_the_request_id():
    record = logging.makeLogRecord({"msg": "hallo", "name": "x", "levelname": "INFO"})
    tokens = context.bind("abcdef0123456789")
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        context.unbind(tokens)
    assert "[abcdef0123456789] hallo" in logging.Formatter(logs.TEXT_FORMAT).format(record)


def test_the_request_id_goes_with_a_queued_task_and_binds_in_the_worker(db, caplog):
    """before_task_publish puts it in the message's headers; task_prerun binds it for every line of the task."""
    from networks import tasks

    headers = {}
    tokens = context.bind("req-from-the-web-0001")
    try:
        signals.before_task_publish.send(sender="x", body=(), exchange="", routing_key="", headers=headers)
    finally:
        context.unbind(tokens)
    assert headers[HEADER] == "req-from-the-web-0001"

    seen = []
    signals.task_prerun.connect(lambda **kw: seen.append(context.current_request_id()), weak=False, dispatch_uid="t")
    try:
        tasks.outbox_release_stale.apply(headers=headers)
    finally:
        signals.task_prerun.disconnect(dispatch_uid="t")
    assert seen == ["req-from-the-web-0001"]
    assert context.current_request_id() == ""  # unbound after the task


def test_a_task_without_a_request_gets_an_id_of_its_own(db):
    from networks import tasks

    seen = []
    signals.task_prerun.connect(lambda **kw: seen.append(context.current_request_id()), weak=False, dispatch_uid="u")
    try:
        tasks.outbox_release_stale.apply()
    finally:
        signals.task_prerun.disconnect(dispatch_uid="u")
    assert len(seen) == 1 and seen[0]  # beat's tasks: their lines still belong together


def test_outbox_rows_written_in_a_request_carry_its_id(client, personas):
    member = personas.user("member")
    response = client.post("/konto/password/reset/", {"email": member.email})
    assert response.status_code == 302
    row = OutboxMessage.objects.get(recipient=member.email)
    assert row.request_id == response["X-Request-ID"]


def test_outbox_rows_written_in_a_task_carry_the_tasks_id(db):
    from networks.outbox import outbox_enqueue

    tokens = context.bind("task-4711-abcdef", "networks.tasks.x")
    try:
        row = outbox_enqueue(recipient="x@example.org", reason="t", object_key="1", subject="s", body_text="b")
    finally:
        context.unbind(tokens)
    assert row.request_id == "task-4711-abcdef"
    assert (
        outbox_enqueue(recipient="y@example.org", reason="t", object_key="1", subject="s", body_text="b").request_id
        == ""
    )


def test_a_workers_celery_log_lines_carry_the_request_id(settings):
    """A worker logs through Celery's own handlers; after_setup_logger puts the id into their lines (a real worker
    writes "[<id>] Task networks.inbound.tasks.inbound_fetch[…] succeeded in …" with the id of the request that
    queued it)."""
    from celery.utils.log import ColorFormatter

    settings.LOG_FORMAT = "text"
    logger = logging.getLogger("tests.celery-worker")
    handler = logging.StreamHandler()
    handler.setFormatter(ColorFormatter("[%(levelname)s/%(processName)s] %(message)s", use_color=False))
    logger.addHandler(handler)
    try:
        signals.after_setup_logger.send(
            sender=None, logger=logger, loglevel=20, logfile=None, format="", colorize=False
        )
        record = logging.makeLogRecord({"msg": "Task x[1] succeeded", "levelname": "INFO", "processName": "Main"})
        tokens = context.bind("req-queued-by-web-01")
        try:
            handler.filter(record)
            line = handler.format(record)
        finally:
            context.unbind(tokens)
    finally:
        logger.removeHandler(handler)
    assert line == "[INFO/Main] [req-queued-by-web-01] Task x[1] succeeded"
