"""Peer groups, who may see which figure, and the peer statistics (median and quartiles), cached.

A statistic counts only the figures the viewer may see: shared with everyone, or shared with network members
and the viewer is a member of a network the organisation belongs to (staff: every figure shared with members).
It is computed for groups of at least ``MIN_GROUP`` such figures, so that no single organisation can be read
off it. Statistics are kept in the cache under the figure, year, group, the viewer's scope and the generation
of the stored figures (``refresh.generation``): a changed value retires them all at once; the groups are
shared by every organisation in them (``size:21:municipal`` is the same for Troisdorf and its peers).
"""

from __future__ import annotations

import statistics as stats
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from monitoring.comparison.models import Audience, FigureValue
from monitoring.comparison.refresh import generation
from networks import municipal
from networks.access import is_staff
from networks.models import Membership, Network, NetworkRole, Organisation, State

MIN_GROUP = 5
BEST_KEPT = 10  # the best organisations of a group kept with its statistic ("who did better")
CACHE_SECONDS = 24 * 3600
COUNTIES, MUNICIPALITIES = "counties", "municipalities"


@dataclass(frozen=True)
class Viewer:
    """Whose eyes: anonymous and citizens see public figures; members also their networks' members-only ones."""

    networks: tuple[int, ...] = ()
    staff: bool = False

    @property
    def key(self) -> str:
        if self.staff:
            return "staff"
        return "n" + ".".join(map(str, self.networks)) if self.networks else "public"

    def visible(self) -> Q:
        """A Q on FigureValue: the figures this viewer may see in a comparison."""
        public = Q(audience=Audience.PUBLIC)
        if self.staff:
            return Q(audience__gte=Audience.MEMBERS)
        if not self.networks:
            return public
        shared = Membership.objects.current().filter(network__in=self.networks).values("organisation")
        return public | Q(audience=Audience.MEMBERS, organisation__in=shared)

    def sees(self, audience: int, organisation_networks: set[int]) -> bool:
        """The same rule for one figure of an organisation whose networks are known."""
        if audience == Audience.PUBLIC:
            return True
        if audience == Audience.MEMBERS:
            return self.staff or bool(organisation_networks & set(self.networks))
        return False


def viewer_of(user) -> Viewer:
    """One query for a logged-in user: the networks they have a role in."""
    if not user.is_authenticated:
        return Viewer()
    if is_staff(user):
        return Viewer(staff=True)
    networks = NetworkRole.objects.filter(person__user=user).values_list("network_id", flat=True).distinct()
    return Viewer(networks=tuple(sorted(networks)))


@dataclass(frozen=True)
class PeerGroup:
    key: str  # canonical: the same for every organisation in the group
    choice: str  # what the picker submits: size, land, all, network-<slug>
    label: str
    condition: Q  # on FigureValue


def _kind_class(organisation: Organisation) -> tuple[str, Q]:
    """Counties are compared with counties, cities and municipalities with each other."""
    if organisation.kind == Organisation.Kind.COUNTY:
        return COUNTIES, Q(organisation__kind=Organisation.Kind.COUNTY)
    return MUNICIPALITIES, Q(organisation__kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.CITY])


def peer_groups(organisation: Organisation, networks: list[Network]) -> list[PeerGroup]:
    """The groups the viewer can choose for this organisation: size class, Land, each of its networks, all."""
    kind, same_kind = _kind_class(organisation)
    groups = []
    size = organisation.size_class
    if size:
        label = _("same size class: %(class)s") % {"class": municipal.SIZE_CLASS_LABELS[size]}
        condition = same_kind & municipal.size_class_filter(size, prefix="organisation__")
        groups.append(PeerGroup(f"size:{size}:{kind}", "size", label, condition))
    land = organisation.land
    if land:
        prefix = municipal.AGS_PREFIX_OF_LAND[land]
        in_land = Q(organisation__ags__startswith=prefix) | Q(organisation__ags="", organisation__state=land)
        label = _("same federal state: %(land)s") % {"land": State(land).label}
        groups.append(PeerGroup(f"land:{land}:{kind}", "land", label, same_kind & in_land))
    for network in networks:
        members = Membership.objects.current().filter(network=network).values("organisation")
        label = _("same network: %(network)s") % {"network": network.short_name or network.name}
        condition = same_kind & Q(organisation__in=members)
        groups.append(PeerGroup(f"network:{network.pk}:{kind}", f"network-{network.slug}", label, condition))
    all_label = _("all counties") if kind == COUNTIES else _("all municipalities and cities")
    groups.append(PeerGroup(f"all:{kind}", "all", all_label, same_kind))
    return groups


@dataclass
class Statistic:
    n: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    cuts: list[float] = field(default_factory=list)  # the 99 percentiles, for a position in per cent
    best: list[tuple[int, float]] = field(default_factory=list)  # (organisation id, value), best first

    @property
    def enough(self) -> bool:
        return self.n >= MIN_GROUP

    def share_behind(self, value: float, lower_is_better: bool) -> int:
        """Per cent of the group this value does better than (from the percentiles)."""
        if not self.cuts:
            return 0
        if lower_is_better:
            return round(100 * (len(self.cuts) - bisect_right(self.cuts, value)) / len(self.cuts))
        return round(100 * bisect_left(self.cuts, value) / len(self.cuts))


def _statistic(values: list[tuple[int, float]], lower_is_better: bool) -> Statistic:
    """From (organisation id, value) pairs sorted by value."""
    if len(values) < MIN_GROUP:
        return Statistic(n=len(values))
    numbers = [value for _pk, value in values]
    q1, median, q3 = stats.quantiles(numbers, n=4, method="inclusive")
    best = values[:BEST_KEPT] if lower_is_better else values[::-1][:BEST_KEPT]
    return Statistic(len(numbers), q1, median, q3, stats.quantiles(numbers, n=100, method="inclusive"), best)


def _key(*parts) -> str:
    return "comparison:" + ":".join(str(part) for part in parts)


def years_with_values(group: PeerGroup, viewer: Viewer, gen: int) -> dict[tuple[str, int], int]:
    """{(figure, year): number of figures the viewer sees in the group}. One query on a cache miss."""
    key = _key("counts", group.key, viewer.key, gen)
    counts = cache.get(key)
    if counts is None:
        rows = (
            FigureValue.objects.filter(group.condition, viewer.visible())
            .values_list("figure", "year")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {(figure, year): n for figure, year, n in rows}
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def choose_year(figure: str, own_years: list[int], counts: dict[tuple[str, int], int]) -> int:
    """The latest year the organisation has a value and the group enough to compare; else its latest year."""
    for year in sorted(own_years, reverse=True):
        if counts.get((figure, year), 0) >= MIN_GROUP:
            return year
    return max(own_years)


def statistics_for(
    wanted: dict[str, tuple[int, bool]], group: PeerGroup, viewer: Viewer, gen: int
) -> dict[str, Statistic]:
    """{figure: Statistic} for ``wanted`` = {figure: (year, lower is better)}; one query for all misses."""
    keys = {figure: _key("stat", figure, year, group.key, viewer.key, gen) for figure, (year, _low) in wanted.items()}
    found = cache.get_many(list(keys.values()))
    result = {figure: found[key] for figure, key in keys.items() if key in found}
    missing = {figure: wanted[figure] for figure in wanted if figure not in result}
    if missing:
        pairs = Q()
        for figure, (year, _low) in missing.items():
            pairs |= Q(figure=figure, year=year)
        rows = (
            FigureValue.objects.filter(group.condition, viewer.visible())
            .filter(pairs)
            .order_by("figure", "value", "organisation_id")
            .values_list("figure", "organisation_id", "value")
        )
        by_figure: dict[str, list[tuple[int, float]]] = {figure: [] for figure in missing}
        for figure, organisation_id, value in rows:
            by_figure[figure].append((organisation_id, value))
        computed = {figure: _statistic(values, missing[figure][1]) for figure, values in by_figure.items()}
        cache.set_many({keys[figure]: statistic for figure, statistic in computed.items()}, CACHE_SECONDS)
        result |= computed
    return result


def generation_now() -> int:
    return generation()
