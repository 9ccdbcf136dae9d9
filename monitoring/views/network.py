"""The network board and the coordinators' health view."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from monitoring import exports
from monitoring import network as selectors
from monitoring.access import access_board, access_health
from monitoring.builders import stages_chart, target_years_chart
from monitoring.comparison.statistics import viewer_of
from monitoring.models import Indicator
from networks.pages import network_context

HEALTH_COLUMNS = (
    ("name", _("Organisation")),
    ("aktualisierung", _("Last data update")),
    ("massnahmen", _("Measures without a progress report (6 months)")),
    ("indikatoren", _("Indicators overdue")),
    ("teilnahme", _("Attendance at events (12 months)")),
    ("aufgaben", _("Open action items")),
)


@dataclass
class SortColumn:
    key: str
    label: str
    aria_sort: str  # "ascending" / "descending" on the sorted column, "" elsewhere
    link: str  # the ?sortierung= value the header links to


def _sort_columns(sort: str) -> list[SortColumn]:
    """Headers: the sorted one says its direction; a click sorts the worst first, a second click reverses."""
    columns = []
    for key, label in HEALTH_COLUMNS:
        aria_sort, link = "", selectors.HEALTH_WORST_FIRST[key]
        if sort.lstrip("-") == key:
            aria_sort = "descending" if sort.startswith("-") else "ascending"
            link = key if sort.startswith("-") else f"-{key}"
        columns.append(SortColumn(key, str(label), aria_sort, link))
    return columns


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_board(request.user, slug)
    today = timezone.localdate()
    rows = selectors.board_rows(network, today)
    context = network_context(
        request,
        network,
        today=today,
        rows=rows,
        stages=stages_chart(rows, "heat-planning-stages"),
        target_years=target_years_chart(rows, "target-years"),
        comparison=selectors.comparison(network, today, viewer=viewer_of(request.user)),
        has_demo=any(row.is_demo for row in rows),
    )
    return render(request, "monitoring/board.html", context)


@require_safe
def board_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The board's heat-planning table as CSV or XLSX, for whoever may see the board."""
    if fmt not in exports.FORMATS:
        raise Http404
    network = access_board(request.user, slug)
    today = timezone.localdate()
    return exports.board_export(network, selectors.board_rows(network, today), fmt, today)


@login_required
@require_safe
def health(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_health(request.user, slug)
    today = timezone.localdate()
    sort = selectors.health_sort(request.GET.get("sortierung", ""))
    context = network_context(
        request,
        network,
        rows=selectors.health_rows(network, today, sort),
        columns=_sort_columns(sort),
        sort=sort,
        attendance_since=selectors.months_before(today, selectors.ATTENDANCE_MONTHS),
        stale_cutoff=selectors.stale_cutoff(today),
    )
    return render(request, "monitoring/health.html", context)


@login_required
@require_safe
def health_detail(request: HttpRequest, slug: str, organisation: str) -> HttpResponse:
    network = access_health(request.user, slug)
    today = timezone.localdate()
    member = get_object_or_404(selectors.member_organisations(network, today), slug=organisation)
    stale = (
        selectors.stale_measures_of([member], today)
        .select_related("roadmap")
        .order_by(F("last_update").asc(nulls_first=True), "roadmap__title", "code")
    )
    context = network_context(
        request,
        network,
        member=member,
        stale=stale,
        stale_cutoff=selectors.stale_cutoff(today),
        overdue=Indicator.objects.overdue(today).filter(organisation=member).order_by("next_due", "name"),
        attendance=selectors.attendance_of(network, member, today),
        attendance_since=selectors.months_before(today, selectors.ATTENDANCE_MONTHS),
        action_items=selectors.open_action_items(network, [member])
        .select_related("event", "owner_person", "owner_organisation")
        .order_by(F("due_date").asc(nulls_last=True), "pk"),
        today=today,
    )
    return render(request, "monitoring/health_detail.html", context)
