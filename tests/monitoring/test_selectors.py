"""The rules of the numbers (monitoring.selectors, models): series by year, target path, gap, deadlines."""

from datetime import date
from decimal import Decimal

import pytest

from monitoring.models import EmissionPath, EmissionPathPoint, IndicatorValue, Stage, legal_deadline
from monitoring.selectors import emissions_overview, indicator_series, path_values, per_inhabitant
from tests.monitoring.factories import (
    EmissionBalanceFactory,
    EmissionPathFactory,
    HeatPlanningFactory,
    HeatPlanningStepFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)

Kind = IndicatorValue.Kind
pytestmark = pytest.mark.django_db


def test_series_prefers_measured_over_estimate_and_keeps_targets_apart():
    indicator = IndicatorFactory(baseline_year=2018, baseline_value=Decimal("3"))
    IndicatorValueFactory(indicator=indicator, year=2023, kind=Kind.ESTIMATE, value=Decimal("9"))
    IndicatorValueFactory(indicator=indicator, year=2023, kind=Kind.MEASURED, value=Decimal("10"))
    IndicatorValueFactory(indicator=indicator, year=2024, kind=Kind.ESTIMATE, value=Decimal("12"))
    IndicatorValueFactory(indicator=indicator, year=2024, kind=Kind.TARGET, value=Decimal("11"))
    (series,) = indicator_series([indicator])
    assert series.measured == {2023: Decimal("10"), 2024: Decimal("12")}
    assert series.estimated == {2024}
    assert series.target == {2024: Decimal("11")}
    assert series.years == [2018, 2023, 2024]
    assert series.actual(2018) == Decimal("3")
    assert series.latest == (2024, Decimal("12"))
    assert series.on_track() is True  # higher is better: 12 ≥ 11


def test_series_takes_the_yearly_value_over_dated_ones_and_the_last_date_otherwise():
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, year=2024, date=date(2024, 3, 1), value=Decimal("1"))
    IndicatorValueFactory(indicator=indicator, year=2024, date=date(2024, 9, 1), value=Decimal("2"))
    IndicatorValueFactory(indicator=indicator, year=2025, date=date(2025, 9, 1), value=Decimal("5"))
    IndicatorValueFactory(indicator=indicator, year=2025, value=Decimal("4"))
    (series,) = indicator_series([indicator])
    assert series.measured == {2024: Decimal("2"), 2025: Decimal("4")}


def test_lower_is_better_is_on_track_below_the_target():
    indicator = IndicatorFactory(direction="lower")
    IndicatorValueFactory(indicator=indicator, year=2024, value=Decimal("90"))
    IndicatorValueFactory(indicator=indicator, year=2024, kind=Kind.TARGET, value=Decimal("80"))
    (series,) = indicator_series([indicator])
    assert series.on_track() is False


def test_series_of_many_indicators_in_one_query(django_assert_num_queries):
    indicators = [IndicatorFactory() for _ in range(5)]
    for indicator in indicators:
        IndicatorValueFactory(indicator=indicator, year=2024)
    with django_assert_num_queries(1):
        result = indicator_series(indicators)
    assert [s.indicator for s in result] == indicators


def test_linear_path_from_the_balance_total_to_the_residual():
    path = EmissionPathFactory(baseline_emissions=None, baseline_year=2020, target_year=2030, residual_percent=5)
    for sector, emissions in (("households", 600), ("transport", 400)):
        EmissionBalanceFactory(organisation=path.organisation, year=2020, sector=sector, emissions=emissions)
    EmissionBalanceFactory(organisation=path.organisation, year=2024, sector="households", emissions=700)
    overview = emissions_overview(path.organisation)
    assert overview.path_values[2020] == Decimal("1000.0")
    assert overview.path_values[2030] == Decimal("50.0")
    assert overview.path_values[2025] == Decimal("525.0")
    assert overview.total(2024) == Decimal("700")
    assert overview.gap == Decimal("700") - overview.path_values[2024]  # behind the path: above 0
    assert overview.gap > 0


def test_path_by_year_uses_the_entered_points_and_no_path_gives_no_gap():
    path = EmissionPathFactory(method=EmissionPath.Method.BY_YEAR)
    EmissionPathPoint.objects.create(path=path, year=2025, emissions=Decimal("800"))
    assert path_values(path, {}) == {2025: Decimal("800")}
    organisation = EmissionBalanceFactory().organisation
    assert emissions_overview(organisation).gap is None


def test_per_inhabitant_needs_a_population():
    assert per_inhabitant(Decimal("5000"), 10_000) == Decimal("0.5")
    assert per_inhabitant(Decimal("5"), 10_000, per=1000) == Decimal("0.5")
    assert per_inhabitant(Decimal("5"), None) is None


@pytest.mark.parametrize(
    ("population", "deadline"),
    [(100_001, date(2026, 6, 30)), (100_000, date(2028, 6, 30)), (None, date(2028, 6, 30))],
)
def test_heat_planning_deadline_by_population(population, deadline):
    assert legal_deadline(population) == deadline


def test_heat_planning_overdue_and_update_due():
    planning = HeatPlanningFactory(organisation__population=250_000, stage=Stage.TARGET_SCENARIO)
    assert planning.is_overdue(date(2026, 7, 1))
    assert not planning.is_overdue(date(2026, 6, 30))
    HeatPlanningStepFactory(planning=planning, stage=Stage.FINISHED, reached_on=date(2024, 2, 29))
    planning.stage = Stage.FINISHED
    assert not planning.is_overdue(date(2027, 1, 1))
    assert planning.update_due == date(2029, 2, 28)


def test_a_sector_entered_in_total_and_by_carrier_counts_once():
    organisation = EmissionBalanceFactory(year=2022, sector="households", emissions=1000).organisation
    EmissionBalanceFactory(
        organisation=organisation, year=2022, sector="households", energy_carrier="natural_gas", emissions=600
    )
    EmissionBalanceFactory(
        organisation=organisation, year=2022, sector="transport", energy_carrier="diesel", emissions=300
    )
    EmissionBalanceFactory(
        organisation=organisation, year=2022, sector="transport", energy_carrier="petrol", emissions=200
    )
    overview = emissions_overview(organisation)
    assert overview.by_year == {2022: {"households": Decimal("1000"), "transport": Decimal("500")}}
    assert overview.total(2022) == Decimal("1500")


def test_personal_data_export_names_the_values_reports_and_reminders(client, personas):
    from django.urls import reverse

    from monitoring.models import Reminder
    from tests.monitoring.factories import ReportFactory

    editor = personas.people["editor"]
    IndicatorValueFactory(entered_by=editor, value=Decimal("12.5"), year=2024)
    IndicatorValueFactory(value=Decimal("99"))  # someone else's
    ReportFactory(requested_by=editor, title="Monitoringbericht 2025")
    Reminder.objects.create(recipient=editor, kind=Reminder.Kind.INDICATOR_DUE, item="indicator:1", period="2026-12-01")
    personas.login(client, "editor")
    data = client.get(reverse("networks:profile-export")).json()
    assert [v["value"] for v in data["indicator_values_entered"]] == ["12.500"]
    assert [r["title"] for r in data["monitoring_reports_requested"]] == ["Monitoringbericht 2025"]
    assert [r["period"] for r in data["data_entry_reminders"]] == ["2026-12-01"]
