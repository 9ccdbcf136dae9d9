"""Reads of a network's monitoring: the board (heat planning, target years, comparison), its activity, its health.

Every function runs a fixed number of queries however many member organisations, measures, values or
events there are: rows are fetched in bulk (joins, prefetches, grouped aggregates) and put together in Python.
The rules stay where they live: the heat-planning deadline on the model (``legal_deadline``), "no progress
report for six months" in ``measures.selectors``, per-inhabitant figures and indicator series in
``monitoring.selectors``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from events.models import Event, Outcome, Registration
from measures.models import Measure, MeasureUpdate
from measures.selectors import months_before, stale_cutoff, stale_measures
from monitoring.models import ClimateStrategy, EmissionBalance, HeatPlanning, Indicator, IndicatorValue, Stage
from monitoring.selectors import balances_by_year, indicator_series, per_inhabitant
from networks.models import Membership, Network, Organisation

PER_INHABITANTS = 1_000  # indicators compared per inhabitant are shown per 1,000 inhabitants
ATTENDANCE_MONTHS = 12
LAST_STAGE = int(Stage.ADOPTED)


def member_organisations(network: Network, on: date | None = None) -> QuerySet[Organisation]:
    """The organisations that are members of the network on the day (today by default)."""
    current = Membership.objects.current(on).filter(network=network).values("organisation")
    return Organisation.objects.filter(pk__in=current).order_by("name")


def _public_bodies(network: Network, on: date | None = None) -> QuerySet[Organisation]:
    return member_organisations(network, on).filter(kind__in=Organisation.PUBLIC_BODIES)


# --- The board: heat planning and target years ---------------------------------------------------------------


@dataclass
class BoardRow:
    """One member municipality on the board."""

    organisation: Organisation
    planning: HeatPlanning | None
    stage: int
    stage_label: str
    deadline: date | None  # None: not obliged by the heat-planning law (a county)
    days_left: int | None
    overdue: bool
    done: bool
    convoy: list[str]  # names of the municipalities planning together with this one
    office: str
    council_decision_on: date | None
    update_due: date | None
    strategy: ClimateStrategy | None
    neutrality_year: int | None
    is_demo: bool
    stage_reached_on: date | None = None
    obliged: bool = True

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0) if self.days_left is not None else 0

    @property
    def last_stage(self) -> int:
        """For "stage 4 of 8"."""
        return LAST_STAGE


def _related(organisation: Organisation, name: str):
    """A reverse one-to-one that select_related fetched, or None."""
    try:
        return getattr(organisation, name)
    except (HeatPlanning.DoesNotExist, ClimateStrategy.DoesNotExist):
        return None


def stage_on(planning: HeatPlanning, day: date) -> int:
    """The stage the planning had reached on ``day`` (uses prefetched steps): its stage, unless a stage up to it
    was reached after the day; then the highest stage dated on or before the day below that one."""
    steps = planning.steps.all()
    later = [step.stage for step in steps if step.reached_on > day]
    if not later:
        return planning.stage
    first_later = min(later)
    return max((s.stage for s in steps if s.reached_on <= day and s.stage < first_later), default=Stage.NOT_STARTED)


def board_row(organisation: Organisation, today: date) -> BoardRow:
    """The organisation's row as of ``today`` (a report passes the end of its period: the stage of that day)."""
    planning = _related(organisation, "heat_planning")
    strategy = _related(organisation, "climate_strategy")
    stage = stage_on(planning, today) if planning else Stage.NOT_STARTED
    # An unsaved row with the stage of the day applies the deadline rules (also without a planning row).
    rules = HeatPlanning(organisation=organisation, stage=stage)
    council = planning.council_decision_on if planning else None
    return BoardRow(
        organisation=organisation,
        planning=planning,
        stage=stage,
        stage_label=rules.get_stage_display(),
        deadline=rules.deadline,
        days_left=rules.days_left(today),
        overdue=rules.is_overdue(today),
        done=rules.is_done,
        convoy=[o.display_name for o in planning.convoy.all()] if planning else [],
        office=planning.office if planning else "",
        council_decision_on=council if council and council <= today else None,
        update_due=planning.update_due if planning and rules.is_done else None,
        strategy=strategy,
        neutrality_year=strategy.neutrality_year if strategy else None,
        is_demo=bool((planning and planning.is_demo) or (strategy and strategy.is_demo)),
        stage_reached_on=planning.reached_on(stage) if planning else None,
        obliged=rules.obliged,
    )


def board_rows(network: Network, today: date) -> list[BoardRow]:
    """One row per current member public body, by name. Three queries: members with their planning and
    strategy, the stages reached, the convoy partners."""
    organisations = (
        _public_bodies(network, today)
        .select_related("heat_planning", "climate_strategy")
        .prefetch_related(
            Prefetch("heat_planning__steps"),
            Prefetch("heat_planning__convoy", queryset=Organisation.objects.order_by("name")),
        )
    )
    return [board_row(organisation, today) for organisation in organisations]


# --- The board: comparison between municipalities --------------------------------------------------------------


@dataclass
class EmissionsCell:
    organisation: Organisation
    year: int | None = None
    total: Decimal | None = None  # t CO2e
    per_inhabitant: Decimal | None = None  # t CO2e per inhabitant


@dataclass
class IndicatorCell:
    organisation: Organisation
    indicator: Indicator | None = None
    year: int | None = None
    value: Decimal | None = None  # per 1,000 inhabitants when the indicator is compared per inhabitant


@dataclass
class IndicatorComparison:
    """One comparison key (Indicator.code) used by at least two members, with a cell per municipality."""

    code: str
    name: str
    unit: str
    per_inhabitant: bool
    cells: list[IndicatorCell] = field(default_factory=list)


@dataclass
class Comparison:
    organisations: list[Organisation]
    emissions: list[EmissionsCell]
    indicators: list[IndicatorComparison]
    per: int = PER_INHABITANTS

    @property
    def has_emissions(self) -> bool:
        return any(cell.total is not None for cell in self.emissions)


def _shared(organisations: list[Organisation], network: Network, viewer) -> Callable[[int, str], bool]:
    """Whether an organisation shares a figure (monitoring.comparison's keys) with the viewer: its opt-in for the
    comparison, per organisation and per figure (the same rule as the comparison page). Every organisation here is
    a member of ``network``, so "members of our networks" includes the viewer when they have a role in it. Two
    queries."""
    from monitoring.comparison.refresh import audiences, shared_with

    consents = audiences([organisation.pk for organisation in organisations])
    networks = {network.pk}
    return lambda organisation_id, figure: viewer.sees(shared_with(consents[organisation_id], figure), networks)


def _latest_emissions(organisations: list[Organisation], shared: Callable[[int, str], bool]) -> list[EmissionsCell]:
    """The latest balance year's total per organisation (monitoring.selectors.balances_by_year: one rule); none for
    an organisation that does not share its total."""
    balances = balances_by_year(organisations)
    cells = []
    for organisation in organisations:
        by_year = balances.get(organisation.pk) if shared(organisation.pk, "ghg-total") else None
        year = max(by_year) if by_year else None
        total = sum(by_year[year].values(), Decimal(0)) if by_year else None
        cells.append(EmissionsCell(organisation, year, total, per_inhabitant(total, organisation.population)))
    return cells


def _latest_measured(series) -> tuple[int, Decimal] | None:
    """The latest measured value of a series (estimates are left out of the comparison)."""
    years = [year for year in series.measured if year not in series.estimated]
    if not years:
        return None
    year = max(years)
    return year, series.measured[year]


def _indicator_comparisons(
    organisations: list[Organisation], shared: Callable[[int, str], bool], *, public_only: bool
) -> list[IndicatorComparison]:
    """Two queries: the members' indicators with a comparison key (those their organisations share), and their
    values."""
    from monitoring.comparison.figures import INDICATOR_PREFIX

    indicators = Indicator.objects.filter(organisation__in=organisations).exclude(code="")
    if public_only:
        indicators = indicators.public()
    indicators = list(indicators.order_by("code", "organisation", "order", "name"))
    by_code: dict[str, dict[int, Indicator]] = defaultdict(dict)
    for indicator in indicators:
        if shared(indicator.organisation_id, INDICATOR_PREFIX + indicator.code):
            by_code[indicator.code].setdefault(indicator.organisation_id, indicator)  # the first per organisation
    shared = {code: by_org for code, by_org in by_code.items() if len(by_org) >= 2}
    series = {s.indicator.pk: s for s in indicator_series([i for by_org in shared.values() for i in by_org.values()])}
    comparisons = []
    for code, by_org in sorted(shared.items()):
        first = next(iter(by_org.values()))
        comparison = IndicatorComparison(code, first.name, first.unit, first.per_inhabitant)
        for organisation in organisations:
            indicator = by_org.get(organisation.pk)
            cell = IndicatorCell(organisation, indicator)
            latest = _latest_measured(series[indicator.pk]) if indicator else None
            if latest:
                cell.year, cell.value = latest
                if indicator.per_inhabitant:
                    cell.value = per_inhabitant(cell.value, organisation.population, PER_INHABITANTS)
            comparison.cells.append(cell)
        comparisons.append(comparison)
    return comparisons


def comparison(network: Network, today: date, *, viewer=None, public_only: bool = True) -> Comparison:
    """The member municipalities compared: GHG per inhabitant and the indicators two or more share, each only where
    the municipality shares the figure with ``viewer`` (monitoring.comparison.statistics.Viewer; None: a visitor)
    by its opt-in for the comparison with similar municipalities (issue 17 §2: per organisation and per figure).

    Six queries. ``public_only`` leaves out indicators not shown to the public (the board may be public).
    """
    from monitoring.comparison.statistics import Viewer

    organisations = list(_public_bodies(network, today))
    shared = _shared(organisations, network, viewer or Viewer())
    return Comparison(
        organisations=organisations,
        emissions=_latest_emissions(organisations, shared),
        indicators=_indicator_comparisons(organisations, shared, public_only=public_only),
    )


# --- Participation in the network's events ---------------------------------------------------------------------


@dataclass
class Participation:
    """Who took part in events: the attendance where it was taken, the registrations otherwise."""

    people: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # event -> persons
    organisations: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # event -> organisations

    @classmethod
    def of(cls, events: list[Event]) -> Participation:
        """One query: the places taken in the events."""
        rows = Registration.objects.filter(event__in=events, status__in=Registration.TAKES_A_PLACE).values_list(
            "event_id", "person_id", "person__organisation_id", "status"
        )
        attended = defaultdict(list)
        registered = defaultdict(list)
        for event_id, person_id, organisation_id, status in rows:
            target = attended if status == Registration.Status.ATTENDED else registered
            target[event_id].append((person_id, organisation_id))
        participation = cls()
        for event in events:
            for person_id, organisation_id in attended.get(event.pk) or registered.get(event.pk, []):
                participation.people[event.pk].add(person_id)
                if organisation_id:
                    participation.organisations[event.pk].add(organisation_id)
        return participation


def _events_between(network: Network, start: date, end: date) -> QuerySet[Event]:
    return (
        Event.objects.filter(network=network, starts_at__date__gte=start, starts_at__date__lte=end)
        .active()
        .order_by("starts_at", "pk")
    )


@dataclass
class ActivityEvent:
    event: Event
    title: str
    starts_at: datetime
    kind_label: str
    participants: int
    organisations: int


@dataclass
class Activity:
    start: date
    end: date
    events: list[ActivityEvent]
    meetings: int
    participants: int  # distinct people over all events
    organisations: int  # distinct organisations over all events


def network_activity(network: Network, start: date, end: date) -> Activity:
    """The network's events in the period (not cancelled) with their participants. Two queries."""
    events = list(_events_between(network, start, end))
    participation = Participation.of(events)
    rows = [
        ActivityEvent(
            event=event,
            title=event.title,
            starts_at=event.starts_at,
            kind_label=event.get_kind_display(),
            participants=len(participation.people[event.pk]),
            organisations=len(participation.organisations[event.pk]),
        )
        for event in events
    ]
    return Activity(
        start=start,
        end=end,
        events=rows,
        meetings=len(events),
        participants=len(set().union(*participation.people.values())),
        organisations=len(set().union(*participation.organisations.values())),
    )


# --- The coordinators' health view ------------------------------------------------------------------------------


@dataclass
class HealthRow:
    organisation: Organisation
    last_update: date | None
    stale_measures: int
    overdue_indicators: int
    events_attended: int
    events_total: int
    open_action_items: int

    @property
    def attendance(self) -> float | None:
        return self.events_attended / self.events_total if self.events_total else None


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def _last_updates(organisations: QuerySet[Organisation]) -> dict[int, date]:
    """The latest change of each organisation's monitoring data: six grouped queries."""
    latest: dict[int, date] = {}

    def take(rows) -> None:
        for organisation_id, value in rows:
            day = _as_date(value)
            if organisation_id and day and (organisation_id not in latest or day > latest[organisation_id]):
                latest[organisation_id] = day

    def grouped(queryset, by: str, field_name: str):
        return queryset.values(by).annotate(last=Max(field_name)).order_by().values_list(by, "last")

    take(
        grouped(
            IndicatorValue.objects.filter(indicator__organisation__in=organisations),
            "indicator__organisation",
            "updated_at",
        )
    )
    take(
        grouped(Measure.objects.filter(roadmap__organisation__in=organisations), "roadmap__organisation", "updated_at")
    )
    take(
        grouped(
            MeasureUpdate.objects.filter(measure__roadmap__organisation__in=organisations),
            "measure__roadmap__organisation",
            "date",
        )
    )
    take(grouped(EmissionBalance.objects.filter(organisation__in=organisations), "organisation", "updated_at"))
    take(HeatPlanning.objects.filter(organisation__in=organisations).values_list("organisation", "updated_at"))
    take(ClimateStrategy.objects.filter(organisation__in=organisations).values_list("organisation", "updated_at"))
    return latest


def stale_measures_of(organisations, today: date) -> QuerySet[Measure]:
    """Active measures of the organisations' roadmaps without a progress report for six months."""
    measures = Measure.objects.filter(roadmap__organisation__in=organisations).annotate(
        last_update=Max("updates__date")
    )
    return stale_measures(measures, stale_cutoff(today))


def attendance_events(network: Network, today: date) -> QuerySet[Event]:
    """The network's events of the last twelve months up to today (not cancelled)."""
    return _events_between(network, months_before(today, ATTENDANCE_MONTHS), today).filter(
        starts_at__lte=timezone.now()
    )


def open_action_items(network: Network, organisations) -> QuerySet[Outcome]:
    """Open action items of the network's events owned by the organisations or by a person of them."""
    return (
        Outcome.objects.open()
        .filter(network=network)
        .filter(Q(owner_organisation__in=organisations) | Q(owner_person__organisation__in=organisations))
    )


# Sort keys of the health view (?sortierung=key, "-key" descending) and what they sort by, ascending.
HEALTH_SORTS = {
    "name": lambda row: row.organisation.name.casefold(),
    "aktualisierung": lambda row: row.last_update or date.min,
    "massnahmen": lambda row: row.stale_measures,
    "indikatoren": lambda row: row.overdue_indicators,
    "teilnahme": lambda row: row.attendance if row.attendance is not None else -1,
    "aufgaben": lambda row: row.open_action_items,
}
# Clicking a column sorts the worst first: the oldest update, the lowest attendance, the highest counts.
HEALTH_WORST_FIRST = {
    "name": "name",
    "aktualisierung": "aktualisierung",
    "massnahmen": "-massnahmen",
    "indikatoren": "-indikatoren",
    "teilnahme": "teilnahme",
    "aufgaben": "-aufgaben",
}
HEALTH_DEFAULT_SORT = ""


def _worst_first(row: HealthRow) -> tuple:
    """The default order: most overdue indicators, then stale measures, open action items, oldest update."""
    return (
        -row.overdue_indicators,
        -row.stale_measures,
        -row.open_action_items,
        row.last_update or date.min,
        row.organisation.name.casefold(),
    )


def health_sort(sort: str) -> str:
    """A known sort key (with its sign) or the default ("")."""
    return sort if sort.lstrip("-") in HEALTH_SORTS else HEALTH_DEFAULT_SORT


def sort_health_rows(rows: list[HealthRow], sort: str) -> list[HealthRow]:
    sort = health_sort(sort)
    if not sort:
        return sorted(rows, key=_worst_first)
    key = HEALTH_SORTS[sort.lstrip("-")]
    by_name = sorted(rows, key=HEALTH_SORTS["name"])  # ties stay in name order
    return sorted(by_name, key=key, reverse=sort.startswith("-"))


def health_rows(network: Network, today: date, sort: str = HEALTH_DEFAULT_SORT) -> list[HealthRow]:
    """Per current member organisation: how current its data is and how it takes part. Twelve queries."""
    organisations = list(member_organisations(network, today))
    members = member_organisations(network, today)  # as a subquery in the aggregates below
    last = _last_updates(members)
    stale = Counter(stale_measures_of(members, today).values_list("roadmap__organisation", flat=True))
    overdue = Counter(
        Indicator.objects.overdue(today).filter(organisation__in=members).values_list("organisation", flat=True)
    )
    events = list(attendance_events(network, today))
    participation = Participation.of(events)
    attended = Counter(org for orgs in participation.organisations.values() for org in orgs)
    items = Counter()
    for owner_org, person_org in open_action_items(network, members).values_list(
        "owner_organisation", "owner_person__organisation"
    ):
        items[owner_org or person_org] += 1
    rows = [
        HealthRow(
            organisation=organisation,
            last_update=last.get(organisation.pk),
            stale_measures=stale[organisation.pk],
            overdue_indicators=overdue[organisation.pk],
            events_attended=attended[organisation.pk],
            events_total=len(events),
            open_action_items=items[organisation.pk],
        )
        for organisation in organisations
    ]
    return sort_health_rows(rows, sort)


@dataclass
class EventAttendance:
    """An event of the last twelve months and who of one organisation took part (by the same rule as the count)."""

    event: Event
    people: list  # Person
    attendance_taken: bool


def attendance_of(network: Network, organisation: Organisation, today: date) -> list[EventAttendance]:
    """The network's events of the last twelve months, newest first, with the organisation's participants.

    Two queries: the events (with whether attendance was taken), the places the organisation's people took.
    """
    events = list(
        attendance_events(network, today)
        .annotate(attended=Count("registrations", filter=Q(registrations__status=Registration.Status.ATTENDED)))
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(
                    person__organisation=organisation, status__in=Registration.TAKES_A_PLACE
                )
                .select_related("person")
                .order_by("person__name"),
                to_attr="places",
            )
        )
        .order_by("-starts_at", "-pk")
    )
    rows = []
    for event in events:
        taken = event.attended > 0
        wanted = Registration.Status.ATTENDED if taken else Registration.Status.REGISTERED
        rows.append(EventAttendance(event, [r.person for r in event.places if r.status == wanted], taken))
    return rows
