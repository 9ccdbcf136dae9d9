"""The monitoring demo (issue 5 §8): loaded by load_demo after the networks, events and measures, idempotent, and
showing what the monitoring app can do: Düren's indicators with values, estimates, targets and due dates, BISKO
balances with target paths, the NKK's heat planning spread over the stages and both legal deadlines, target years
from 2030 to 2045, and one finished, published report of the Düren roadmap."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from measures.models import Roadmap
from monitoring.models import (
    ClimateStrategy,
    EmissionBalance,
    EmissionPath,
    EmissionPathPoint,
    HeatPlanning,
    HeatPlanningStep,
    Indicator,
    IndicatorValue,
    Report,
    Stage,
)
from monitoring.models.planning import DEADLINE_LARGE, DEADLINE_SMALL
from monitoring.selectors import emissions_overview, indicator_series
from networks.models import Membership, Network, Organisation

pytestmark = pytest.mark.django_db

MODELS = [
    Indicator,
    Indicator.measures.through,
    IndicatorValue,
    EmissionBalance,
    EmissionPath,
    EmissionPathPoint,
    HeatPlanning,
    HeatPlanning.convoy.through,
    HeatPlanningStep,
    ClimateStrategy,
    Report,
    Organisation,
    Membership,
]


def load() -> str:
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(demo_once, settings) -> str:
    """The demo, loaded once for the module (tests.conftest.demo_once); each test in a savepoint."""
    settings.MEDIA_ROOT = demo_once.media
    return demo_once.output


def dueren_indicators():
    return Indicator.objects.filter(organisation__slug="kreis-dueren")


def nkk_plannings():
    network = Network.objects.get(slug="nkk-koeln-bonn")
    members = network.memberships.filter(until=None).values("organisation")
    return HeatPlanning.objects.filter(organisation__in=members).select_related("organisation")


def test_load_demo_twice_creates_nothing_twice(loaded):
    first = counts()
    assert first["monitoring.Indicator"] >= 10 and first["monitoring.IndicatorValue"] >= 100
    assert first["monitoring.HeatPlanning"] >= 10 and first["monitoring.Report"] == 1
    load()
    assert counts() == first


def test_load_demo_reports_the_monitoring_data(loaded):
    assert "Demo monitoring:" in loaded and "heat plannings" in loaded


def test_duerens_indicators_cover_the_roadmap_with_comparison_keys(loaded):
    indicators = dueren_indicators()
    roadmap = Roadmap.objects.get(slug="klima-roadmap-kreis-dueren")
    assert all(i.roadmap == roadmap for i in indicators)
    codes = set(indicators.values_list("code", flat=True))
    assert {"pv-leistung", "ee-anteil-strom", "ladepunkte", "energie-liegenschaften", "thg-emissionen"} <= codes
    units = {i.code: (i.unit, i.direction) for i in indicators}
    assert units["pv-leistung"] == ("MWp", "higher") and units["ee-anteil-strom"] == ("%", "higher")
    assert units["energie-liegenschaften"] == ("MWh", "lower") and units["thg-emissionen"] == ("t CO2e", "lower")
    # Linked to fitting measures of the roadmap, the responsible person is the roadmap's editor.
    assert set(indicators.get(code="ladepunkte").measures.values_list("code", flat=True)) == {"MO-04"}
    assert all(i.measures.exists() for i in indicators)
    assert {i.responsible.user.email for i in indicators} == {"dueren.redaktion@example.org"}
    assert all(i.source and "Demo" in i.description for i in indicators)
    # The same keys elsewhere make the network comparison work.
    others = Indicator.objects.filter(code="pv-leistung").exclude(organisation__slug="kreis-dueren")
    assert others.count() >= 3 and all(i.organisation.population for i in others)


def test_duerens_values_run_from_2018_with_estimates_sources_and_checks_and_targets_to_2035(loaded):
    today = timezone.localdate()
    values = IndicatorValue.objects.filter(indicator__organisation__slug="kreis-dueren")
    actual = values.exclude(kind=IndicatorValue.Kind.TARGET)
    years = set(actual.values_list("year", flat=True))
    assert min(years) == 2018 and max(years) == 2025
    assert not values.filter(year=today.year).exclude(kind=IndicatorValue.Kind.TARGET).exists()
    assert actual.filter(kind=IndicatorValue.Kind.ESTIMATE).count() >= 3
    assert actual.filter(checked=True).count() > actual.filter(checked=False).count() > 0
    assert all(actual.values_list("source", flat=True))
    assert all(v.entered_by.user.email == "dueren.redaktion@example.org" for v in actual.select_related("entered_by"))
    for series in indicator_series(dueren_indicators()):
        assert max(series.target) == 2035, series.indicator
    # PV: plausible for a county of about 265,000 inhabitants (hundreds of MWp), growing year by year.
    pv = indicator_series(dueren_indicators().filter(code="pv-leistung"))[0]
    assert [pv.measured[y] for y in sorted(pv.measured)] == sorted(pv.measured.values())
    assert 100 < pv.measured[2025] < 1000 and pv.on_track() is False
    assert Organisation.objects.get(slug="kreis-dueren").population > 250_000


def test_one_indicator_is_due_soon_and_one_is_overdue(loaded):
    today = timezone.localdate()
    indicators = dueren_indicators()
    assert indicators.filter(next_due__gte=today, next_due__lte=today + timezone.timedelta(days=14)).exists()
    overdue = indicators.overdue(today)
    assert overdue.count() == 1
    # The overdue one lacks its last year's value.
    assert not overdue.get().values.filter(year=2025).exclude(kind=IndicatorValue.Kind.TARGET).exists()
    # The Klima.Taten.Team's health view has overdue values too.
    assert Indicator.objects.overdue(today).filter(organisation__slug__in=["stadt-kaiserslautern"]).exists()


def test_balances_are_bisko_sectors_of_plausible_size_with_paths(loaded):
    dortmund = emissions_overview(Organisation.objects.get(slug="stadt-dortmund"))
    assert dortmund.years[0] == 1990 and {2018, 2019, 2020, 2021, 2022} <= set(dortmund.years)
    assert len(dortmund.sectors) == 5
    # 5 to 12 t CO2e per inhabitant of a city of about 600,000.
    assert all(5 <= dortmund.total(year) / dortmund.organisation.population <= 12 for year in dortmund.years)
    assert dortmund.path.target_year == 2035 and dortmund.path_values[2035] < dortmund.path_values[2019]
    assert dortmund.gap is not None and dortmund.gap > 0
    assert all("Demo-Werte" in source for source in EmissionBalance.objects.values_list("source", flat=True))
    for slug in ("stadt-bonn", "stadt-troisdorf"):  # compared per inhabitant on the NKK's board
        overview = emissions_overview(Organisation.objects.get(slug=slug))
        assert 4 <= overview.total(overview.latest_year) / overview.organisation.population <= 10

    dueren = emissions_overview(Organisation.objects.get(slug="kreis-dueren"))
    roadmap = Roadmap.objects.get(slug="klima-roadmap-kreis-dueren")
    assert dueren.total(roadmap.baseline_year) == roadmap.baseline_emissions
    assert dueren.path.target_year == roadmap.target_year == 2035
    assert dueren.gap > 0  # behind its path
    thg = indicator_series(dueren_indicators().filter(code="thg-emissionen"))[0]
    assert all(thg.measured[year] == dueren.total(year) for year in dueren.years)


def test_heat_planning_of_ten_nkk_members_spreads_over_stages_and_both_deadlines(loaded):
    plannings = list(nkk_plannings())
    assert len(plannings) >= 10 and all(p.is_demo for p in plannings)
    names = {p.organisation.slug for p in plannings}
    assert {"stadt-koeln", "stadt-bonn", "stadt-troisdorf", "stadt-huerth"} <= names
    deadlines = {p.organisation.slug: p.deadline for p in plannings}
    assert deadlines["stadt-koeln"] == deadlines["stadt-bonn"] == DEADLINE_LARGE == date(2026, 6, 30)
    assert deadlines["stadt-troisdorf"] == DEADLINE_SMALL == date(2028, 6, 30)
    assert 2 <= sum(d == DEADLINE_LARGE for d in deadlines.values()) < len(plannings) - 4
    stages = {p.stage for p in plannings}
    # Seed 004: offices commissioned, potential analysis, target scenario or later, finished awaiting the council.
    assert {Stage.DECIDED, Stage.OFFICE_COMMISSIONED, Stage.POTENTIAL, Stage.FINISHED, Stage.ADOPTED} <= stages
    assert len(stages) >= 6
    awaiting = [p for p in plannings if p.stage == Stage.FINISHED]
    assert awaiting and all(p.council_decision_on is None for p in awaiting)
    assert all(p.council_decision_on for p in plannings if p.stage == Stage.ADOPTED)
    # Each stage up to the current one has a date, in order; external offices and convoys are there.
    for planning in plannings:
        steps = list(planning.steps.order_by("stage"))
        assert [s.stage for s in steps][-1] == planning.stage
        assert [s.reached_on for s in steps] == sorted(s.reached_on for s in steps)
        assert steps[-1].reached_on <= timezone.localdate()
    assert sum(bool(p.office) for p in plannings) >= 8
    convoys = [p for p in plannings if p.convoy.exists()]
    assert len(convoys) >= 3
    members = {p.organisation for p in plannings}
    assert all(set(c.convoy.all()) <= members for c in convoys)


def test_target_years_spread_between_2030_and_2045(loaded):
    strategies = ClimateStrategy.objects.filter(is_demo=True)
    years = [y for y in strategies.values_list("neutrality_year", flat=True) if y is not None]
    assert len(years) >= 10 and min(years) == 2030 and max(years) == 2045
    assert len(set(years)) >= 4
    assert strategies.get(organisation__slug="kreis-dueren").neutrality_year == 2035  # seed 000
    assert strategies.get(organisation__slug="stadt-dortmund").neutrality_year == 2035  # seed 001
    with_concept = strategies.exclude(concept_adopted_on=None)
    assert all(0 <= s.concept_share_implemented <= 100 for s in with_concept)
    assert strategies.filter(neutrality_year=None).exists()  # one has not decided yet


def test_nkk_board_stays_members_only(loaded):
    assert not Network.objects.get(slug="nkk-koeln-bonn").board_public


def test_the_published_report_of_the_dueren_roadmap_is_done_with_a_pdf(loaded):
    report = Report.objects.get()
    assert report.roadmap.slug == "klima-roadmap-kreis-dueren"
    assert (report.period_start, report.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert report.status == Report.Status.DONE and report.progress == 100
    assert report.published and report.published_at and report.requested_by.user.email == "dueren.redaktion@example.org"
    assert report.snapshot and report.xlsx_file.name and report.csv_file.name and report.html_file.name
    with report.pdf_file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
        pdf.seek(0)
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Kreis Düren" in text and "Photovoltaik" in text
    assert Report.objects.published().filter(roadmap=report.roadmap).count() == 1


def test_a_failed_demo_report_is_built_again_not_duplicated(loaded):
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, published=False, error="lost")
    load()
    report.refresh_from_db()
    assert Report.objects.count() == 1 and report.status == Report.Status.DONE and report.published


def test_what_an_editor_changed_stays(loaded):
    indicator = dueren_indicators().get(code="ladepunkte")
    Indicator.objects.filter(pk=indicator.pk).update(next_due=date(2030, 1, 1), unit="Ladepunkte")
    IndicatorValue.objects.filter(indicator=indicator, year=2024, kind="measured").update(value=Decimal("420"))
    load()
    indicator.refresh_from_db()
    assert (indicator.next_due, indicator.unit) == (date(2030, 1, 1), "Ladepunkte")
    assert indicator.values.get(year=2024, kind="measured").value == Decimal("420")


def test_rows_are_dated_when_they_were_entered_not_when_the_demo_was_loaded(loaded):
    today = timezone.localdate()
    pv_2024 = IndicatorValue.objects.get(
        indicator__organisation__slug="kreis-dueren", indicator__code="pv-leistung", year=2024, kind="measured"
    )
    assert timezone.localdate(pv_2024.created_at) == timezone.localdate(pv_2024.updated_at) == date(2025, 3, 16)
    for model in (IndicatorValue, Indicator, EmissionBalance):
        assert not model.objects.filter(updated_at__date=today).exists(), model
    assert all(p.updated_at.date() == p.steps.order_by("stage").last().reached_on for p in HeatPlanning.objects.all())
