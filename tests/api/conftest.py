"""The API's world: the personas (tests/conftest.py) around a published roadmap of the editor's organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client

from api.tokens import token_create
from measures.models import Measure
from tests.measures import factories as mf
from tests.monitoring import factories as mof
from tests.networks import factories as f

MARKER = "GEHEIM-INTERN-7f3a"  # every internal field of the world holds it; no public answer may


@dataclass
class ApiWorld:
    personas: object
    o: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["o"][name]
        except KeyError as error:
            raise AttributeError(name) from error

    def person(self, name: str):
        return self.personas.people[name]

    def client(self, name: str | None = None, *, scope: str = "write", **headers) -> Client:
        """A client with a fresh token of the persona ``name`` (None: no token)."""
        if name is not None:
            _token, raw = token_create(user=self.person(name).user, name=f"Test {name}", scope=scope)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return Client(**headers)


def build(personas) -> ApiWorld:
    w = ApiWorld(personas=personas)
    o = w.o
    editor = personas.people["editor"]
    org = o["org"] = editor.organisation_roles.get().organisation
    org.kind = "city"
    org.save(update_fields=["kind"])
    personas.people["other_editor"] = f.OrganisationRoleFactory().person
    o["org_b"] = personas.people["other_editor"].organisation_roles.get().organisation
    o["roadmap"] = mf.RoadmapFactory(organisation=org, slug="rm")
    o["roadmap_hidden"] = mf.RoadmapFactory(organisation=org, slug="rm-hidden", published=False)
    o["roadmap_b"] = mf.RoadmapFactory(organisation=o["org_b"], slug="rm-b")
    internal = {
        "internal_note": MARKER,
        "responsible_body": MARKER,
        "cost_estimate": 7777777,
        "funding_programme": MARKER,
        "effect_method": MARKER,
        "objectives": MARKER,
        "target_groups": MARKER,
        "internal_fields": ["responsible_body", "cost_estimate", "funding", "effect", "objectives", "target_groups"],
    }
    o["measure"] = mf.MeasureFactory(roadmap=o["roadmap"], code="M-1", slug="m-1", **internal)
    o["measure"].responsible_person = f.PersonFactory(name=MARKER, contact_visibility="nobody")
    o["measure"].save(update_fields=["responsible_person"])
    o["measure_hidden"] = mf.MeasureFactory(roadmap=o["roadmap"], code="M-2", slug="m-2", title=MARKER, published=False)
    o["measure_b"] = mf.MeasureFactory(roadmap=o["roadmap_b"], code="B-1", slug="b-1")
    o["milestone"] = mf.MilestoneFactory(measure=o["measure"])
    mf.MeasureUpdateFactory(measure=o["measure"], text="Öffentlicher Sachstand", percent=30)
    mf.MeasureUpdateFactory(measure=o["measure"], text=MARKER, percent=99, public=False)
    o["indicator"] = mof.IndicatorFactory(roadmap=o["roadmap"], code="pv", public=True)
    mof.IndicatorValueFactory(indicator=o["indicator"], year=2023, note=MARKER, source=MARKER)
    o["indicator_internal"] = mof.IndicatorFactory(roadmap=o["roadmap"], code="intern", name=MARKER, public=False)
    mof.IndicatorValueFactory(indicator=o["indicator_internal"], year=2023)
    o["indicator_b"] = mof.IndicatorFactory(roadmap=o["roadmap_b"], code="pv")
    mof.EmissionBalanceFactory(organisation=org, note=MARKER)
    mof.EmissionPathFactory(organisation=org)
    return w


@pytest.fixture
def world(personas) -> ApiWorld:
    return build(personas)


def measure_url(w: ApiWorld, measure: Measure | None = None, suffix: str = "") -> str:
    measure = measure or w.measure
    return f"/api/v1/roadmaps/{measure.roadmap.slug}/measures/{measure.slug}/{suffix}"
