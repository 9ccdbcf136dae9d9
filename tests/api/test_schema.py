"""The OpenAPI schema validates (openapi-spec-validator), the documentation page serves Swagger UI from our own
static files under the portal's CSP, and Schemathesis finds no 500 and no answer that contradicts the schema:
every public operation, and the token operations as an editor (a few examples each, a fixed seed)."""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.tokens import token_create

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def api_schema():
    """The API in this process (its WSGI application), so the test's data is seen. Like Django's test client, the
    requests do not close the test's database connection at their end."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def check(case, world) -> None:
    """One generated request against the world's objects (the path's names filled with real ones half the time:
    Schemathesis draws the rest), as the editor where a token is needed."""
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
        headers=headers, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
    )


def test_no_500_and_no_answer_against_the_schema(api_schema, world, settings):
    """Every operation, a few examples each (schemathesis 4.32's pytest plugin does not run on pytest 9: the
    operations are walked here, each with Hypothesis, deterministic)."""
    settings.API_RATE_LIMIT_IP = settings.API_RATE_LIMIT_TOKEN = 100_000
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 20  # 13 public, 7 with a token
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=6, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            check(case, world)

        try:
            run()
        except Exception as error:
            raise AssertionError(f"{operation.method.upper()} {operation.path}: {error}") from error
