"""The OpenAPI schema validates (openapi-spec-validator), the documentation page serves Swagger UI from our own
static files under the portal's CSP, and Schemathesis finds no 500 and no answer that contradicts the schema over
HTTP against a live server: every public operation, and the token operations as an editor (a few examples each,
a fixed seed)."""

from __future__ import annotations

import json
import re
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.tokens import token_create

pytestmark = pytest.mark.django_db
EXAMPLES = 6  # per operation with query parameters or a body


def examples(operation) -> int:
    """The path's names are the world's objects (check): an operation without other parameters and without a body
    has one request to make."""
    return EXAMPLES if len(operation.query) or len(operation.headers) or len(operation.body) else 1


def test_schema_validates():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Klimanetz API"
    assert "/api/v1/roadmaps/{slug}/measures/" in schema["paths"]
    measure = schema["components"]["schemas"]["MeasureDetailOut"]["properties"]
    assert "internal_note" not in measure and "responsible_person" not in measure


def test_docs_page_is_served_from_our_static_files():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from another host
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert re.search(r"<script>(?!\s*$)", page) is None  # no inline script: the settings are a JSON block
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    settings_block = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', page, re.S)
    assert json.loads(settings_block.group(1))["url"] == "/api/v1/openapi.json"
    # the page shows the schema's description, in the language Swagger UI's request asks for
    german = Client().get("/api/v1/openapi.json").json()["info"]["description"]
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/openapi.json").json()["info"]["description"]
    assert german.startswith("Offene Daten des Klimanetz-Portals") and "Anfragegrenzen" in german
    assert english.startswith("Open data of the Klimanetz portal") and "Rate limits" in english


class QuietHandler(WSGIRequestHandler):
    served = 0

    def log_message(self, *args):  # once per answered request; the access log is not in the test's output
        QuietHandler.served += 1


@pytest.fixture
def live_api(db, settings):
    """The portal's WSGI application served over HTTP on a free local port by Django's own server, in a thread
    that uses this test's database connection: the API is called through a socket as a client calls it and sees
    the test's objects without committing them (a transactional test would flush the whole database afterwards,
    seconds on PostgreSQL). One request at a time, the test waiting for each; like Django's test client, the
    requests do not close the connection at their end. Yields the API's base URL."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connections

    from config.wsgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    shared = connections["default"]
    server = make_server("127.0.0.1", 0, application, handler_class=QuietHandler)

    def serve():
        connections["default"] = shared
        server.serve_forever(poll_interval=0.05)

    shared.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        shared.dec_thread_sharing()


def check(case, world, base_url: str) -> None:
    """One generated request against the world's objects (the path's names are real ones: Schemathesis draws the
    rest), as the editor where a token is needed."""
    real = {
        "slug": world.personas.network.slug if case.path.startswith("/api/v1/networks/") else world.roadmap.slug,
        "measure": world.measure.slug,
        "milestone": world.milestone.pk,
        "organisation": world.org.slug,
        "year": 2024,
    }
    if case.path_parameters:
        case.path_parameters.update({k: v for k, v in real.items() if k in case.path_parameters})
    headers = {}
    if "with a token" in case.operation.tags:
        _token, raw = token_create(user=world.person("editor").user, name="Schemathesis", scope="write")
        headers["Authorization"] = f"Bearer {raw}"
    case.call_and_validate(
        base_url=base_url,
        headers=headers,
        timeout=10,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


def test_no_500_and_no_answer_against_the_schema(live_api, world, settings):
    """Every operation over HTTP, a few examples each: the public ones without a token, the others as an editor
    (schemathesis 4.32's pytest plugin does not run on pytest 9: the operations are walked here, each with
    Hypothesis, deterministic, without shrinking: a failure names its request)."""
    settings.API_RATE_LIMIT_IP = settings.API_RATE_LIMIT_TOKEN = 100_000
    api_schema = schemathesis.openapi.from_url(f"{live_api}/api/v1/openapi.json", timeout=10)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 20  # 13 public, 7 with a token
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples(operation),
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            check(case, world, live_api)

        try:
            run()
        except Exception as error:
            raise AssertionError(f"{operation.method.upper()} {operation.path}: {error}") from error
    assert QuietHandler.served >= 3 * len(operations)  # over the socket
