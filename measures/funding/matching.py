"""Matching measures whose funding is open or missing to the programmes that fit them (issue 17 §3).

One rule for every place that shows fits (the editors' dashboard, the roadmap editors' page, the measure's funding
page, the digest, the deadline feed and reminders, the network's Förderradar):

- the measure: funding status "no funding" or "planned" (OPEN_FUNDING), and not completed or dropped;
- the programme: active, and either open for applications at any time (``rolling``) or with a call whose
  deadline is today or later; its *next deadline* is the earliest such call;
- the fit: the programme funds the measure's sector (or every sector), its kind (or every kind; a measure whose
  kind nobody stated fits every kind), and the applicant may apply: the measure's lead organisation, else the
  roadmap's organisation, by kind of organisation, population range and Land. What is unknown about the
  applicant (no population, no Land) does not exclude a programme: the editors check the conditions.

``ProgrammeIndex`` turns the programmes into bit masks once (per sector, per kind of measure, per kind of
applicant × size class × Land), so that matching a measure is three dictionary look-ups and an AND, whatever the
number of programmes; the size classes are the intervals between the programmes' own population limits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import itemgetter

from measures.funding.models import FundingCall, FundingProgramme
from measures.models import Measure
from networks import cache as page_cache
from networks import keyset

OPEN_FUNDING = (Measure.FundingStatus.NONE, Measure.FundingStatus.PLANNED)
CLOSED_STATUSES = (Measure.Status.COMPLETED, Measure.Status.DROPPED)


def open_funding_measures():
    """Measures the radar looks for funding for."""
    return Measure.objects.filter(funding_status__in=OPEN_FUNDING).exclude(status__in=CLOSED_STATUSES)


@dataclass(frozen=True)
class Fit:
    programme: FundingProgramme
    call: FundingCall | None  # the next call (None: a programme without deadlines)

    @property
    def deadline(self) -> date | None:
        return self.call.deadline if self.call else None


@dataclass(frozen=True)
class Applicant:
    kind: str
    population: int | None
    state: str

    @classmethod
    def of(cls, organisation) -> Applicant:
        if organisation is None:
            return cls("", None, "")
        return cls(organisation.kind, organisation.population, organisation.state)


def applicant_of(measure: Measure):
    """The organisation that would apply: the measure's lead organisation, else its roadmap's organisation."""
    return measure.lead_organisation or measure.roadmap.organisation


def kinds_of(measure: Measure) -> tuple[str, ...]:
    """The kinds the editors stated (MeasureFunding, fetched with select_related("funding_kinds")); () if none."""
    try:
        return tuple(measure.funding_kinds.kinds)
    except Measure.funding_kinds.RelatedObjectDoesNotExist:
        return ()


class ProgrammeIndex:
    """The programmes that can be applied for on ``today``, sorted by next deadline (without deadline last), then
    name; bit i of every mask is programme i."""

    def __init__(self, programmes: list[FundingProgramme], next_calls: dict[int, FundingCall]):
        def order(programme):
            call = next_calls.get(programme.pk)
            return (call is None, call.deadline if call else date.max, programme.name)

        self.programmes = sorted(programmes, key=order)
        self.calls = [next_calls.get(p.pk) for p in self.programmes]
        everyone = (1 << len(self.programmes)) - 1
        self.all = everyone
        self._sector: dict[str, int] = {}
        self._kind: dict[str, int] = {}
        self._kinds: dict[tuple, int] = {(): everyone}
        self._applicant: dict[tuple, int] = {}
        limits = set()
        for p in self.programmes:
            if p.population_min is not None:
                limits.add(p.population_min)
            if p.population_max is not None:
                limits.add(p.population_max + 1)
        self._limits = sorted(limits)
        self._open_sector = self._mask(lambda p: not p.sectors)
        self._open_kind = self._mask(lambda p: not p.measure_kinds)
        self._positions: dict[int, int] | None = None
        self.open_calls: list[FundingCall] = []

    @classmethod
    def build(cls, today: date) -> ProgrammeIndex:
        """Two queries: the active programmes, and their calls that are still to come. ``open_calls``: those open
        on ``today`` (opened, deadline not passed), by deadline, for the network's Förderradar."""
        programmes = list(FundingProgramme.objects.active())
        calls = FundingCall.objects.upcoming(today).filter(programme__in=[p.pk for p in programmes])
        next_calls: dict[int, FundingCall] = {}
        by_pk = {p.pk: p for p in programmes}
        upcoming = list(calls.order_by("deadline", "pk"))
        for call in upcoming:
            next_calls.setdefault(call.programme_id, call)
            call.programme = by_pk[call.programme_id]  # the call's programme without another query
        index = cls([p for p in programmes if p.rolling or p.pk in next_calls], next_calls)
        index.open_calls = [call for call in upcoming if call.opens is None or call.opens <= today]
        return index

    def _mask(self, predicate) -> int:
        mask = 0
        for i, programme in enumerate(self.programmes):
            if predicate(programme):
                mask |= 1 << i
        return mask

    def sector_mask(self, sector: str) -> int:
        if sector not in self._sector:
            self._sector[sector] = self._open_sector | self._mask(lambda p: sector in p.sectors)
        return self._sector[sector]

    def kinds_mask(self, kinds: Iterable[str]) -> int:
        key = tuple(sorted(set(kinds)))
        if key not in self._kinds:
            mask = self._open_kind
            for kind in key:
                if kind not in self._kind:
                    self._kind[kind] = self._mask(lambda p, k=kind: k in p.measure_kinds)
                mask |= self._kind[kind]
            self._kinds[key] = mask
        return self._kinds[key]

    def applicant_mask(self, applicant: Applicant) -> int:
        size = None if applicant.population is None else bisect_right(self._limits, applicant.population)
        key = (applicant.kind, size, applicant.state)
        if key not in self._applicant:
            self._applicant[key] = self._mask(lambda p: may_apply(p, applicant))
        return self._applicant[key]

    def mask_for(self, *, sector: str, kinds: Iterable[str], applicant: Applicant) -> int:
        return self.sector_mask(sector) & self.kinds_mask(kinds) & self.applicant_mask(applicant)

    def positions(self, mask: int) -> Iterable[int]:
        """The programmes' positions (bits) in ``mask``, in the index's order."""
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low

    def position_of(self, programme_id: int) -> int | None:
        if self._positions is None:
            self._positions = {programme.pk: i for i, programme in enumerate(self.programmes)}
        return self._positions.get(programme_id)

    def fits(self, mask: int) -> list[Fit]:
        return [Fit(self.programmes[i], self.calls[i]) for i in self.positions(mask)]

    def fits_for(self, measure: Measure) -> list[Fit]:
        applicant = Applicant.of(applicant_of(measure))
        return self.fits(self.mask_for(sector=measure.sector, kinds=kinds_of(measure), applicant=applicant))


INDEX_SCOPE = "funding"  # bumped by every programme and call saved or deleted (apps.ready: networks.cache.watch)
MEASURES_SCOPE = "funding-measures"  # bumped by every measure and its kinds saved or deleted (apps.ready)
INDEX_SECONDS = 3600  # bounds what a bump lost while the cache was unreachable can leave behind


def programme_index(today: date) -> ProgrammeIndex:
    """The index of ``today`` for the pages, the feeds and the reminders: from the cache (no query on a hit; the
    two of ``ProgrammeIndex.build`` on a miss), kept per day under the version of INDEX_SCOPE, so that a changed
    programme or a new call shows at once."""
    key = f"{page_cache.PREFIX}:funding-index:{today.isoformat()}"
    return page_cache.remembered(key, [INDEX_SCOPE], lambda: ProgrammeIndex.build(today), seconds=INDEX_SECONDS)


def may_apply(programme: FundingProgramme, applicant: Applicant) -> bool:
    """The applicant's kind, size and Land are allowed (unknown size or Land: not excluded)."""
    if programme.applicant_kinds and applicant.kind not in programme.applicant_kinds:
        return False
    if programme.states and applicant.state and applicant.state not in programme.states:
        return False
    if applicant.population is not None:
        if programme.population_min is not None and applicant.population < programme.population_min:
            return False
        if programme.population_max is not None and applicant.population > programme.population_max:
            return False
    return True


def with_fits(measures: Iterable[Measure], index: ProgrammeIndex) -> list[Measure]:
    """The measures that have at least one fitting programme, each with ``.fits`` (in deadline order)."""
    out = []
    for measure in measures:
        measure.fits = index.fits_for(measure)
        if measure.fits:
            out.append(measure)
    return out


def candidates(queryset=None):
    """Open-funding measures with what matching needs, in one query."""
    queryset = open_funding_measures() if queryset is None else queryset
    return queryset.select_related("roadmap__organisation", "lead_organisation", "funding_kinds")


def count_all(*, today: date, chunk: int = 5000) -> tuple[int, int, int]:
    """(open-funding measures, those with a fit, fits in all) over the whole database; streams plain values, for
    the benchmark and the operators' numbers."""
    index = ProgrammeIndex.build(today)
    rows = open_funding_measures().values_list(
        "pk",
        "sector",
        "funding_kinds__kinds",
        "lead_organisation__kind",
        "lead_organisation__population",
        "lead_organisation__state",
        "roadmap__organisation__kind",
        "roadmap__organisation__population",
        "roadmap__organisation__state",
    )
    measures = matched = fits = 0
    # pages, not .iterator(): behind PgBouncer (no server-side cursor) that read every row into memory at once
    pages = keyset.pages(rows, chunk, pk_of=itemgetter(0))
    for _pk, sector, kinds, lead_kind, lead_pop, lead_state, kind, population, state in chain.from_iterable(pages):
        if lead_kind is not None:
            kind, population, state = lead_kind, lead_pop, lead_state
        mask = index.mask_for(sector=sector, kinds=kinds or (), applicant=Applicant(kind, population, state))
        measures += 1
        if mask:
            matched += 1
            fits += mask.bit_count()
    return measures, matched, fits
