"""The comparison page of an organisation: its figures beside the chosen peer group, in words and as charts.

A fixed number of queries however many organisations, values and measures there are (statistics come from the
cache, or from one query per step on a miss: ``statistics``).
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from measures.models import Measure
from monitoring.charts import BAR, Chart, Series
from monitoring.comparison import figures as catalogue
from monitoring.comparison.figures import CURRENT, INDICATOR_PREFIX, Figure
from monitoring.comparison.models import FigureValue
from monitoring.comparison.refresh import generation
from monitoring.comparison.statistics import (
    MIN_GROUP,
    PeerGroup,
    Statistic,
    Viewer,
    choose_year,
    peer_groups,
    statistics_for,
    viewer_of,
    years_with_values,
)
from monitoring.models import BiskoSector, Indicator
from networks import municipal
from networks.access import is_editor
from networks.models import Membership, Network, Organisation, State

BETTER_SHOWN = 3  # organisations that did better, per figure
MEASURES_SHOWN = 3  # of their public measures, per organisation and figure
BEHIND = 3  # who did better is shown where the organisation is behind the median (third and weakest quarter)


@dataclass
class BetterPeer:
    organisation: Organisation
    value: float
    measures: list[Measure] = field(default_factory=list)
    entries: list = field(default_factory=list)  # measure-library entries it adopted (measures.catalogue)


@dataclass
class Row:
    figure: Figure
    year: int
    value: float | None = None  # the organisation's, when the viewer may see it
    hidden: bool = False  # it has a value the viewer may not see
    statistic: Statistic | None = None
    quarter: int | None = None  # 1 = the best quarter ... 4 = the weakest
    share_behind: int | None = None
    better: list[BetterPeer] = field(default_factory=list)

    @property
    def position(self) -> str:
        if self.quarter is not None and self.value == self.statistic.median:
            return _("on the median of comparable municipalities")
        return position_words(self.quarter)

    @property
    def has_statistic(self) -> bool:
        return self.statistic is not None and self.statistic.enough


def position_words(quarter: int | None) -> str:
    return {
        1: _("in the best quarter of comparable municipalities"),
        2: _("in the second quarter: better than the median of comparable municipalities"),
        3: _("in the third quarter: behind the median of comparable municipalities"),
        4: _("in the weakest quarter of comparable municipalities"),
    }.get(quarter, "")


def quarter_of(value: float, statistic: Statistic, lower_is_better: bool) -> int:
    """1 for the best quarter ... 4 for the weakest, from the quartiles (the direction says which end is best)."""
    bounds = (statistic.q1, statistic.median, statistic.q3)
    if lower_is_better:
        return next((i + 1 for i, bound in enumerate(bounds) if value <= bound), 4)
    return next((4 - i for i, bound in enumerate(bounds) if value < bound), 1)


def is_better(value: float, than: float, lower_is_better: bool) -> bool:
    return value < than if lower_is_better else value > than


@dataclass
class ComparisonPage:
    organisation: Organisation
    groups: list[PeerGroup]
    group: PeerGroup
    rows: list[Row]
    can_edit: bool
    viewer: Viewer
    min_group: int = MIN_GROUP
    catalogue_available: bool = False

    @property
    def land_label(self) -> str:
        land = self.organisation.land
        return State(land).label if land else ""

    @property
    def size_label(self) -> str:
        return str(municipal.SIZE_CLASS_LABELS.get(self.organisation.size_class, ""))

    @property
    def emission_rows(self) -> list[Row]:
        return [row for row in self.rows if row.figure.group == "emissions"]

    @property
    def indicator_rows(self) -> list[Row]:
        return [row for row in self.rows if row.figure.group == "indicators"]

    @property
    def planning_rows(self) -> list[Row]:
        return [row for row in self.rows if row.figure.group == "planning"]

    @property
    def better_rows(self) -> list[Row]:
        return [row for row in self.rows if row.better]

    @property
    def any_visible(self) -> bool:
        return any(row.value is not None for row in self.rows)

    @property
    def any_statistic(self) -> bool:
        return any(row.has_statistic for row in self.rows)

    @property
    def any_hidden(self) -> bool:
        return any(row.hidden for row in self.rows)


def networks_of(organisation: Organisation) -> list[Network]:
    current = Membership.objects.current().filter(organisation=organisation).values("network")
    return list(Network.objects.filter(pk__in=current).order_by("name"))


def _indicator_figures(organisation: Organisation) -> dict[str, Figure]:
    """Its indicators with a comparison key (the first per key) and the sectors of their linked measures."""
    indicators = (
        Indicator.objects.filter(organisation=organisation)
        .exclude(code="")
        .order_by("code", "order", "name")
        .prefetch_related("measures")
    )
    result: dict[str, Figure] = {}
    for indicator in indicators:
        key = INDICATOR_PREFIX + indicator.code
        if key not in result:
            sectors = tuple(sorted({measure.sector for measure in indicator.measures.all()}))
            result[key] = catalogue.indicator_figure(indicator, sectors)
    return result


def figures_of(organisation: Organisation) -> list[Figure]:
    """Every figure the organisation can publish: the fixed ones and its indicators with a comparison key."""
    return list(catalogue.static_figures().values()) + list(_indicator_figures(organisation).values())


def _better_peers(rows: list[Row], organisation: Organisation) -> None:
    """Fill ``row.better`` where the organisation is behind the median: who did better in the group, their public
    measures of the figure's sectors and the library entries they adopted. For all rows together: the
    organisations, their measures, the library's entries and adoptions (measures.catalogue: two queries)."""
    wanted: dict[int, list[tuple[Row, float]]] = defaultdict(list)
    for row in rows:
        if row.value is None or not row.has_statistic or row.quarter < BEHIND:
            continue
        low = row.figure.lower_is_better
        better = [(pk, v) for pk, v in row.statistic.best if pk != organisation.pk and is_better(v, row.value, low)]
        for pk, value in better[:BETTER_SHOWN]:
            wanted[pk].append((row, value))
    if not wanted:
        return
    organisations = Organisation.objects.in_bulk(list(wanted))
    measures: dict[int, list[Measure]] = defaultdict(list)
    query = Measure.objects.public().filter(roadmap__organisation__in=list(wanted)).select_related("roadmap")
    for measure in query.order_by("roadmap__organisation", "code"):
        measures[measure.roadmap.organisation_id].append(measure)
    entries = _adopted_entries(list(organisations.values()))
    for pk, found in wanted.items():
        for row, value in found:
            sectors = set(row.figure.sectors)
            own = [m for m in measures[pk] if not sectors or m.sector in sectors][:MEASURES_SHOWN]
            row.better.append(BetterPeer(organisations[pk], value, own, entries.get(pk, [])))


def catalogue_available() -> bool:
    """The measure library (measures.catalogue, issue 17 §1) may not be installed yet: check, never import-fail."""
    try:
        return importlib.util.find_spec("measures.catalogue.selectors") is not None
    except ModuleNotFoundError:
        return False


def _adopted_entries(organisations: list[Organisation]) -> dict[int, list]:
    """{organisation id: library entries it adopted}, from measures.catalogue when it is there."""
    if not organisations or not catalogue_available():
        return {}
    from measures.catalogue import selectors as library  # noqa: PLC0415 (optional until it lands)

    finder = getattr(library, "entries_adopted_by", None)
    if finder is None:
        return {}
    result: dict[int, list] = defaultdict(list)
    for entry in finder(organisations):
        for adoption_org in _adopting_organisations(entry):
            if len(result[adoption_org]) < MEASURES_SHOWN and entry not in result[adoption_org]:
                result[adoption_org].append(entry)
    return result


def _adopting_organisations(entry) -> list[int]:
    """The organisations whose roadmaps adopted the entry (``adopted_by``: the library's selector gives them)."""
    return [adoption.organisation_id for adoption in getattr(entry, "adopted_by", [])]


def comparison_page(
    organisation: Organisation,
    user_or_viewer,
    choice: str = "",
    *,
    networks: list[Network] | None = None,
    can_edit: bool | None = None,
) -> ComparisonPage:
    """The page for a user (or a ``Viewer`` and ``can_edit`` the view knows already): the group chosen (the
    first, same size class, by default)."""
    networks = networks if networks is not None else networks_of(organisation)
    groups = peer_groups(organisation, networks)
    group = next((g for g in groups if g.choice == choice), groups[0])
    if isinstance(user_or_viewer, Viewer):
        viewer = user_or_viewer
    else:
        viewer = viewer_of(user_or_viewer)
        can_edit = is_editor(user_or_viewer, organisation)
    can_edit = bool(can_edit)
    own: dict[str, dict[int, tuple[float, int]]] = defaultdict(dict)
    for figure, year, value, audience in FigureValue.objects.filter(organisation=organisation).values_list(
        "figure", "year", "value", "audience"
    ):
        own[figure][year] = (value, audience)
    known = catalogue.static_figures() | _indicator_figures(organisation)
    gen = generation()
    counts = years_with_values(group, viewer, gen)
    network_ids = {network.pk for network in networks}
    rows, wanted = [], {}
    for key, figure in known.items():
        if key not in own:
            continue
        year = CURRENT if figure.is_current else choose_year(key, list(own[key]), counts)
        value, audience = own[key][year]
        visible = can_edit or viewer.sees(audience, network_ids)
        rows.append(Row(figure, year, value if visible else None, hidden=not visible))
        wanted[key] = (year, figure.lower_is_better)
    found = statistics_for(wanted, group, viewer, gen) if wanted else {}
    for row in rows:
        row.statistic = found.get(row.figure.key)
        if row.value is not None and row.has_statistic:
            row.quarter = quarter_of(row.value, row.statistic, row.figure.lower_is_better)
            row.share_behind = row.statistic.share_behind(row.value, row.figure.lower_is_better)
    _better_peers(rows, organisation)
    return ComparisonPage(
        organisation, groups, group, rows, can_edit, viewer, catalogue_available=catalogue_available()
    )


def position_chart(page: ComparisonPage) -> Chart:
    """Per figure: the share of the group the organisation does better than (100 % = the best)."""
    rows = [row for row in page.rows if row.share_behind is not None]
    return Chart(
        key="comparison-position",
        title=_("Position among comparable municipalities"),
        kind=BAR,
        labels=[str(row.figure.label) for row in rows],
        series=[Series(_("does better than … % of the group"), [float(row.share_behind) for row in rows], "bar")],
        unit="%",
        caption=_("Per figure, the share of the peer group %(organisation)s does better than (100 %% = the best).")
        % {"organisation": page.organisation.display_name},
        x_label=_("Figure"),
    )


def sector_chart(page: ComparisonPage) -> Chart:
    """Emissions per inhabitant by sector: the organisation beside the median of the group (the quartiles are in
    the table above: four bars per sector would crowd the drawing)."""
    sectors = dict(BiskoSector.choices)
    by_key = {row.figure.key: row for row in page.emission_rows if row.value is not None and row.has_statistic}
    rows = [(sectors[sector], by_key[f"ghg-{sector}"]) for sector in BiskoSector.values if f"ghg-{sector}" in by_key]
    return Chart(
        key="comparison-sectors",
        title=_("Greenhouse-gas emissions per inhabitant by sector"),
        kind=BAR,
        labels=[str(label) for label, _row in rows],
        series=[
            Series(page.organisation.display_name, [row.value for _label, row in rows], "bar"),
            Series(_("median"), [row.statistic.median for _label, row in rows], "bar"),
        ],
        unit=_("t CO2e per inhabitant"),
        caption=_("Latest balance year of each sector; the peer group: %(group)s.") % {"group": page.group.label},
        x_label=_("Sector"),
    )
