"""The monitoring app's panels on other apps' pages (networks/panels.py), registered in MonitoringConfig.ready().

Each context function runs a fixed number of queries, however many indicators, values and reports there are.
Who sees what is decided by the page that shows the panel and by the funnels used here
(Indicator.objects.public, monitoring.access.is_public_report, can_see_board, is_coordinator).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from monitoring.access import can_see_board, is_public_report
from monitoring.builders import emissions_chart, gap_chart, indicator_chart
from monitoring.models import Indicator, Report
from monitoring.selectors import emissions_overview, indicator_series, target_gap
from networks.access import is_coordinator, is_staff
from networks.models import OrganisationRole
from networks.panels import Panel

DUE_SOON_DAYS = 30


CHARTED_INDICATORS = 8


def roadmap_context(request: HttpRequest, roadmap) -> dict:
    """The public roadmap page: public indicators as charts and tables, emissions against the path, published
    reports. Always shown (the reports section says when there is none yet).

    Queries: indicators, their values, balances, the path (+ its points when there is one), reports: 5–6.
    """
    indicators = (
        Indicator.objects.public().filter(roadmap=roadmap).select_related("roadmap").order_by("order", "name", "pk")
    )
    series_list = indicator_series(indicators)
    # The first indicators (by the editors' order) as charts; the rest in one table, so that a roadmap with
    # dozens of indicators stays a page one can read (and load: 50 charts made it 859 KiB).
    rows = [(s, indicator_chart(s, f"indicator-{s.indicator.pk}")) for s in series_list[:CHARTED_INDICATORS]]
    overview = _overview(roadmap)
    emissions = emissions_chart(overview, f"emissions-{roadmap.pk}") if overview.by_year else None
    reports = [
        report
        for report in Report.objects.published().filter(roadmap=roadmap).order_by("-period_end", "-pk")
        if _public(report, roadmap)
    ]
    toc = [("indicators", gettext("Indicators"))] if rows else []
    toc += [("emissions", gettext("Greenhouse-gas balance"))] if emissions else []
    toc += [("reports", gettext("Monitoring reports"))]
    return {
        "roadmap": roadmap,
        "toc": toc,
        "indicators": rows,
        "more_indicators": series_list[CHARTED_INDICATORS:],
        "overview": overview,
        "emissions": emissions,
        "emissions_latest": overview.total(overview.latest_year) if overview.by_year else None,
        "reports": reports,
    }


def _overview(roadmap):
    """The organisation's balances and target path, read once per page (the roadmap panel and the gap share it)."""
    if not hasattr(roadmap, "_emissions_overview"):
        roadmap._emissions_overview = emissions_overview(roadmap.organisation)
    return roadmap._emissions_overview


def _public(report: Report, roadmap) -> bool:
    report.roadmap = roadmap  # the page's roadmap, without fetching it again
    return is_public_report(report)


ROADMAP = Panel(key="monitoring", template="monitoring/panels/roadmap.html", context=roadmap_context, order=50)


def roadmap_gap_context(request: HttpRequest, roadmap) -> dict:
    """The public roadmap page, after its progress: what the published measures are expected to save together
    (with their range) against the reduction the target needs from the baseline, in one sentence and as a chart
    with its table. Queries: the measures' effects (measures.selectors.effect_totals), and the balances, the path
    and its points, shared with the roadmap panel (3, read once per page)."""
    from measures.selectors import effect_totals

    planned = effect_totals(roadmap)
    gap = target_gap(roadmap, _overview(roadmap), planned)
    chart = gap_chart(gap, f"gap-{roadmap.pk}") if gap is not None and gap.needed else None
    return {
        "roadmap": roadmap,
        "planned": planned,
        "gap": gap,
        "chart": chart,
        "toc": [("gap", gettext("Gap to the target"))],
    }


ROADMAP_GAP = Panel(
    key="monitoring_gap", template="monitoring/panels/roadmap_gap.html", context=roadmap_gap_context, order=10
)

MEASURE_CHARTED_INDICATORS = 6


def measure_context(request: HttpRequest, measure) -> dict | None:
    """The public measure page: the public indicators linked to the measure, each with its chart and table
    (the same builders as on the roadmap page). Hidden without any. Queries: indicators, their values: 2."""
    indicators = list(
        Indicator.objects.public()
        .filter(measures=measure)
        .select_related("roadmap")
        .order_by("order", "name", "pk")[:MEASURE_CHARTED_INDICATORS]
    )
    if not indicators:
        return None
    series_list = indicator_series(indicators)
    rows = [(s, indicator_chart(s, f"measure-indicator-{s.indicator.pk}")) for s in series_list]
    return {"measure": measure, "indicators": rows, "toc": [("indicators", gettext("Indicators"))]}


MEASURE = Panel(key="monitoring", template="monitoring/panels/measure.html", context=measure_context, order=50)


def roadmap_editor_context(request: HttpRequest, roadmap) -> dict:
    """The roadmap editors' dashboard (editors only, checked by its view): where to enter values, balances and
    ask for reports; how many indicators are due. One query."""
    today = timezone.localdate()
    counts = Indicator.objects.filter(organisation=roadmap.organisation).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(next_due__lt=today)),
        due_soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=today + timedelta(days=DUE_SOON_DAYS))),
    )
    return {"roadmap": roadmap, "organisation": roadmap.organisation, "counts": counts}


ROADMAP_EDITOR = Panel(
    key="monitoring",
    template="monitoring/panels/roadmap_editor.html",
    context=roadmap_editor_context,
    order=30,
)


def network_space_context(request: HttpRequest, network) -> dict:
    """Members' space: the board for every member; the health view for its coordinators (role cached)."""
    return {"network": network, "can_see_health": is_coordinator(request.user, network)}


NETWORK_SPACE = Panel(
    key="monitoring", template="monitoring/panels/network_space.html", context=network_space_context, order=40
)


def network_detail_context(request: HttpRequest, network) -> dict | None:
    """Public profile: a link to the board when the network made it public (or the reader is a member)."""
    if not can_see_board(request.user, network):
        return None
    return {"network": network}


NETWORK_DETAIL = Panel(
    key="monitoring", template="monitoring/panels/network_detail.html", context=network_detail_context, order=60
)


def dashboard_context(request: HttpRequest, person) -> dict | None:
    """My area: indicator values due within 30 days or overdue, of indicators I am responsible for or whose
    organisation I edit (with a link to enter them where I may). One query; hidden when nothing is due."""
    today = timezone.localdate()
    edits = OrganisationRole.objects.filter(person=person, organisation=OuterRef("organisation"))
    due = list(
        Indicator.objects.annotate(can_enter=Exists(edits))
        .filter(Q(responsible=person) | Q(can_enter=True))
        .filter(next_due__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("organisation")
        .order_by("next_due", "organisation__name", "name")
    )
    if not due:
        return None
    for indicator in due:
        indicator.is_overdue = indicator.next_due < today
        indicator.can_enter = indicator.can_enter or is_staff(request.user)
    return {"indicators": due, "today": today}


DASHBOARD = Panel(key="monitoring", template="monitoring/panels/dashboard.html", context=dashboard_context, order=25)


def register_all() -> None:
    from networks import panels

    panels.register("roadmap", ROADMAP)
    panels.register("roadmap_summary", ROADMAP_GAP)
    panels.register("measure", MEASURE)
    panels.register("roadmap_editor", ROADMAP_EDITOR)
    panels.register("network_space", NETWORK_SPACE)
    panels.register("network_detail", NETWORK_DETAIL)
    panels.register("dashboard", DASHBOARD)
