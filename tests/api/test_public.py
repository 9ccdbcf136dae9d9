"""The public operations: what the public pages show, filters, cursor pages, conditional requests, CORS, errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.conftest import MARKER, measure_url
from tests.measures import factories as mf

pytestmark = pytest.mark.django_db


def get(url: str, client: Client | None = None, **headers):
    return (client or Client()).get(url, **headers)


def test_measure_list_shows_the_published_measures_by_code(world):
    mf.MeasureFactory(roadmap=world.roadmap, code="M-0", slug="m-0")
    response = get("/api/v1/roadmaps/rm/measures/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert [m["code"] for m in body["items"]] == ["M-0", "M-1"]  # not M-2 (unpublished)
    assert body["items"][1]["percent_complete"] == 30  # the public report's, not the internal 99
    assert body["next_cursor"] is None


def test_cursor_pages_are_stable_and_opaque(world):
    for n in range(3, 8):
        mf.MeasureFactory(roadmap=world.roadmap, code=f"M-{n}", slug=f"m-{n}x")
    first = get("/api/v1/roadmaps/rm/measures/?limit=2").json()
    assert [m["code"] for m in first["items"]] == ["M-1", "M-3"]
    mf.MeasureFactory(roadmap=world.roadmap, code="M-0", slug="m-0")  # before the cursor: no shift
    second = get(f"/api/v1/roadmaps/rm/measures/?limit=2&cursor={first['next_cursor']}").json()
    assert [m["code"] for m in second["items"]] == ["M-4", "M-5"]
    bad = get("/api/v1/roadmaps/rm/measures/?cursor=kaputt!")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert get("/api/v1/roadmaps/rm/measures/?limit=0").status_code == 400


def test_filters_are_the_pages_filters_unknown_values_ignored_with_a_note(world):
    mf.MeasureFactory(roadmap=world.roadmap, code="M-9", slug="m-9", status="completed")
    body = get("/api/v1/roadmaps/rm/measures/?status=completed&status=fertig").json()
    assert [m["code"] for m in body["items"]] == ["M-9"]
    assert len(body["ignored"]) == 1 and "fertig" in body["ignored"][0]
    assert [m["code"] for m in get("/api/v1/roadmaps/rm/measures/?verzoegert=false").json()["items"]] == [
        "M-1",
        "M-9",
    ]
    too_long = get("/api/v1/roadmaps/rm/measures/?suche=" + "x" * 101)
    assert too_long.status_code == 400
    problem = too_long.json()
    assert problem["status"] == 400 and problem["errors"][0]["field"] == "suche"


def test_problem_details_in_german_or_english(world):
    german = get("/api/v1/roadmaps/gibt-es-nicht/")
    assert german.status_code == 404
    assert german["Content-Type"] == "application/problem+json"
    assert german["Content-Language"] == "de"
    assert german.json()["instance"] == "/api/v1/roadmaps/gibt-es-nicht/"
    english = get("/api/v1/roadmaps/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert english["Content-Language"] == "en"
    assert english.json()["title"] == "Not found"


def test_unpublished_roadmap_and_measure_are_404(world):
    assert get("/api/v1/roadmaps/rm-hidden/").status_code == 404
    assert get(measure_url(world, world.measure_hidden)).status_code == 404
    editor = world.client("editor", scope="read")
    assert editor.get("/api/v1/roadmaps/rm-hidden/").status_code == 200  # what the person may see


def test_etag_and_last_modified_answer_conditional_requests(world):
    url = measure_url(world)
    first = get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    world.measure.title = "Neuer Titel"
    world.measure.save()
    changed = get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["title"] == "Neuer Titel"


def test_cors_for_reading_only(world):
    response = get("/api/v1/roadmaps/", HTTP_ORIGIN="https://www.kreis-dueren.de")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = Client().options(
        "/api/v1/roadmaps/", HTTP_ORIGIN="https://x.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "Access-Control-Allow-Credentials" not in preflight
    assert "Access-Control-Allow-Origin" not in Client().get("/klima-roadmaps/")


def test_measure_detail_has_milestones_and_public_reports_only(world):
    body = get(measure_url(world)).json()
    assert body["milestones"][0]["title"] == world.milestone.title
    assert [r["text"] for r in body["progress_reports"]] == ["Öffentlicher Sachstand"]
    assert body["cost_estimate_eur"] is None and body["responsible_body"] is None


def test_indicators_emissions_and_events(world):
    indicators = get("/api/v1/roadmaps/rm/indicators/").json()
    assert [i["code"] for i in indicators["items"]] == ["pv"] and indicators["next_cursor"] is None
    assert indicators["items"][0]["values"] == [{"year": 2023, "value": 12.5, "estimate": False}]
    emissions = get("/api/v1/roadmaps/rm/emissions/").json()
    assert emissions["balances"][0]["total_t_co2e"] == 1000.0
    assert emissions["target_path"][0] == {"year": 2020, "t_co2e": 1000.0}
    network = get(f"/api/v1/networks/{world.personas.network.slug}/").json()
    assert network["calendar_url"].endswith("kalender.ics")
    assert get(f"/api/v1/networks/{world.personas.network.slug}/events/").status_code == 200


# --- No internal field in any public answer ---------------------------------------------------------------------


def public_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation that needs no token, from the schema."""
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "with a token" not in operation.get("tags", []):
                operations.append((method, path))
    return operations


def fill(path: str, world) -> str:
    values = {
        "slug": world.roadmap.slug,
        "measure": world.measure.slug,
    }
    if path.startswith("/api/v1/networks/"):
        values["slug"] = world.personas.network.slug
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_no_internal_field_in_any_public_answer(world):
    operations = public_operations()
    assert len(operations) >= 12
    walked = []
    for method, path in operations:
        url = fill(path, world)
        for client in (Client(), world.client("other_editor", scope="read")):
            response = getattr(client, method)(url)
            assert response.status_code == 200, (url, response.content[:300])
            assert MARKER not in response.content.decode(), url
            assert "7777777" not in response.content.decode(), url
        walked.append(url)
    assert "/api/v1/roadmaps/rm/measures/m-1/" in walked


def test_head_is_answered_like_get_without_a_body(world):
    get_answer = get("/api/v1/roadmaps/rm/")
    head = Client().head("/api/v1/roadmaps/rm/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get_answer["ETag"] and head["Content-Length"] == str(len(get_answer.content))
    assert head["Access-Control-Allow-Origin"] == "*"


def test_unknown_address_and_method_are_problem_details(world):
    missing = get("/api/v1/gibt-es-nicht/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    wrong = Client().delete("/api/v1/roadmaps/")
    assert wrong.status_code == 405 and wrong["Content-Type"] == "application/problem+json"
    assert "GET" in wrong["Allow"]


def test_json_is_utf8_with_umlauts_as_they_are(world):
    world.measure.title = "Wärmeplanung für Düren"
    world.measure.save()
    body = get(measure_url(world)).content
    assert "Wärmeplanung für Düren".encode() in body and b"\\u00e4" not in body


def test_roadmap_list_is_paged_and_shows_progress(world):
    first = get("/api/v1/roadmaps/?limit=1").json()
    assert [r["slug"] for r in first["items"]] == ["rm"]  # rm-b follows; rm-hidden is not published
    assert first["items"][0]["progress"]["total"] == 1
    second = get(f"/api/v1/roadmaps/?limit=1&cursor={first['next_cursor']}").json()
    assert [r["slug"] for r in second["items"]] == ["rm-b"] and second["next_cursor"] is None


def test_every_public_list_is_paged_with_a_bounded_size(world):
    """Indicators 10 a page by default (each with its series), the other lists 50; never more than 200."""
    from tests.funding.factories import ProgrammeFactory
    from tests.monitoring import factories as mof

    for n in range(11):
        mof.IndicatorFactory(roadmap=world.roadmap, public=True, order=n + 1, name=f"Indikator {n:02}")
    ProgrammeFactory.create_batch(2)
    first = get("/api/v1/roadmaps/rm/indicators/").json()
    assert len(first["items"]) == 10 and first["items"][0]["code"] == "pv"  # order 0 first
    rest = get(f"/api/v1/roadmaps/rm/indicators/?cursor={first['next_cursor']}").json()
    assert [i["name"] for i in rest["items"]] == ["Indikator 09", "Indikator 10"] and rest["next_cursor"] is None
    schema = get("/api/v1/openapi.json").json()
    unpaged = {
        path
        for path, item in schema["paths"].items()
        if "with a token" not in item.get("get", {}).get("tags", ["with a token"])
        and item["get"]["responses"]["200"]["content"]["application/json"]["schema"].get("type") == "array"
    }
    assert unpaged == {"/api/v1/roadmaps/{slug}/reports/"}  # a roadmap's published reports: a few a year
    for url in ("/api/v1/networks/?limit=1", "/api/v1/funding/programmes/?limit=1"):
        page = get(url).json()
        assert len(page["items"]) == 1 and page["next_cursor"], url
    assert get("/api/v1/networks/?limit=201").status_code == 400
