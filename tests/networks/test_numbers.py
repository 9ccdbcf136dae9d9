"""The one German number rule (networks.numbers): what it reads, what it refuses with which hint, the plausible
range of a unit, and its form fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from networks.numbers import (
    ANY,
    NOT_NEGATIVE,
    SHARE,
    GermanDecimalField,
    GermanIntegerField,
    bounds_of_unit,
    check_number,
    parse_number,
    plain_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3.000", "3000"),
        ("3.000,5", "3000.5"),
        ("3,5", "3.5"),
        ("-2,5", "-2.5"),
        ("\u22122,5", "-2.5"),  # the minus sign a word processor writes
        ("+7", "7"),
        ("3000", "3000"),
        ("1.234.567,89", "1234567.89"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234\u00a0567", "1234567"),
        (" 12 ", "12"),
        ("0,001", "0.001"),
        ("", None),
        ("   ", None),
        (None, None),
        (17.25, "17.25"),
        (0.1 + 0.2, "0.3"),  # a spreadsheet's float with the 15 digits the program shows
        (2022, "2022"),
        (Decimal("4.5"), "4.5"),
    ],
)
def test_what_the_rule_reads(text, number):
    assert parse_number(text) == (None if number is None else Decimal(number))


@pytest.mark.parametrize(
    "text",
    ["12,3,4", "1e9", "1E9", "1.2.3", "1,234.5", "inf", "-inf", "nan", "NaN", "Infinity", "٣", "3٫5", "１２", "3.00,5"]
    + ["12.34.567", "1.2345", "1 23", "--1", "+-1", "3,", ",5", "3.000.", "abc", "1/2", "3 %", "0x10", "1_000", True],
)
def test_what_the_rule_refuses(text):
    with pytest.raises(ValidationError) as error:
        parse_number(text)
    assert error.value.code in ("invalid", "ambiguous")


@pytest.mark.parametrize(("text", "hint"), [("3.5", "3,5 or 3500"), ("3.00", "3,00 or 300"), ("1234.5", "1234,5 or")])
def test_a_dot_that_may_be_a_decimal_mark_is_refused_with_both_readings(text, hint):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_number(text)
    assert error.value.code == "ambiguous"
    assert hint in error.value.messages[0]


def test_the_message_is_german_on_german_pages():
    with translation.override("de"), pytest.raises(ValidationError) as error:
        parse_number("1e9")
    assert error.value.messages == [
        "„1e9“ ist keine Zahl. Schreiben Sie Zahlen wie 3.000 oder 3,5 oder -2,5 (ein Komma vor den Nachkommastellen)."
    ]


@pytest.mark.parametrize(
    ("unit", "bounds"),
    [
        ("%", SHARE),
        ("Prozent", SHARE),
        ("MWh", NOT_NEGATIVE),
        ("MWp", NOT_NEGATIVE),
        ("kW", NOT_NEGATIVE),
        ("t CO2e", NOT_NEGATIVE),
        ("t CO2e/a", NOT_NEGATIVE),
        ("Anzahl", NOT_NEGATIVE),
        ("Stück", NOT_NEGATIVE),
        ("Ladepunkte", NOT_NEGATIVE),
        ("EUR", ANY),
        ("°C", ANY),
        ("Veränderung in %", ANY),
        ("Prozentpunkte", ANY),
        ("% der Haushalte", SHARE),
        ("Anteil in %", SHARE),
        ("", ANY),
    ],
)
def test_the_plausible_range_of_a_unit(unit, bounds):
    assert bounds_of_unit(unit) == bounds


def test_plausibility_messages():
    with translation.override("en"):
        with pytest.raises(ValidationError, match=r"120,5 % is not plausible: a share lies between 0 and 100 %"):
            check_number(Decimal("120.5"), unit="%")
        with pytest.raises(ValidationError, match="-3 MWh is not plausible: an amount in MWh cannot be negative"):
            check_number(Decimal(-3), unit="MWh")
        with pytest.raises(ValidationError, match="no more than 5 digits"):
            check_number(Decimal("123456"), max_digits=5, decimal_places=1)
    assert check_number(Decimal(-3), unit="EUR") == Decimal(-3)
    assert check_number(Decimal(100), unit="%") == Decimal(100)


class NumbersForm(forms.Form):
    share = GermanDecimalField(max_digits=5, decimal_places=1, required=False, unit="%")
    energy = GermanDecimalField(max_digits=8, decimal_places=1, required=False, unit="MWh")
    population = GermanIntegerField(required=False, min_value=0)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_fields_read_the_rule_on_every_page(language):
    with translation.override(language):
        form = NumbersForm({"share": "12,5", "energy": "3.000,5", "population": "3.000"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data == {"share": Decimal("12.5"), "energy": Decimal("3000.5"), "population": 3000}


def test_the_fields_refuse_with_clear_messages():
    with translation.override("en"):
        form = NumbersForm({"share": "101", "energy": "-1", "population": "3,5"})
        assert not form.is_valid()
        assert form.errors == {
            "share": ["101 % is not plausible: a share lies between 0 and 100 %."],
            "energy": ["-1 MWh is not plausible: an amount in MWh cannot be negative."],
            "population": ["Please enter a whole number."],
        }
        assert NumbersForm({"energy": "1.2345.678,0"}).errors["energy"][0].startswith("“1.2345.678,0” is not a number")
        assert NumbersForm({"energy": "99.999.999"}).errors["energy"] == [
            "Ensure that there are no more than 8 digits in total."
        ]


def test_the_fields_show_what_they_read_back():
    form = NumbersForm(initial={"share": Decimal("12.50"), "energy": Decimal("1965000.0"), "population": 2030})
    with translation.override("en"):
        html = str(form["share"]) + str(form["energy"]) + str(form["population"])
    assert 'value="12,5"' in html and 'value="1.965.000"' in html and 'value="2030"' in html
    assert 'type="text"' in html and "step" not in html and "min=" not in html


def _input_attrs(html: str) -> dict[str, str | None]:
    from html.parser import HTMLParser

    found = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "input":
                found.update(attrs)

    Parser().feed(html)
    return found


def test_a_text_input_never_carries_min_max_or_step_even_when_a_form_sets_them():
    """min, max and step are invalid on type=text (HTML): the number input drops them, whoever set them."""
    field = GermanIntegerField(min_value=0, max_value=100)
    field.widget.attrs.update(min=0, max=100, step=1)
    attrs = _input_attrs(field.widget.render("percent", 25))
    assert attrs["type"] == "text" and attrs["inputmode"] == "numeric"
    assert not {"min", "max", "step"} & attrs.keys()
    attrs = _input_attrs(GermanDecimalField(min_value=0, decimal_places=2).widget.render("share", "12,5"))
    assert attrs["type"] == "text" and attrs["inputmode"] == "decimal" and not {"min", "max", "step"} & attrs.keys()


@pytest.mark.django_db
def test_the_progress_percent_and_the_capacity_are_valid_text_inputs(personas):
    from events.forms.events import EventForm
    from measures.forms.editor import UpdateForm

    percent = _input_attrs(str(UpdateForm()["percent"]))
    capacity = _input_attrs(str(EventForm(network=personas.network)["capacity"]))
    for attrs in (percent, capacity):
        assert attrs["type"] == "text" and attrs["inputmode"] == "numeric"
        assert not {"min", "max", "step"} & attrs.keys()
    form = UpdateForm(data={"date": "2026-01-05", "text": "Stand", "percent": "101", "public": "on"})
    assert not form.is_valid() and "percent" in form.errors  # the range is still checked, by the field


@pytest.mark.parametrize("value", [Decimal("3000.5"), Decimal("-2.5"), Decimal("1234567.891"), Decimal(7)])
def test_what_is_shown_reads_back_as_the_same_number(value):
    assert parse_number(plain_number(value)) == value


# --- Through the pages: the forms of every app read the same rule ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_measure_sheet_reads_german_numbers_on_every_page(client, personas, language):
    from measures.models import Measure
    from tests.measures.factories import MeasureFactory, RoadmapFactory
    from tests.measures.test_editor import _measure_data

    roadmap = RoadmapFactory(organisation=personas.people["editor"].organisation_roles.get().organisation)
    measure = MeasureFactory(roadmap=roadmap, code="M-01")
    personas.login(client, "editor")
    with translation.override(language):
        target = reverse("measures:measure-edit", args=[roadmap.slug, measure.pk])
    data = _measure_data(code="M-01", cost_estimate="3.000", funding_amount="1.500,5", effect_expected="3,5")
    data |= {"effect_low": "", "effect_high": ""}
    assert client.post(target, data).status_code == 302
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.cost_estimate, measure.funding_amount, measure.effect_expected) == (3000, Decimal("1500.5"), 3.5)
    page = client.get(target).content.decode()
    assert 'value="3.000"' in page and 'value="1.500,5"' in page and 'value="3,5"' in page  # shown as read back
    for bad, message in [("3.5", "is ambiguous"), ("12,3,4", "is not a number"), ("1e9", "is not a number")]:
        response = client.post(target, data | {"cost_estimate": bad})
        assert response.status_code == 400
        assert message in response.context["form"].errors["cost_estimate"][0] or language == "de"
    assert Measure.objects.get(pk=measure.pk).cost_estimate == 3000


@pytest.mark.django_db
def test_the_values_entry_checks_the_unit_of_each_indicator(client, personas):
    from monitoring.models import IndicatorValue
    from tests.monitoring.factories import IndicatorFactory
    from tests.monitoring.test_entry_views import row

    organisation = personas.people["editor"].organisation_roles.get().organisation
    share = IndicatorFactory(organisation=organisation, roadmap=None, scope="organisation", name="Anteil", unit="%")
    count = IndicatorFactory(organisation=organisation, roadmap=None, scope="organisation", name="PV", unit="Anzahl")
    personas.login(client, "editor")
    with translation.override("en"):
        target = reverse("monitoring:values-entry", args=[organisation.slug]) + "?jahr=2023"
    response = client.post(target, {**row(share, "100,5"), **row(count, "-3")})
    assert response.status_code == 400
    errors = {form.indicator.name: form.errors["value"] for form in response.context["form"].rows}
    assert errors == {
        "Anteil": ["100,5 % is not plausible: a share lies between 0 and 100 %."],
        "PV": ["-3 Anzahl is not plausible: an amount in Anzahl cannot be negative."],
    }
    assert not IndicatorValue.objects.exists()
    assert client.post(target, {**row(share, "12,5"), **row(count, "3.000")}).status_code == 302
    assert sorted(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("12.5"), Decimal(3000)]


@pytest.mark.django_db
def test_the_indicator_form_checks_baseline_and_targets_against_the_unit(client, personas):
    from monitoring.models import Indicator
    from tests.measures.factories import RoadmapFactory
    from tests.monitoring.test_entry_views import indicator_data

    organisation = personas.people["editor"].organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation)
    personas.login(client, "editor")
    with translation.override("en"):
        target = reverse("monitoring:indicator-create", args=[organisation.slug])
        data = indicator_data(roadmap, unit="%", baseline_value="120", targets="2030: 45,5\n2035: 101\n")
        response = client.post(target, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "baseline_value": ["120 % is not plausible: a share lies between 0 and 100 %."],
        "targets": ["2035: 101 % is not plausible: a share lies between 0 and 100 %."],
    }
    assert not Indicator.objects.exists()
    response = client.post(target, data | {"baseline_value": "12,5", "targets": "2030: 45,5\n2035: 100\n"})
    assert response.status_code == 302 and Indicator.objects.get().baseline_value == Decimal("12.5")
