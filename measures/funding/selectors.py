"""Reads of the funding radar: the programme list, the fits per person, roadmap and network, deadline feeds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Min, Prefetch, Q

from measures.funding.matching import Applicant, candidates, programme_index, with_fits
from measures.funding.models import FundingCall, FundingProgramme
from measures.models import Measure, Roadmap
from networks.access import coordinates_a_network
from networks.models import Network, Organisation, Person

CLOSING_SOON = timedelta(weeks=6)
DASHBOARD_MEASURES = 8


def can_maintain(user) -> bool:
    """Staff and the coordinators of any network keep the programme database (the library's curators)."""
    return coordinates_a_network(user)


def programme_list(*, today: date, active_only: bool = True):
    """Programmes with their next deadline and their upcoming calls (two queries)."""
    programmes = FundingProgramme.objects.annotate(
        next_deadline=Min("calls__deadline", filter=Q(calls__deadline__gte=today))
    ).prefetch_related(Prefetch("calls", queryset=FundingCall.objects.upcoming(today), to_attr="upcoming_calls"))
    if active_only:
        programmes = programmes.active()
    return programmes.order_by("name")


def person_measures(user):
    """Open-funding measures the person is responsible for or edits (their organisations' roadmaps): the two as
    one UNION of indexed lookups (an OR across the joins read all 200,000 measures of a national portal: 240 ms)."""
    if not user.is_authenticated:
        return Measure.objects.none()
    responsible = Measure.objects.filter(responsible_person__user=user).order_by().values("pk")
    edited = Measure.objects.filter(roadmap__organisation__roles__person__user=user).order_by().values("pk")
    return candidates().filter(pk__in=responsible.union(edited)).order_by("roadmap__title", "code")


def dashboard_fits(user, *, today: date) -> list[Measure]:
    """The person's measures with fitting programmes (three queries: measures, programmes, calls)."""
    measures = list(person_measures(user)[:200])
    if not measures:
        return []
    return with_fits(measures, programme_index(today))


def roadmap_fits(roadmap: Roadmap, *, today: date) -> list[Measure]:
    measures = list(candidates().filter(roadmap=roadmap).order_by("code"))
    if not measures:
        return []
    return with_fits(measures, programme_index(today))


@dataclass
class RadarCall:
    call: FundingCall
    closing_soon: bool
    eligible: list = field(default_factory=list)  # the member organisations that may apply, by name
    fitting: dict = field(default_factory=dict)  # (organisation pk, programme pk) -> its measures the programme fits

    @cached_property
    def organisations(self) -> list:
        """[(organisation, [its measures that fit])]: made only for the calls a page shows."""
        programme = self.call.programme_id
        return [(o, self.fitting.get((o.pk, programme), [])) for o in self.eligible]

    @property
    def with_measures(self) -> list:
        return [(organisation, measures) for organisation, measures in self.organisations if measures]

    @property
    def others(self) -> list:
        """The organisations that may apply but have no open-funding measure it fits."""
        return [organisation for organisation, measures in self.organisations if not measures]


def network_radar(network: Network, *, today: date) -> list[RadarCall]:
    """Calls open now (opened, deadline not passed) of active programmes that fit at least one member organisation
    as an applicant; each with the organisations it fits and their open-funding measures it fits. Two queries (the
    member organisations, their measures) and the programme index of the day (matching.programme_index: the calls
    open today are part of it)."""
    organisations = list(
        Organisation.objects.filter(pk__in=network.memberships.current().values("organisation")).order_by("name")
    )
    if not organisations:
        return []
    index = programme_index(today)  # the fits of measures use the one rule (matching)
    if not index.open_calls:
        return []
    fitting = defaultdict(list)  # (organisation, programme) -> its measures that programme fits
    # other members see published measures of published roadmaps only (a draft's title stays with its editors)
    for measure in candidates().public().filter(roadmap__organisation__in=organisations).order_by("code"):
        for fit in index.fits_for(measure):
            fitting[measure.roadmap.organisation_id, fit.programme.pk].append(measure)
    eligible = defaultdict(list)  # a programme's position in the index -> the organisations that may apply, by name
    for organisation in organisations:
        for position in index.positions(index.applicant_mask(Applicant.of(organisation))):
            eligible[position].append(organisation)
    radar = []
    for call in index.open_calls:
        organisations_of_call = eligible.get(index.position_of(call.programme_id))
        if organisations_of_call:
            closing_soon = call.deadline - today <= CLOSING_SOON
            radar.append(RadarCall(call, closing_soon, eligible=organisations_of_call, fitting=fitting))
    return radar


def feed_calls(*, today: date, person: Person | None = None) -> list[tuple[FundingCall, list[Measure]]]:
    """Calls to come for the deadline feed: all of active programmes, or (for a person) those that fit the
    person's open-funding measures, each with those measures."""
    calls = (
        FundingCall.objects.filter(deadline__gte=today - timedelta(days=30))
        .filter(programme__status=FundingProgramme.Status.ACTIVE)
        .select_related("programme")
        .order_by("deadline", "pk")
    )
    if person is None:
        return [(call, []) for call in calls]
    measures = list(person_measures(person.user))
    if not measures:
        return []
    index = programme_index(today)
    by_programme = defaultdict(list)
    for measure in measures:
        for fit in index.fits_for(measure):
            by_programme[fit.programme.pk].append(measure)
    return [(call, by_programme[call.programme_id]) for call in calls if call.programme_id in by_programme]
