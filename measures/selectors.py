"""Reads for the public roadmap pages: progress counts, the timeline, the latest public progress.

Every function runs a fixed number of queries, however many measures a roadmap has. Only what
citizens may see goes in: published measures (of a roadmap the caller already let through
measures.access) and public progress updates; internal updates never count, not even their percent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from measures.models import Measure, MeasureUpdate, Milestone, Roadmap, Sector
from measures.public import PublicMeasure
from networks.models import Network, Person
from networks.pages import page_of_rows

Status = Measure.Status

# The three parts of the progress bar. Paused and blocked measures have been started, so they count as
# in progress; dropped measures are left out of the shares and named separately.
PROGRESS_GROUPS = {
    "completed": (Status.COMPLETED,),
    "in_progress": (Status.IN_PROGRESS, Status.PAUSED, Status.BLOCKED),
    "not_started": (Status.NOT_STARTED, Status.PLANNED),
}
STATUS_ORDER = (
    Status.NOT_STARTED,
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.PAUSED,
    Status.BLOCKED,
    Status.COMPLETED,
    Status.DROPPED,
)
RECENT_UPDATES = 6
HOME_ROADMAPS = 6
ROADMAP_PAGE_SIZE = 24  # cards in rows of 1, 2 or 3
TIMELINE_MAX_YEARS = 40
STALE_MONTHS = 6  # an active measure without a progress report for this long needs attention


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or that month's last day."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_cutoff(today: date, months: int = STALE_MONTHS) -> date:
    return months_before(today, months)


def stale_measures(measures: QuerySet[Measure], cutoff: date) -> QuerySet[Measure]:
    """Active measures whose last progress report (or, without one, their creation) is before the cutoff.

    The queryset must be annotated with ``last_update=Max("updates__date")``; this is the one rule
    for "no progress report for six months" (editor dashboard, coordinators' health view, reminders).
    """
    return measures.filter(status__in=Measure.ACTIVE).filter(
        Q(last_update__lt=cutoff) | Q(last_update__isnull=True, created_at__date__lt=cutoff)
    )


def _shares(counts: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainder), or all 0 without any count."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [c * 100 / total for c in counts]
    shares = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass
class Progress:
    """How far a roadmap (or one of its sectors) is: measures by part of the progress bar."""

    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    dropped: int = 0
    by_status: Counter = field(default_factory=Counter)

    def add(self, status: str, n: int) -> None:
        self.by_status[status] += n
        if status == Status.DROPPED:
            self.dropped += n
            return
        for part, statuses in PROGRESS_GROUPS.items():
            if status in statuses:
                setattr(self, part, getattr(self, part) + n)

    @property
    def counted(self) -> int:
        """Measures in the shares (all but the dropped ones)."""
        return self.completed + self.in_progress + self.not_started

    @property
    def total(self) -> int:
        return self.counted + self.dropped

    @property
    def shares(self) -> dict[str, int]:
        parts = list(PROGRESS_GROUPS)
        return dict(zip(parts, _shares([getattr(self, p) for p in parts]), strict=True))

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in workflow order, only statuses that occur."""
        return [(s.value, s.label, self.by_status[s]) for s in STATUS_ORDER if self.by_status[s]]


@dataclass
class SectorRow:
    sector: str
    label: str
    progress: Progress


@dataclass
class RoadmapCounts:
    progress: Progress
    sectors: list[SectorRow]


def public_measures(roadmap: Roadmap) -> QuerySet:
    """The roadmap's published measures (the caller has checked the roadmap with measures.access)."""
    return Measure.objects.filter(roadmap=roadmap, published=True)


def with_latest_percent(measures: QuerySet) -> QuerySet:
    """Annotate ``latest_percent``: the percent of the newest public progress update that has one."""
    latest = (
        MeasureUpdate.objects.filter(measure=OuterRef("pk"), public=True, percent__isnull=False)
        .order_by("-date", "-pk")
        .values("percent")[:1]
    )
    return measures.annotate(latest_percent=Subquery(latest, output_field=IntegerField()))


def roadmap_counts(roadmap: Roadmap) -> RoadmapCounts:
    """Published measures by status, overall and per sector (1 query)."""
    rows = public_measures(roadmap).order_by().values("sector", "status").annotate(n=Count("pk"))
    overall = Progress()
    by_sector: dict[str, Progress] = {}
    for row in rows:
        overall.add(row["status"], row["n"])
        by_sector.setdefault(row["sector"], Progress()).add(row["status"], row["n"])
    sectors = [SectorRow(value, label, by_sector[value]) for value, label in Sector.choices if value in by_sector]
    return RoadmapCounts(progress=overall, sectors=sectors)


def _with_status_counts(roadmaps: QuerySet) -> QuerySet:
    published = Q(measures__published=True)
    counts = {
        f"n_{status}": Count("measures", filter=published & Q(measures__status=status)) for status in Status.values
    }
    return roadmaps.select_related("organisation").annotate(**counts)


def roadmaps_for_list(user) -> QuerySet:
    """Published roadmaps, and the unpublished ones the user edits, with their public measures by status (1 query)."""
    return _with_status_counts(roadmaps_visible_to(user))


def roadmaps_visible_to(user) -> QuerySet:
    """Published roadmaps, and the unpublished ones the user edits (no counts: filter, order and page it first)."""
    visible = Q(published=True)
    if user.is_authenticated:
        visible |= Q(pk__in=Roadmap.objects.editable_by(user).values("pk"))
    return Roadmap.objects.filter(visible)


def roadmap_page(request, size: int = ROADMAP_PAGE_SIZE):
    """A page of the roadmaps the viewer may see, by organisation and title, each with ``progress``; the status
    counts for that page's roadmaps only (2 queries: the count, the page's roadmaps with their counts)."""
    visible = roadmaps_visible_to(request.user).order_by("organisation__name", "title", "pk")
    page = page_of_rows(request, visible, _with_status_counts, size)
    for roadmap in page.object_list:
        roadmap.progress = progress_of(roadmap)
    return page


def progress_of(roadmap: Roadmap) -> Progress:
    """The Progress of a roadmap from roadmaps_for_list's annotations (no query)."""
    progress = Progress()
    for status in Status.values:
        progress.add(status, getattr(roadmap, f"n_{status}", 0))
    return progress


def home_roadmaps(user=None, limit: int = HOME_ROADMAPS) -> tuple[list[Roadmap], int]:
    """A few published roadmaps for the home page (those of the viewer's organisation first, then those of the most
    inhabitants, then the newest), each with ``progress``, and how many are published (2 queries: the count, and the
    chosen roadmaps with the status counts of these roadmaps only: nothing grows with the portal's 5,000 roadmaps
    and 200,000 measures)."""
    published = Roadmap.objects.published()
    order = [F("organisation__population").desc(nulls_last=True), "-created_at", "-pk"]
    chosen = published
    if user is not None and user.is_authenticated:
        theirs = Q(organisation__in=Person.objects.filter(user=user).values("organisation"))
        chosen = chosen.alias(near_rank=Case(When(theirs, then=Value(0)), default=Value(1)))
        order = ["near_rank", *order]
    chosen = chosen.order_by(*order)
    roadmaps = list(_with_status_counts(chosen.filter(pk__in=chosen.values("pk")[:limit])))
    for roadmap in roadmaps:
        roadmap.progress = progress_of(roadmap)
    return roadmaps, published.count()


@dataclass
class PublicUpdate:
    """A public progress update as public pages show it: no author, the measure only as PublicMeasure."""

    date: date
    text: str
    percent: int | None
    measure: PublicMeasure | None = None


def _public_update(update: MeasureUpdate, *, with_measure: bool) -> PublicUpdate:
    measure = PublicMeasure(update.measure) if with_measure else None
    return PublicUpdate(date=update.date, text=update.text, percent=update.percent, measure=measure)


def recent_updates(roadmap: Roadmap, limit: int = RECENT_UPDATES) -> list[PublicUpdate]:
    """The newest public progress updates of the roadmap's published measures (1 query)."""
    updates = (
        MeasureUpdate.objects.filter(public=True, measure__roadmap=roadmap, measure__published=True)
        .select_related("measure__roadmap")
        .order_by("-date", "-pk")[:limit]
    )
    return [_public_update(u, with_measure=True) for u in updates]


def measure_updates(measure: Measure) -> list[PublicUpdate]:
    """A measure's public progress updates, newest first (1 query)."""
    return [_public_update(u, with_measure=False) for u in measure.updates.filter(public=True).order_by("-date", "-pk")]


@dataclass
class TimelineYear:
    year: int
    starting: int = 0
    ending: int = 0
    milestones_due: int = 0
    milestones_done: int = 0
    is_current: bool = False
    is_target: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.starting or self.ending or self.milestones_due)


def roadmap_timeline(roadmap: Roadmap, today: date | None = None) -> list[TimelineYear]:
    """Per year up to the target year: published measures starting and ending, milestones due and reached (2 queries).

    Years without anything in them are kept between the first and the last one, so the row of years reads
    like a time axis; the current and the target year are always in it. Empty when nothing is dated.
    """
    today = today or timezone.localdate()
    measures = public_measures(roadmap).order_by()
    spans = measures.values(s=ExtractYear("start"), e=ExtractYear("end")).annotate(n=Count("pk"))
    milestones = (
        Milestone.objects.filter(measure__in=measures)
        .order_by()
        .values(y=ExtractYear("due_date"))
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(done_date__isnull=False)))
    )
    years: dict[int, TimelineYear] = {}

    def year(y: int) -> TimelineYear:
        return years.setdefault(y, TimelineYear(year=y))

    for row in spans:
        if row["s"]:
            year(row["s"]).starting += row["n"]
        if row["e"]:
            year(row["e"]).ending += row["n"]
    for row in milestones:
        year(row["y"]).milestones_due += row["n"]
        year(row["y"]).milestones_done += row["done"]
    if not years:
        return []  # nothing dated yet: no time axis of empty years
    year(today.year).is_current = True
    year(roadmap.target_year).is_target = True
    first, last = min(years), max(years)
    first = max(first, last - TIMELINE_MAX_YEARS + 1)
    return [years.get(y) or TimelineYear(year=y) for y in range(first, last + 1)]


# --- The measure page (issue 16) ----------------------------------------------------------------------

RELATED_MEASURES = 4


@dataclass
class Neighbours:
    """The measures before and after one in the roadmap's list (its default order: code, then pk)."""

    previous: Measure | None = None
    next: Measure | None = None


def neighbours(measure: Measure) -> Neighbours:
    """The published measures right before and after ``measure`` in the list's order (2 queries).

    The list sorts by code (measures.filters.DEFAULT_SORT) with the primary key breaking ties; an unpublished
    measure an editor previews gets the neighbours it will have once published."""
    others = public_measures(measure.roadmap).exclude(pk=measure.pk).only("pk", "code", "slug", "title", "roadmap")
    before = Q(code__lt=measure.code) | Q(code=measure.code, pk__lt=measure.pk)
    after = Q(code__gt=measure.code) | Q(code=measure.code, pk__gt=measure.pk)
    previous = others.filter(before).order_by("-code", "-pk").first()
    following = others.filter(after).order_by("code", "pk").first()
    for row in (previous, following):
        if row is not None:
            row.roadmap = measure.roadmap  # for its URL, without fetching the roadmap again
    return Neighbours(previous=previous, next=following)


def last_changed(measure: Measure):
    """When the measure last changed as readers see it: its own row, a public progress report (written or edited
    in its history) or a milestone (added, changed, reached or removed). One query."""
    history_model = Milestone.history.model
    update_history = MeasureUpdate.history.model
    milestone = history_model.objects.filter(measure_id=OuterRef("pk")).order_by().values("measure_id")
    milestone = milestone.annotate(last=Max("history_date")).values("last")
    report = update_history.objects.filter(measure_id=OuterRef("pk"), public=True).order_by().values("measure_id")
    report = report.annotate(last=Max("history_date")).values("last")
    row = (
        Measure.objects.filter(pk=measure.pk)
        .annotate(milestone=Subquery(milestone[:1]), report=Subquery(report[:1]))
        .values("updated_at", "milestone", "report")
        .first()
    )
    if row is None:
        return measure.updated_at
    return max(value for value in row.values() if value is not None)


def related_measures(measure: Measure, limit: int = RELATED_MEASURES) -> list[PublicMeasure]:
    """A handful of published measures of the same roadmap and sector, the active ones first (1 query)."""
    rank = Case(When(status__in=Measure.ACTIVE, then=Value(0)), default=Value(1))
    rows = list(
        public_measures(measure.roadmap)
        .filter(sector=measure.sector)
        .exclude(pk=measure.pk)
        .exclude(status=Status.DROPPED)
        .annotate(rank=rank)
        .order_by("rank", "code", "pk")[:limit]
    )
    for row in rows:
        row.roadmap = measure.roadmap
    return [PublicMeasure(row) for row in rows]


# --- The gap to the target (roadmap overview) -----------------------------------------------------------


@dataclass
class EffectTotals:
    """The expected yearly greenhouse-gas reduction of a roadmap's published measures, with the range.

    ``expected`` sums the measures' expected effects; ``low`` and ``high`` the ends of their ranges, a measure
    without a range counting with its expected value at both ends (and one with only a range with the end it
    has, its expected value then being the middle). Dropped measures and measures whose effect is internal are
    left out; ``counted`` says how many measures have a public estimate, ``without`` how many have none."""

    expected: Decimal = Decimal(0)
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)
    counted: int = 0
    without: int = 0

    @property
    def has_range(self) -> bool:
        return self.low != self.high


def effect_totals(roadmap: Roadmap) -> EffectTotals:
    """One query over the published measures' effect fields (values only, never whole rows)."""
    rows = (
        public_measures(roadmap)
        .exclude(status=Status.DROPPED)
        .order_by()
        .values_list("effect_expected", "effect_low", "effect_high", "internal_fields")
    )
    totals = EffectTotals()
    for expected, low, high, internal in rows:
        if "effect" in (internal or []) or (expected is None and low is None and high is None):
            totals.without += 1
            continue
        if expected is None:
            expected = (low + high) / 2 if low is not None and high is not None else (low if low is not None else high)
        totals.expected += expected
        totals.low += low if low is not None else expected
        totals.high += high if high is not None else expected
        totals.counted += 1
    return totals


def roadmap_networks(roadmap: Roadmap) -> list:
    """The public networks the roadmap's organisation hosts (the network that carries the roadmap), 1 query."""
    return list(Network.objects.filter(host_id=roadmap.organisation_id, is_public=True).order_by("name"))


def network_roadmaps(network) -> list[Roadmap]:
    """The published roadmaps of the organisation that hosts ``network`` (1 query)."""
    return list(Roadmap.objects.published().filter(organisation_id=network.host_id).order_by("title"))
