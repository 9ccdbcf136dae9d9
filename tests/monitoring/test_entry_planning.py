"""Editors' pages of the balance, the target path, heat planning and the climate strategy."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from monitoring.forms import parse_number
from monitoring.models import ClimateStrategy, EmissionBalance, EmissionPath, HeatPlanning, HeatPlanningStep, Stage
from tests.helpers import assert_flat
from tests.monitoring.factories import EmissionBalanceFactory, EmissionPathFactory, HeatPlanningFactory
from tests.monitoring.test_entry_views import login, org  # noqa: F401 (fixtures)
from tests.networks.factories import MembershipFactory

pytestmark = pytest.mark.django_db
THIS_YEAR = date.today().year


def url(name, org):  # noqa: F811
    return reverse(f"monitoring:{name}", args=[org.slug])


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234,5", "1234.5"), ("1.234", "1234"), ("1,234", "1.234"), ("210.000", "210000"), ("-3,5", "-3.5")],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_parse_number(text, language, number):
    """The one German number rule on every page (networks.numbers; tests/networks/test_numbers.py)."""
    with translation.override(language):
        assert parse_number(text) == Decimal(number)


# --- Balance ----------------------------------------------------------------------------------------


def sectors(**values):
    data = {}
    for sector in ("households", "commerce", "industry", "transport", "municipal"):
        data[f"{sector}-emissions"] = values.get(sector, "")
        data[f"{sector}-source"] = "Klimaschutz-Planer" if sector in values else ""
        data[f"{sector}-note"] = ""
    return data


def test_balance_year_saved_by_sector(client, personas, org):  # noqa: F811
    EmissionBalanceFactory(organisation=org, year=2022, sector="industry", emissions=77)  # deleted by an empty total
    login(client, personas, "editor")
    response = client.post(url("balance", org) + "?jahr=2022", sectors(households="120.500,5", transport="210000"))
    assert response.status_code == 302
    lines = {b.sector: b.emissions for b in EmissionBalance.objects.filter(organisation=org, year=2022)}
    assert lines == {"households": Decimal("120500.5"), "transport": Decimal("210000")}
    assert EmissionBalance.objects.get(sector="households").entered_by == personas.people["editor"]


def test_balance_keeps_carrier_lines_while_the_total_is_unchanged(client, personas, org):  # noqa: F811
    EmissionBalanceFactory(organisation=org, year=2022, sector="households", energy_carrier="electricity", emissions=60)
    EmissionBalanceFactory(organisation=org, year=2022, sector="households", energy_carrier="natural_gas", emissions=40)
    login(client, personas, "editor")
    page = client.get(url("balance", org) + "?jahr=2022").content.decode()
    assert 'value="100"' in page
    client.post(url("balance", org) + "?jahr=2022", sectors(households="100"))
    assert EmissionBalance.objects.filter(sector="households").count() == 2
    client.post(url("balance", org) + "?jahr=2022", sectors(households="90"))
    line = EmissionBalance.objects.get(sector="households")
    assert (line.energy_carrier, line.emissions) == ("", Decimal("90"))


@pytest.mark.parametrize("bad", ["-5", "viel", "1,25"])
def test_balance_bad_input_writes_nothing(client, personas, org, bad):  # noqa: F811
    login(client, personas, "editor")
    response = client.post(url("balance", org) + "?jahr=2022", sectors(households="100", transport=bad))
    assert response.status_code == 400
    assert not EmissionBalance.objects.exists()


def test_balance_year_out_of_range(client, personas, org):  # noqa: F811
    login(client, personas, "editor")
    assert client.get(url("balance", org) + f"?jahr={THIS_YEAR + 1}").status_code == 400
    assert client.post(url("balance", org) + "?jahr=1800", sectors(households="1")).status_code == 400
    assert not EmissionBalance.objects.exists()


def test_balance_table_shows_totals_and_gap(client, personas, org):  # noqa: F811
    translation.activate("de")
    EmissionPathFactory(organisation=org, baseline_year=2020, baseline_emissions=1000, target_year=2030)
    EmissionBalanceFactory(organisation=org, year=2022, sector="households", emissions=700)
    EmissionBalanceFactory(organisation=org, year=2022, sector="transport", emissions=500)
    login(client, personas, "editor")
    response = client.get(url("balance", org))
    rows = response.context["rows"]
    assert rows[0]["total"] == 1200 and rows[0]["target"] == Decimal("800.0") and rows[0]["gap"] == 400
    assert "1.200" in response.content.decode() and "+400" in response.content.decode()


def test_balance_query_count_is_flat(client, personas, org, django_assert_num_queries):  # noqa: F811
    login(client, personas, "editor")
    EmissionPathFactory(organisation=org, baseline_year=2000, target_year=2045)
    years = iter(range(2000, 2025))

    def grow(n):
        for _ in range(n):
            year = next(years)
            for sector in ("households", "transport"):
                EmissionBalanceFactory(organisation=org, year=year, sector=sector)

    # session and account from the cache (no query); organisation, editor role, lines of the year, balance sums, path,
    # path points
    assert_flat(client, url("balance", org), grow, django_assert_num_queries, 6)


# --- Target path ------------------------------------------------------------------------------------


def test_path_linear_and_by_year(client, personas, org):  # noqa: F811
    login(client, personas, "editor")
    data = {"baseline_year": "2020", "baseline_emissions": "1.000", "target_year": "2030", "residual_percent": "5"}
    response = client.post(url("path-edit", org), {**data, "method": "linear", "points": ""})
    assert response.status_code == 302
    page = client.get(url("path-edit", org))
    rows = page.context["rows"]
    assert rows[0] == {"year": 2020, "target": Decimal("1000.0"), "total": None}
    assert rows[-1]["target"] == Decimal("50.0")
    response = client.post(url("path-edit", org), {**data, "method": "by_year", "points": "2025: 600\n2030: 50"})
    assert response.status_code == 302
    path = EmissionPath.objects.get(organisation=org)
    assert {p.year: p.emissions for p in path.points.all()} == {2025: 600, 2030: 50}
    assert [row["year"] for row in client.get(url("path-edit", org)).context["rows"]] == [2025, 2030]


@pytest.mark.parametrize(
    "changes",
    [
        {"target_year": "2019"},
        {"residual_percent": "120"},
        {"method": "by_year", "points": ""},
        {"method": "by_year", "points": "2025 – sechshundert"},
        {"baseline_emissions": "-1"},
    ],
)
def test_path_bad_input(client, personas, org, changes):  # noqa: F811
    login(client, personas, "editor")
    data = {"baseline_year": "2020", "baseline_emissions": "1000", "target_year": "2030", "residual_percent": "0"}
    data |= {"method": "linear", "points": ""} | changes
    assert client.post(url("path-edit", org), data).status_code == 400
    assert not EmissionPath.objects.exists()


# --- Heat planning ----------------------------------------------------------------------------------


def planning_data(stage, **dates):
    data = {"stage": str(stage), "office": "Planungsbüro Wärme", "council_decision_on": "", "note": ""}
    for value in range(1, 9):
        data[f"reached_{value}"] = dates.get(f"s{value}", "")
    return data


def test_heat_planning_saved_with_dates_and_convoy(client, personas, org):  # noqa: F811
    partner = MembershipFactory(network=personas.network, organisation__kind="municipality").organisation
    MembershipFactory(network=personas.network, organisation=org)  # a convoy is planned with neighbours of a network
    login(client, personas, "editor")
    page = client.get(url("heat-planning-edit", org))
    assert page.context["deadline"] is None  # a county: the law obliges its municipalities, not the county
    org.kind = "city"
    org.save()
    page = client.get(url("heat-planning-edit", org))
    assert page.context["deadline"] == date(2026, 6, 30)  # a city of 267,000 inhabitants
    data = planning_data(Stage.POTENTIAL, s1="2023-03-01", s2="2023-09-01", s4="2024-05-01") | {"convoy": [partner.pk]}
    response = client.post(url("heat-planning-edit", org), data)
    assert response.status_code == 302
    planning = HeatPlanning.objects.get(organisation=org)
    assert planning.stage == Stage.POTENTIAL and list(planning.convoy.all()) == [partner]
    assert dict(planning.steps.values_list("stage", "reached_on")) == {
        1: date(2023, 3, 1),
        2: date(2023, 9, 1),
        4: date(2024, 5, 1),
    }
    client.post(url("heat-planning-edit", org), planning_data(Stage.DECIDED, s1="2023-03-01"))
    assert list(HeatPlanningStep.objects.values_list("stage", flat=True)) == [1]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (planning_data(Stage.DECIDED, s1="2023-03-01", s3="2023-04-01"), "reached_3"),  # after the current stage
        (planning_data(Stage.INVENTORY, s1="2023-03-01", s2="2022-01-01"), "reached_2"),  # backwards
        (planning_data(Stage.DECIDED, s1=(date.today() + timedelta(days=5)).isoformat()), "reached_1"),  # future
        (planning_data(12), "stage"),
        (planning_data(Stage.DECIDED, s1="31.02.2023"), "reached_1"),
    ],
)
def test_heat_planning_bad_input(client, personas, org, data, field):  # noqa: F811
    login(client, personas, "editor")
    response = client.post(url("heat-planning-edit", org), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not HeatPlanning.objects.exists()


def test_heat_planning_one_wrong_date_is_one_error_naming_its_stage(client, personas, org):  # noqa: F811
    login(client, personas, "editor")
    data = planning_data(Stage.INVENTORY, s1="2023-03-01", s2="2022-01-01", s3="2022-02-01")
    response = client.post(url("heat-planning-edit", org), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["reached_2"]  # the third date follows the second: no second error
    with translation.override("de"):
        [message] = errors["reached_2"]
        assert str(Stage.OFFICE_COMMISSIONED.label) in message and str(Stage.DECIDED.label) in message
    assert response.content.decode().count(message) == 1


def test_heat_planning_only_for_public_bodies(client, personas, org):  # noqa: F811
    org.kind = "company"
    org.save()
    login(client, personas, "editor")
    response = client.get(url("heat-planning-edit", org))
    assert response.status_code == 404
    assert "heat-planning" in response.context["editor_nav"]
    assert client.post(url("heat-planning-edit", org), planning_data(Stage.DECIDED)).status_code == 404
    assert not HeatPlanning.objects.exists()


def test_heat_planning_demo_values_become_real(client, personas, org):  # noqa: F811
    HeatPlanningFactory(organisation=org, stage=Stage.DECIDED, is_demo=True)
    login(client, personas, "editor")
    assert client.post(url("heat-planning-edit", org), planning_data(Stage.DECIDED)).status_code == 302
    assert not HeatPlanning.objects.get(organisation=org).is_demo


# --- Climate strategy -------------------------------------------------------------------------------


def test_strategy_saved(client, personas, org):  # noqa: F811
    login(client, personas, "editor")
    data = {
        "concept_adopted_on": "2021-06-01",
        "concept_share_implemented": "40",
        "neutrality_year": "2035",
        "neutrality_decided_on": "2021-06-01",
        "note": "",
    }
    assert client.post(url("strategy-edit", org), data).status_code == 302
    strategy = ClimateStrategy.objects.get(organisation=org)
    assert (strategy.neutrality_year, strategy.concept_share_implemented) == (2035, 40)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"concept_share_implemented": "40"}, "concept_adopted_on"),
        ({"concept_adopted_on": "2021-06-01", "concept_share_implemented": "140"}, "concept_share_implemented"),
        ({"neutrality_year": "2020"}, "neutrality_year"),
        ({"neutrality_year": "zwanzig"}, "neutrality_year"),
        ({"neutrality_decided_on": (date.today() + timedelta(days=3)).isoformat()}, "neutrality_decided_on"),
    ],
)
def test_strategy_bad_input(client, personas, org, data, field):  # noqa: F811
    login(client, personas, "editor")
    response = client.post(url("strategy-edit", org), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ClimateStrategy.objects.exists()
