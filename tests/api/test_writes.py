"""Writes with a token: through the pages' services and funnels, recorded in the history with the token's person;
every denied persona (member, citizen, other organisation's editor, anonymous, revoked and read-only token)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from api.tokens import token_create, token_revoke
from measures.models import Measure
from monitoring.models import HeatPlanning, IndicatorValue
from tests.api.conftest import measure_url
from tests.helpers import de

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, body: dict):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def writes(w) -> list[tuple[str, str, dict]]:
    return [
        ("put", measure_url(w, suffix="status/"), {"status": "completed"}),
        ("post", measure_url(w, suffix="progress-reports/"), {"text": "Per API", "percent": 80}),
        ("put", measure_url(w, suffix=f"milestones/{w.milestone.pk}/done/"), {"done_date": "2026-12-01"}),
        (
            "put",
            f"/api/v1/organisations/{w.org.slug}/indicator-values/2025/",
            {"values": [{"indicator": "pv", "value": 3}]},
        ),
        ("put", f"/api/v1/organisations/{w.org.slug}/heat-planning/", {"stage": 2, "reached_on": "2026-11-30"}),
    ]


DENIED = {
    None: 401,  # anonymous: no token
    "citizen": 403,
    "member": 403,
    "coordinator": 403,
    "other_network": 403,
    "other_editor": 403,
}


@pytest.mark.parametrize("index", range(5), ids=["status", "report", "milestone", "values", "heat"])
def test_every_write_is_denied_to_who_may_not(world, index):
    method, url, body = writes(world)[index]
    answers = {persona: send(world.client(persona), method, url, body).status_code for persona in DENIED}
    assert answers == DENIED
    read_only = send(world.client("editor", scope="read"), method, url, body)
    assert read_only.status_code == 403 and read_only["Content-Type"] == "application/problem+json"
    token, raw = token_create(user=world.person("editor").user, name="weg", scope="write")
    token_revoke(token=token)
    revoked = send(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), method, url, body)
    assert revoked.status_code == 401 and revoked["WWW-Authenticate"].startswith("Bearer")
    assert Measure.objects.get(pk=world.measure.pk).status == "in_progress"  # nothing was written
    assert not IndicatorValue.objects.filter(year=2025).exists()
    assert not HeatPlanning.objects.filter(organisation=world.org).exists()


def test_other_organisations_measure_and_hidden_ones(world):
    editor = world.client("editor")
    other = f"/api/v1/roadmaps/{world.roadmap_b.slug}/measures/{world.measure_b.slug}/status/"
    assert send(editor, "put", other, {"status": "completed"}).status_code == 403
    hidden = measure_url(world, world.measure_hidden, "status/")
    assert send(world.client("other_editor"), "put", hidden, {"status": "completed"}).status_code == 404
    assert send(editor, "put", hidden, {"status": "completed"}).status_code == 200  # its editors see it


def test_status_goes_through_the_service_and_into_the_history(world):
    response = send(world.client("editor"), "put", measure_url(world, suffix="status/"), {"status": "completed"})
    assert response.status_code == 200, response.content
    measure = Measure.objects.get(pk=world.measure.pk)
    assert measure.status == "completed"
    latest = measure.history.latest()
    assert latest.status == "completed" and latest.history_user == world.person("editor").user
    public = Client().get(f"/api/v1/roadmaps/rm/measures/{measure.slug}/").json()
    assert public["status"] == "completed"  # the public cache was bumped


def test_progress_report_milestone_values_and_heat_planning(world):
    editor = world.client("editor")
    for method, url, body in writes(world)[1:]:
        response = send(editor, method, url, body)
        assert response.status_code in (200, 201), (url, response.content)
    update = world.measure.updates.get(text="Per API")
    assert update.percent == 80 and update.author == world.person("editor")
    assert update.history.latest().history_user == world.person("editor").user
    world.milestone.refresh_from_db()
    assert str(world.milestone.done_date) == "2026-12-01"
    assert world.milestone.history.latest().history_user == world.person("editor").user
    value = IndicatorValue.objects.get(indicator=world.indicator, year=2025)
    assert value.value == 3 and value.entered_by == world.person("editor")
    planning = HeatPlanning.objects.get(organisation=world.org)
    assert planning.stage == 2 and planning.steps.get(stage=2).reached_on.isoformat() == "2026-11-30"


def test_invalid_input_is_a_problem_with_the_fields(world):
    editor = world.client("editor", HTTP_ACCEPT_LANGUAGE="en")
    bad_status = send(editor, "put", measure_url(world, suffix="status/"), {"status": "fertig"})
    assert bad_status.status_code == 400
    problem = bad_status.json()
    assert problem["title"] == "Invalid request" and problem["errors"][0]["field"] == "status"
    unknown = send(
        editor, "put", f"/api/v1/organisations/{world.org.slug}/indicator-values/2025/",
        {"values": [{"indicator": "gibt-es-nicht", "value": 1}]},
    )  # fmt: skip
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "values"
    year = send(
        editor,
        "put",
        f"/api/v1/organisations/{world.org.slug}/indicator-values/1800/",
        {"values": [{"indicator": "pv", "value": 1}]},
    )
    assert year.status_code == 400 and year.json()["errors"][0]["field"] == "year"
    future = send(
        editor,
        "put",
        f"/api/v1/organisations/{world.org.slug}/heat-planning/",
        {"stage": 3, "reached_on": "2099-01-01"},
    )
    assert future.status_code == 400 and future.json()["errors"]
    german = send(world.client("editor"), "put", measure_url(world, suffix="status/"), {"status": "fertig"})
    assert german["Content-Language"] == "de"
    assert german.json()["title"] == de("Invalid request")
    not_json = world.client("editor").put(
        measure_url(world, suffix="status/"), data="{", content_type="application/json"
    )
    assert not_json.status_code == 400


def test_me_and_member_directory_need_a_token_and_membership(world):
    assert Client().get("/api/v1/me/").status_code == 401
    me = world.client("coordinator", scope="read").get("/api/v1/me/").json()
    assert me["networks"] == [{"network": world.personas.network.slug, "role": "coordinator"}]
    members = f"/api/v1/networks/{world.personas.network.slug}/members/"
    assert world.client("member", scope="read").get(members).status_code == 200
    assert world.client("citizen", scope="read").get(members).status_code == 403
    assert Client().get(members).status_code == 401


def test_reads_with_a_token_see_what_the_person_may_see(world):
    from tests.events import factories as ef

    network = world.personas.network
    internal = ef.EventFactory(network=network, title="Nur für Mitglieder")
    url = f"/api/v1/networks/{network.slug}/events/"
    seen = {
        persona: [e["title"] for e in world.client(persona, scope="read").get(url).json()["items"]]
        for persona in ("member", "coordinator", "other_network", "citizen")
    }
    assert seen["member"] == seen["coordinator"] == [internal.title]
    assert seen["other_network"] == seen["citizen"] == []
    assert Client().get(url).json()["items"] == []
    hidden = f"/api/v1/roadmaps/{world.roadmap_hidden.slug}/"
    assert world.client("editor", scope="read").get(hidden).status_code == 200
    assert world.client("other_editor", scope="read").get(hidden).status_code == 404
