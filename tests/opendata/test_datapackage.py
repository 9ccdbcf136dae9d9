"""The roadmap's datapackage.json (issue 18 §3): a Frictionless Tabular Data Package whose every resource has a Table
Schema with typed fields, their formats and, for numbers, a unit; checked against a JSON Schema of the rules of the
Data Package and Table Schema specifications (v1, https://specs.frictionlessdata.io/; written here from the
specification's text: the package needs no network and not the heavy frictionless library), and against the files
it describes (their header is the schema's field names, in order)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft202012Validator

from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.monitoring.factories import EmissionBalanceFactory, IndicatorFactory, IndicatorValueFactory

TYPES = [
    "string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime", "year", "yearmonth",
    "duration", "geopoint", "geojson", "any",
]  # fmt: skip
CONSTRAINTS = {
    "type": "object",
    "properties": {
        "required": {"type": "boolean"},
        "unique": {"type": "boolean"},
        "minLength": {"type": "integer", "minimum": 0},
        "maxLength": {"type": "integer", "minimum": 0},
        "minimum": {"type": ["number", "string"]},
        "maximum": {"type": ["number", "string"]},
        "pattern": {"type": "string"},
        "enum": {"type": "array", "minItems": 1},
    },
    "additionalProperties": False,
}
FIELD = {
    "type": "object",
    "required": ["name", "type"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "type": {"enum": TYPES},
        "format": {"type": "string"},
        "constraints": CONSTRAINTS,
        "decimalChar": {"type": "string", "minLength": 1},
        "groupChar": {"type": "string"},
        "bareNumber": {"type": "boolean"},
        "trueValues": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "falseValues": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "rdfType": {"type": "string"},
    },
    "allOf": [
        {  # decimalChar/groupChar only on numbers, true/falseValues only on booleans
            "if": {"anyOf": [{"required": ["decimalChar"]}, {"required": ["groupChar"]}]},
            "then": {"properties": {"type": {"enum": ["number", "integer"]}}},
        },
        {
            "if": {"anyOf": [{"required": ["trueValues"]}, {"required": ["falseValues"]}]},
            "then": {"properties": {"type": {"const": "boolean"}}},
        },
    ],
}
TABLE_SCHEMA = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "array", "minItems": 1, "items": FIELD},
        "primaryKey": {"type": ["string", "array"]},
        "missingValues": {"type": "array", "items": {"type": "string"}},
    },
}
DATA_PACKAGE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["resources"],
    "properties": {
        "profile": {"const": "tabular-data-package"},
        "name": {"type": "string", "pattern": "^([-a-z0-9._/])+$"},
        "licenses": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "object", "anyOf": [{"required": ["name"]}, {"required": ["path"]}]},
        },
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "path", "profile", "schema"],
                "properties": {
                    "name": {"type": "string", "pattern": "^([-a-z0-9._/])+$"},
                    "path": {"type": "string", "pattern": "^https?://"},
                    "profile": {"const": "tabular-data-resource"},
                    "format": {"const": "csv"},
                    "mediatype": {"const": "text/csv"},
                    "encoding": {"type": "string"},
                    "dialect": {"type": "object"},
                    "schema": TABLE_SCHEMA,
                },
            },
        },
    },
}


@pytest.fixture
def package(client, db) -> dict:
    roadmap = RoadmapFactory(slug="kreis-dueren")
    MeasureFactory(roadmap=roadmap, cost_estimate=Decimal("1234.5"))
    IndicatorValueFactory(indicator=IndicatorFactory(roadmap=roadmap), year=2023, value=Decimal("12.5"))
    EmissionBalanceFactory(organisation=roadmap.organisation, year=2022)
    return json.loads(client.get(reverse("measures:datapackage", args=[roadmap.slug])).content)


def test_the_json_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(DATA_PACKAGE)


def test_datapackage_follows_the_data_package_and_table_schema_rules(package):
    errors = sorted(Draft202012Validator(DATA_PACKAGE).iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert [r["name"] for r in package["resources"]] == ["massnahmen", "indikatoren", "treibhausgasbilanz"]


def test_the_check_finds_a_broken_schema(package):
    field = package["resources"][0]["schema"]["fields"][0]
    field["type"] = "text"  # not a Table Schema type
    package["resources"][1]["schema"]["fields"][0]["trueValues"] = ["ja"]  # on a string field
    errors = list(Draft202012Validator(DATA_PACKAGE).iter_errors(package))
    assert len(errors) == 2


def test_every_field_is_described_and_every_number_has_a_unit(package):
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"], (resource["name"], field["name"])
            if field["type"] == "number":
                unit = field.get("unit") or field.get("unitField")
                assert unit, f"{resource['name']}: {field['name']} has no unit"
                if "unitField" in field:  # the unit is named per row, in a column of the same table
                    assert field["unitField"] in {f["name"] for f in resource["schema"]["fields"]}
    fields = {f["name"]: f for r in package["resources"] for f in r["schema"]["fields"]}
    assert fields["Kostenschätzung (EUR)"]["unit"] == "EUR"
    assert fields["Emissionen (t CO2e)"]["unit"] == "t CO2e"
    assert fields["Fortschritt (%)"]["unit"] == "%"


def test_every_listed_file_has_the_schemas_columns(client, package):
    for resource in package["resources"]:
        response = client.get(resource["path"].removeprefix(settings.SITE_URL))
        assert response.status_code == 200, resource["path"]
        text = response.content.decode(resource["encoding"])
        dialect = resource["dialect"]
        header = next(csv.reader(io.StringIO(text), delimiter=dialect["delimiter"]))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
