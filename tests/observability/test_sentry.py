"""Sentry: off without SENTRY_DSN; with it, an error arrives at the DSN's endpoint with no personal data."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from observability import sentry

BASE_DIR = Path(__file__).resolve().parents[2]
SECRETS = (
    "anna.schmidt@example.org",
    "Passwort-im-Body-77",
    "kalender-0123456789abcdefghijklmnop",
    "geheim-query-42",
    "api-token-5f4e3d2c1b0a99887766",
    "keks-9f8e7d6c5b4a39281706",
)


class FakeSentry(BaseHTTPRequestHandler):
    """Takes envelopes as a Sentry server does (POST /api/<project>/envelope/) and keeps them."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        type(self).received.append(self.path.encode() + b"\n" + body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_off_without_a_dsn(settings):
    import sentry_sdk

    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


def test_an_error_arrives_scrubbed_at_a_local_sentry():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    FakeSentry.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "CACHE_URL"))}
    env.update(
        SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_address[1]}/42",
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="sentry-probe-secret",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        KLIMANETZ_TESTING="false",
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.observability.sentry_probe"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr[-3000:]
    status, request_id = done.stdout.split()[-2:]
    assert status == "500"
    envelopes = b"\n".join(FakeSentry.received).decode()
    assert "/api/42/envelope/" in envelopes
    events = [json.loads(line) for line in envelopes.splitlines() if line.startswith("{") and '"exception"' in line]
    assert len(events) == 1, envelopes[:2000]
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]
    assert event["tags"]["request_id"] == request_id
    for secret in SECRETS:
        assert secret not in envelopes, secret
    request = event["request"]
    assert "data" not in request and "cookies" not in request
    assert not {"Authorization", "Cookie"} & set(request.get("headers", {}))
    assert "user" not in event


def test_before_send_scrubs_what_an_integration_may_still_carry():
    event = {
        "event_id": "0123456789abcdef0123456789abcdef",
        "message": "Versand an max.muster@kreis-dueren.de gescheitert",
        "request": {
            "url": "https://klimanetz.example/kalender/Zx81Ab9dfk3kDk2mQ0aT7Lp3s/feed.ics",
            "query_string": "token=abc&seite=2",
            "headers": {"Authorization": "Bearer x", "Cookie": "a=b", "X-Forwarded-For": "1.2.3.4", "Accept": "*/*"},
            "cookies": {"sessionid": "x"},
            "data": {"password": "x"},
        },
        "user": {"email": "a@b.de", "ip_address": "1.2.3.4"},
        "breadcrumbs": {"values": [{"message": "login of anna@example.org with Bearer 9f8e7d6c5b4a"}]},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "module": "networks.views",
                    "stacktrace": {
                        "frames": [{"filename": "networks/views.py", "function": "boom", "module": "networks.views"}]
                    },
                }
            ]
        },
    }
    scrubbed = sentry.before_send(event, {})
    text = json.dumps(scrubbed)
    for secret in (
        "max.muster@kreis-dueren.de",
        "Zx81Ab9dfk3kDk2mQ0aT7Lp3s",
        "token=abc",
        "anna@example.org",
        "9f8e7d6c5b4a",
        "sessionid",
        "1.2.3.4",
        "password",
    ):
        assert secret not in text, secret
    assert scrubbed["event_id"] == event["event_id"]  # the SDK's own ids stay
    assert scrubbed["request"]["headers"] == {"Accept": "*/*"}
    assert "seite=2" in scrubbed["request"]["query_string"]
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["module"] == "networks.views"
