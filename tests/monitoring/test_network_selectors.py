"""The read side of a network's monitoring: board rows, comparison, activity, health (monitoring/network.py)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Event, Outcome, Registration
from measures.models import Measure
from measures.selectors import stale_cutoff
from monitoring import network as sel
from monitoring.comparison.models import Audience
from monitoring.comparison.statistics import Viewer
from monitoring.models import IndicatorValue, Stage
from networks.models import Organisation
from tests.comparison.factories import consent
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.monitoring.factories import (
    ClimateStrategyFactory,
    EmissionBalanceFactory,
    HeatPlanningFactory,
    HeatPlanningStepFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.networks.factories import MembershipFactory, NetworkFactory, OrganisationFactory, PersonFactory

TODAY = date(2026, 3, 1)


@pytest.fixture
def network(db):
    return NetworkFactory(slug="nkk")


def member(network, **org):
    org.setdefault("kind", Organisation.Kind.CITY)
    organisation = OrganisationFactory(**org)
    MembershipFactory(network=network, organisation=organisation, since=date(2020, 1, 1))
    return organisation


# --- member_organisations -----------------------------------------------------------------------------------


def test_member_organisations_are_the_current_ones(network):
    current = member(network, name="B-Stadt")
    ended = OrganisationFactory(name="A-Stadt")
    MembershipFactory(network=network, organisation=ended, since=date(2020, 1, 1), until=date(2025, 12, 31))
    future = OrganisationFactory(name="C-Stadt")
    MembershipFactory(network=network, organisation=future, since=date(2026, 6, 1))
    MembershipFactory(organisation=OrganisationFactory(name="D-Stadt"))  # another network
    assert list(sel.member_organisations(network, TODAY)) == [current]
    assert set(sel.member_organisations(network, date(2025, 12, 31))) == {current, ended}


# --- board_rows: the deadline rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "deadline"),
    [
        (150_000, date(2026, 6, 30)),
        (100_001, date(2026, 6, 30)),
        (100_000, date(2028, 6, 30)),
        (45_000, date(2028, 6, 30)),
        (None, date(2028, 6, 30)),
    ],
)
def test_board_deadline_by_population(network, population, deadline):
    HeatPlanningFactory(organisation=member(network, population=population))
    (row,) = sel.board_rows(network, TODAY)
    assert row.deadline == deadline
    assert row.days_left == (deadline - TODAY).days


@pytest.mark.parametrize(
    ("today", "overdue", "days_left"),
    [(date(2026, 6, 30), False, 0), (date(2026, 7, 1), True, -1), (date(2027, 7, 1), True, -366)],
)
def test_board_overdue_after_the_deadline(network, today, overdue, days_left):
    HeatPlanningFactory(organisation=member(network, population=550_000), stage=Stage.TARGET_SCENARIO)
    (row,) = sel.board_rows(network, today)
    assert (row.overdue, row.days_left) == (overdue, days_left)
    assert row.days_overdue == max(-days_left, 0)


@pytest.mark.parametrize("stage", [Stage.FINISHED, Stage.ADOPTED])
def test_board_finished_or_adopted_is_never_overdue(network, stage):
    HeatPlanningFactory(organisation=member(network, population=550_000), stage=stage)
    (row,) = sel.board_rows(network, date(2030, 1, 1))
    assert row.done and not row.overdue


def test_board_row_without_planning_has_not_started_and_the_same_deadline_rule(network):
    member(network, population=200_000)
    (row,) = sel.board_rows(network, date(2026, 7, 1))
    assert row.planning is None
    assert (row.stage, row.deadline, row.overdue, row.done) == (Stage.NOT_STARTED, date(2026, 6, 30), True, False)
    assert row.update_due is None and row.convoy == [] and row.neutrality_year is None


def test_board_row_fields(network):
    org = member(network, name="Stadt Hürth", population=60_000)
    partner = OrganisationFactory(name="Stadt Frechen", short_name="Frechen")
    planning = HeatPlanningFactory(
        organisation=org,
        stage=Stage.FINISHED,
        office="Energiebüro West",
        council_decision_on=date(2025, 11, 20),
        is_demo=True,
    )
    planning.convoy.add(partner)
    HeatPlanningStepFactory(planning=planning, stage=Stage.FINISHED, reached_on=date(2025, 9, 1))
    ClimateStrategyFactory(organisation=org, neutrality_year=2035)
    (row,) = sel.board_rows(network, TODAY)
    assert row.stage_label == str(Stage.FINISHED.label)
    assert row.convoy == ["Frechen"]
    assert row.office == "Energiebüro West"
    assert row.council_decision_on == date(2025, 11, 20)
    assert row.update_due == date(2030, 11, 20)
    assert row.stage_reached_on == date(2025, 9, 1)
    assert row.neutrality_year == 2035
    assert row.is_demo and row.last_stage == 8


def test_board_rows_only_public_bodies(network):
    member(network, name="Stadtwerke", kind=Organisation.Kind.UTILITY)
    county = member(network, name="Kreis Düren", kind=Organisation.Kind.COUNTY)
    village = member(network, name="Gemeinde Nörvenich", kind=Organisation.Kind.MUNICIPALITY)
    assert [row.organisation for row in sel.board_rows(network, TODAY)] == [village, county]


def grow_board(network, n):
    for i in range(n):
        org = member(network, population=50_000 + i)
        planning = HeatPlanningFactory(organisation=org, stage=i % 9)
        HeatPlanningStepFactory(planning=planning, stage=Stage.DECIDED)
        planning.convoy.add(OrganisationFactory())
        ClimateStrategyFactory(organisation=org, neutrality_year=2030 + i % 16)


def test_board_rows_query_count_is_flat(network, django_assert_num_queries):
    for size in (2, 10):
        grow_board(network, size)
        with django_assert_num_queries(3):  # members with planning and strategy, stages reached, convoys
            rows = sel.board_rows(network, TODAY)
            [(row.convoy, row.update_due) for row in rows]


# --- comparison -----------------------------------------------------------------------------------------------


def test_comparison_emissions_per_inhabitant_of_the_latest_year(network):
    big = member(network, name="A-Stadt", population=200_000)
    small = member(network, name="B-Dorf", population=None)
    member(network, name="C-Stadt", population=10_000)
    EmissionBalanceFactory(organisation=big, year=2020, emissions=3_000_000)
    EmissionBalanceFactory(organisation=big, year=2022, emissions=1_000_000)
    EmissionBalanceFactory(organisation=big, year=2022, sector="transport", emissions=600_000)
    EmissionBalanceFactory(organisation=small, year=2021, emissions=5_000)
    for organisation in Organisation.objects.filter(memberships__network=network):
        consent(organisation)  # the total, for everyone
    result = sel.comparison(network, TODAY)
    cells = {c.organisation.name: c for c in result.emissions}
    assert (cells["A-Stadt"].year, cells["A-Stadt"].total, cells["A-Stadt"].per_inhabitant) == (2022, 1_600_000, 8)
    assert cells["B-Dorf"].total == 5_000 and cells["B-Dorf"].per_inhabitant is None  # population unknown
    assert cells["C-Stadt"].total is None
    assert result.has_emissions


def coded(org, code, *values, per_inhabitant=False, public=True, unit="MWp"):
    indicator = IndicatorFactory(
        roadmap=RoadmapFactory(organisation=org, published=True),
        code=code,
        per_inhabitant=per_inhabitant,
        public=public,
        unit=unit,
    )
    for year, value, kind in values:
        IndicatorValueFactory(indicator=indicator, year=year, value=value, kind=kind)
    return indicator


M, E, T = IndicatorValue.Kind.MEASURED, IndicatorValue.Kind.ESTIMATE, IndicatorValue.Kind.TARGET


def test_comparison_indicators_shared_by_two_members(network):
    a = member(network, name="A-Stadt", population=50_000)
    b = member(network, name="B-Stadt", population=20_000)
    c = member(network, name="C-Stadt", population=10_000)
    coded(a, "pv-leistung", (2023, 10, M), (2024, 12, M), (2025, 15, E), (2030, 40, T), per_inhabitant=True)
    coded(b, "pv-leistung", (2022, 4, M), per_inhabitant=True)
    coded(a, "ladepunkte", (2024, 30, M), unit="Anzahl")
    coded(c, "nur-hier", (2024, 1, M))  # one member only: not compared
    coded(b, "intern", (2024, 1, M), public=False)
    coded(c, "intern", (2024, 2, M), public=False)
    outsider = OrganisationFactory(kind=Organisation.Kind.CITY)  # not a member
    coded(outsider, "ladepunkte", (2024, 99, M), unit="Anzahl")
    for organisation in (a, b, c, outsider):
        consent(organisation, figures=["ind:pv-leistung", "ind:ladepunkte", "ind:nur-hier", "ind:intern"])

    result = sel.comparison(network, TODAY)
    assert [i.code for i in result.indicators] == ["pv-leistung"]
    (pv,) = result.indicators
    assert pv.per_inhabitant and pv.unit == "MWp"
    cells = {cell.organisation.name: cell for cell in pv.cells}
    assert (cells["A-Stadt"].year, cells["A-Stadt"].value) == (2024, Decimal("0.24"))  # 12 MWp per 50,000 → /1,000
    assert (cells["B-Stadt"].year, cells["B-Stadt"].value) == (2022, Decimal("0.2"))
    assert cells["C-Stadt"].indicator is None and cells["C-Stadt"].value is None

    everything = sel.comparison(network, TODAY, public_only=False)
    assert [i.code for i in everything.indicators] == ["intern", "pv-leistung"]
    intern = {cell.organisation.name: cell.value for cell in everything.indicators[0].cells}
    assert intern == {"A-Stadt": None, "B-Stadt": Decimal("1.000"), "C-Stadt": Decimal("2.000")}  # as is


def test_comparison_shows_only_what_each_municipality_shares_with_the_viewer(network):
    """Issue 17 §2: the opt-in per organisation and per figure holds on the network board too."""
    everyone, members, nobody, total_only = (member(network, name=n, population=50_000) for n in "ABCD")
    for organisation in (everyone, members, nobody, total_only):
        EmissionBalanceFactory(organisation=organisation, year=2022, emissions=400_000)
        coded(organisation, "pv-leistung", (2024, 10, M), per_inhabitant=True)
    consent(everyone, figures=["ghg-total", "ind:pv-leistung"])
    consent(members, Audience.MEMBERS, figures=["ghg-total", "ind:pv-leistung"])
    consent(total_only, figures=["ghg-total"])  # its indicator is not released
    # nobody: no opt-in at all

    def shown(viewer):
        result = sel.comparison(network, TODAY, viewer=viewer)
        emissions = {cell.organisation.name for cell in result.emissions if cell.total is not None}
        (pv,) = result.indicators or [None]
        indicators = {cell.organisation.name for cell in pv.cells if cell.value is not None} if pv else set()
        return emissions, indicators

    assert shown(None) == ({"A", "D"}, set())  # a visitor: one indicator shared publicly is no comparison
    assert shown(Viewer(networks=(network.pk,))) == ({"A", "B", "D"}, {"A", "B"})  # a member of the network
    assert shown(Viewer(networks=(NetworkFactory().pk,))) == ({"A", "D"}, set())  # a member of another network
    assert shown(Viewer(staff=True)) == ({"A", "B", "D"}, {"A", "B"})


def test_comparison_query_count_is_flat(network, django_assert_num_queries):
    members = 0
    for size in (2, 10):
        members += size
        for _ in range(size):
            org = member(network, population=30_000)
            EmissionBalanceFactory(organisation=org)
            coded(org, "pv-leistung", (2023, 10, M), (2024, 12, M))
            consent(org, figures=["ghg-total", "ind:pv-leistung"])
        # members, their opt-in and per-figure opt-ins, balance totals, coded indicators, their values
        with django_assert_num_queries(6):
            result = sel.comparison(network, TODAY)
        assert len([cell for cell in result.emissions if cell.total is not None]) == members


# --- network_activity -----------------------------------------------------------------------------------------


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def meeting(network, day: date, hour: int = 10, **kwargs):
    start = at(day, hour)
    return EventFactory(network=network, starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)


def test_network_activity_counts_participants_and_organisations(network):
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    anna, bert, cem = (
        PersonFactory(organisation=org_a),
        PersonFactory(organisation=org_a),
        PersonFactory(organisation=org_b),
    )
    # Attendance taken: only who attended counts.
    first = meeting(network, date(2025, 1, 30))
    RegistrationFactory(event=first, person=anna, status=Registration.Status.ATTENDED)
    RegistrationFactory(event=first, person=bert, status=Registration.Status.REGISTERED)  # did not come
    RegistrationFactory(event=first, person=cem, status=Registration.Status.CANCELLED)
    # No attendance taken: the registrations count.
    second = meeting(network, date(2025, 3, 10))
    RegistrationFactory(event=second, person=bert, status=Registration.Status.REGISTERED)
    RegistrationFactory(event=second, person=cem, status=Registration.Status.REGISTERED)
    RegistrationFactory(event=second, person=PersonFactory(organisation=None), status=Registration.Status.WAITING)
    meeting(network, date(2025, 4, 1), status=Event.Status.CANCELLED)
    meeting(network, date(2026, 1, 1))  # after the period
    meeting(NetworkFactory(), date(2025, 2, 1))  # another network

    activity = sel.network_activity(network, date(2025, 1, 1), date(2025, 12, 31))
    assert [(e.event, e.participants, e.organisations) for e in activity.events] == [(first, 1, 1), (second, 2, 2)]
    assert (activity.meetings, activity.participants, activity.organisations) == (2, 3, 2)
    assert activity.events[0].kind_label


def test_network_activity_period_includes_both_ends(network):
    meeting(network, date(2025, 1, 1), hour=0)
    meeting(network, date(2025, 12, 31), hour=22)
    assert sel.network_activity(network, date(2025, 1, 1), date(2025, 12, 31)).meetings == 2
    assert sel.network_activity(network, date(2025, 1, 2), date(2025, 12, 30)).meetings == 0


def test_network_activity_query_count_is_flat(network, django_assert_num_queries):
    for size in (2, 10):
        for _ in range(size):
            event = meeting(network, date(2025, 5, 5))
            RegistrationFactory(event=event, status=Registration.Status.ATTENDED)
        with django_assert_num_queries(2):  # events, places taken
            sel.network_activity(network, date(2025, 1, 1), date(2025, 12, 31))


# --- health_rows ----------------------------------------------------------------------------------------------


def measure_of(org, *, created: date, status=Measure.Status.IN_PROGRESS, update: date | None = None):
    measure = MeasureFactory(roadmap=RoadmapFactory(organisation=org), status=status)
    Measure.objects.filter(pk=measure.pk).update(created_at=at(created))
    if update:
        MeasureUpdateFactory(measure=measure, date=update)
    return measure


def health_of(network, org, sort=""):
    today = timezone.localdate()
    return next(row for row in sel.health_rows(network, today, sort) if row.organisation == org)


def test_health_six_months_rule_at_its_edge(network):
    org = member(network)
    today = timezone.localdate()
    cutoff = stale_cutoff(today)
    measure_of(org, created=cutoff - timedelta(days=400), update=cutoff)  # on the edge: not stale
    measure_of(org, created=cutoff - timedelta(days=400), update=cutoff - timedelta(days=1))  # stale
    measure_of(org, created=cutoff)  # new, no report yet: not stale
    measure_of(org, created=cutoff - timedelta(days=1))  # no report for too long: stale
    measure_of(org, created=cutoff - timedelta(days=400), status=Measure.Status.COMPLETED)  # not active
    measure_of(org, created=cutoff - timedelta(days=400), status=Measure.Status.DROPPED)
    assert health_of(network, org).stale_measures == 2


def test_health_overdue_indicators(network):
    org = member(network)
    today = timezone.localdate()
    roadmap = RoadmapFactory(organisation=org)
    IndicatorFactory(roadmap=roadmap, next_due=today - timedelta(days=1))
    IndicatorFactory(roadmap=roadmap, next_due=today)  # due today: not yet overdue
    IndicatorFactory(roadmap=roadmap, next_due=None)
    IndicatorFactory(next_due=today - timedelta(days=30))  # another organisation's
    assert health_of(network, org).overdue_indicators == 1


def test_health_last_update_is_the_latest_of_all_sources(network):
    org = member(network)
    assert health_of(network, org).last_update is None
    measure = measure_of(org, created=date(2024, 1, 1))
    Measure.objects.filter(pk=measure.pk).update(updated_at=at(date(2024, 1, 1)))
    assert health_of(network, org).last_update == date(2024, 1, 1)
    MeasureUpdateFactory(measure=measure, date=date(2024, 5, 1))
    assert health_of(network, org).last_update == date(2024, 5, 1)
    value = IndicatorValueFactory(indicator=IndicatorFactory(roadmap=RoadmapFactory(organisation=org)))
    IndicatorValue.objects.filter(pk=value.pk).update(updated_at=at(date(2024, 8, 1)))
    assert health_of(network, org).last_update == date(2024, 8, 1)
    HeatPlanningFactory(organisation=org)  # saved now
    assert health_of(network, org).last_update == timezone.localdate()


def test_health_attendance_counts_events_of_the_last_twelve_months(network):
    org, other = member(network, name="A"), member(network, name="B")
    anna, bert = PersonFactory(organisation=org), PersonFactory(organisation=org)
    today = timezone.localdate()
    attended = meeting(network, today - timedelta(days=30))
    RegistrationFactory(event=attended, person=anna, status=Registration.Status.ATTENDED)
    RegistrationFactory(event=attended, person=bert, status=Registration.Status.ATTENDED)  # one event, counted once
    no_show = meeting(network, today - timedelta(days=60))  # attendance taken, org's person did not come
    RegistrationFactory(event=no_show, person=anna, status=Registration.Status.REGISTERED)
    RegistrationFactory(event=no_show, status=Registration.Status.ATTENDED)
    registered = meeting(network, today - timedelta(days=90))  # no attendance taken: registration counts
    RegistrationFactory(event=registered, person=bert, status=Registration.Status.REGISTERED)
    cancelled_reg = meeting(network, today - timedelta(days=100))
    RegistrationFactory(event=cancelled_reg, person=anna, status=Registration.Status.CANCELLED)
    old = meeting(network, today - timedelta(days=400))  # too long ago
    RegistrationFactory(event=old, person=anna, status=Registration.Status.ATTENDED)
    future = EventFactory(network=network, starts_at=in_days(10))  # not yet
    RegistrationFactory(event=future, person=anna)
    meeting(network, today - timedelta(days=5), status=Event.Status.CANCELLED)  # not counted at all
    other_network_event = meeting(NetworkFactory(), today - timedelta(days=10))
    RegistrationFactory(event=other_network_event, person=anna, status=Registration.Status.ATTENDED)

    row = health_of(network, org)
    assert (row.events_attended, row.events_total) == (2, 4)
    assert health_of(network, other).events_attended == 0


def test_health_open_action_items_of_this_network_only(network):
    org = member(network)
    person = PersonFactory(organisation=org)
    event = meeting(network, date(2025, 1, 30))
    OutcomeFactory(event=event, owner_person=person)
    OutcomeFactory(event=event, owner_person=None, owner_organisation=org)
    OutcomeFactory(event=event, owner_person=person, status=Outcome.Status.DONE)
    OutcomeFactory(event=event)  # someone else's
    OutcomeFactory(event=meeting(NetworkFactory(), date(2025, 1, 30)), owner_person=person)  # another network
    assert health_of(network, org).open_action_items == 2


def test_health_sorting(network):
    today = timezone.localdate()
    a = member(network, name="Aachen")
    b = member(network, name="Bonn")
    c = member(network, name="Cochem")
    for _ in range(2):
        IndicatorFactory(roadmap=RoadmapFactory(organisation=b), next_due=today - timedelta(days=1))
    IndicatorFactory(roadmap=RoadmapFactory(organisation=c), next_due=today - timedelta(days=1))
    measure_of(a, created=today - timedelta(days=400))
    OutcomeFactory(event=meeting(network, today - timedelta(days=3)), owner_person=None, owner_organisation=a)

    def order(sort):
        return [row.organisation.name for row in sel.health_rows(network, today, sort)]

    assert order("") == ["Bonn", "Cochem", "Aachen"]  # most overdue first
    assert order("unbekannt") == order("")
    assert order("name") == ["Aachen", "Bonn", "Cochem"]
    assert order("-name") == ["Cochem", "Bonn", "Aachen"]
    assert order("-indikatoren") == ["Bonn", "Cochem", "Aachen"]
    assert order("indikatoren") == ["Aachen", "Cochem", "Bonn"]
    assert order("-massnahmen")[0] == "Aachen"
    assert order("-aufgaben")[0] == "Aachen"
    assert order("aktualisierung") == ["Bonn", "Cochem", "Aachen"]  # no data first; Aachen has a measure
    assert order("teilnahme") == ["Aachen", "Bonn", "Cochem"]


def grow_health(network, n):
    today = timezone.localdate()
    for _ in range(n):
        org = member(network)
        person = PersonFactory(organisation=org)
        measure_of(org, created=today - timedelta(days=400), update=today - timedelta(days=300))
        IndicatorValueFactory(indicator=IndicatorFactory(roadmap=RoadmapFactory(organisation=org), next_due=today))
        EmissionBalanceFactory(organisation=org)
        HeatPlanningFactory(organisation=org)
        ClimateStrategyFactory(organisation=org)
        event = meeting(network, today - timedelta(days=20))
        RegistrationFactory(event=event, person=person, status=Registration.Status.ATTENDED)
        OutcomeFactory(event=event, owner_person=person)


def test_health_rows_query_count_is_flat(network, django_assert_num_queries):
    for size in (2, 10):
        grow_health(network, size)
        # members; latest change of values, measures, progress reports, balances, planning, strategy;
        # stale measures; overdue indicators; events; places taken; open action items
        with django_assert_num_queries(12):
            rows = sel.health_rows(network, timezone.localdate(), "")
        assert len(rows) == Organisation.objects.filter(memberships__network=network).count()
