"""Editors' pages: GHG balance, its import and the target path; heat planning and climate strategy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from monitoring import builders, importing, selectors
from monitoring.access import access_organisation_edit
from monitoring.forms import YearForm
from monitoring.forms.emissions import BalanceYearForm, PathForm
from monitoring.forms.planning import HeatPlanningForm, StrategyForm
from monitoring.models import BiskoSector, ClimateStrategy, EmissionPath, HeatPlanning
from monitoring.models.planning import DEADLINE_LARGE, DEADLINE_SMALL, LARGE_MUNICIPALITY, UPDATE_EVERY_YEARS
from monitoring.services import emissions as services
from monitoring.services import planning as planning_services
from monitoring.views.editor import csv_download, editor_context, import_context, write_import
from monitoring.views.indicators import entry_year
from networks.models import Organisation
from networks.pages import person_of


def balance_table(overview: selectors.EmissionsOverview) -> list[dict]:
    """Rows of the balance table: each balance year with its sectors, total, the path's value and the gap."""
    rows = []
    for year in overview.years:
        total = overview.total(year)
        target = overview.path_values.get(year)
        rows.append(
            {
                "year": year,
                "cells": [overview.by_year[year].get(sector) for sector in BiskoSector.values],
                "total": total,
                "target": target,
                "gap": None if target is None else total - target,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def balance_entry(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    year, year_error = entry_year(request)
    lines = services.year_lines(org, year)
    form = BalanceYearForm(request.POST if request.method == "POST" and year_error is None else None, lines=lines)
    if request.method == "POST" and year_error is None and form.is_valid():
        counts = services.balance_year_save(organisation=org, year=year, sectors=form.sectors(), by=person_of(request))
        messages.success(
            request,
            _("Balance of %(year)s saved: %(created)s sectors new, %(changed)s changed, %(deleted)s deleted.")
            % {"year": year, **counts},
        )
        return redirect(f"{request.path}?jahr={year}")
    overview = selectors.emissions_overview(org)
    this_year = timezone.localdate().year
    context = editor_context(
        org,
        "balance",
        form=form,
        year=year,
        year_form=year_error or YearForm(initial={"jahr": year}, max_year=this_year),
        previous_year=year - 1,
        next_year=year + 1 if year < this_year else None,
        overview=overview,
        sectors=BiskoSector.choices,
        rows=balance_table(overview),
        chart=builders.emissions_chart(overview, "emissions") if overview.by_year else None,
    )
    status = 400 if request.method == "POST" or year_error is not None else 200
    return render(request, "monitoring/editor/balance.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def balance_import(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    if request.method == "GET" and request.GET.get("vorlage") == "csv":
        return csv_download(importing.BALANCE_TEMPLATE, "thg-bilanz-vorlage.csv")

    def page(form, preview=None, table=None, status=200):
        context = editor_context(
            org,
            "balance-import",
            **import_context(form, preview, table, importing.BALANCE_COLUMNS),
            sectors=BiskoSector.choices,
            carriers=[(value, label) for value, label in importing.EnergyCarrier.choices if value],
        )
        return render(request, "monitoring/editor/balance_import.html", context, status=status)

    def write(table):
        preview = importing.run_balance(organisation=org, table=table, by=person_of(request))
        if preview.ok:
            count = len(preview.rows)
            messages.success(
                request,
                ngettext("%(count)s balance line imported.", "%(count)s balance lines imported.", count)
                % {"count": count},
            )
        return preview

    return write_import(
        request,
        columns=importing.BALANCE_COLUMNS,
        check=lambda table: importing.check_balance(organisation=org, table=table),
        write=write,
        page=page,
        done=lambda: redirect("monitoring:balance", organisation=org.slug),
    )


@login_required
@require_http_methods(["GET", "POST"])
def path_edit(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    path = EmissionPath.objects.filter(organisation=org).prefetch_related("points").first()
    points = {point.year: point.emissions for point in path.points.all()} if path else {}
    form = PathForm(request.POST or None, instance=path, organisation=org, points=points)
    if request.method == "POST" and form.is_valid():
        services.path_save(path=form.save(commit=False), points=form.cleaned_data["points"])
        messages.success(request, _("The target path has been saved."))
        return redirect("monitoring:path-edit", organisation=org.slug)
    overview = selectors.emissions_overview(org)
    rows = [
        {"year": year, "target": target, "total": overview.total(year)}
        for year, target in sorted(overview.path_values.items())
    ]
    context = editor_context(org, "path", form=form, path=overview.path, rows=rows)
    return render(request, "monitoring/editor/path_form.html", context, status=400 if request.method == "POST" else 200)


# --- Planning status ------------------------------------------------------------------------------


def _deadline_rule() -> dict:
    return {"large": LARGE_MUNICIPALITY, "deadline_large": DEADLINE_LARGE, "deadline_small": DEADLINE_SMALL}


@login_required
@require_http_methods(["GET", "POST"])
def heat_planning_edit(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    if org.kind not in Organisation.PUBLIC_BODIES:
        context = editor_context(org, "heat-planning")
        return render(request, "monitoring/editor/heat_planning_none.html", context, status=404)
    planning = HeatPlanning.objects.filter(organisation=org).prefetch_related("steps").first()
    planning = planning or HeatPlanning(organisation=org)
    form = HeatPlanningForm(request.POST or None, instance=planning, organisation=org)
    if request.method == "POST" and form.is_valid():
        planning_services.heat_planning_save(
            planning=form.save(commit=False), reached=form.reached(), convoy=list(form.cleaned_data["convoy"])
        )
        messages.success(request, _("The heat-planning status has been saved."))
        return redirect("monitoring:heat-planning-edit", organisation=org.slug)
    if request.method == "POST" and planning.pk:
        planning = HeatPlanning.objects.filter(pk=planning.pk).prefetch_related("steps").first()
    today = timezone.localdate()
    context = editor_context(
        org,
        "heat-planning",
        form=form,
        planning=planning,
        deadline=planning.deadline,
        days_left=planning.days_left(today),
        overdue=planning.is_overdue(today),
        update_due=planning.update_due if planning.pk else None,
        update_years=UPDATE_EVERY_YEARS,
        **_deadline_rule(),
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/editor/heat_planning_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    strategy = ClimateStrategy.objects.filter(organisation=org).first() or ClimateStrategy(organisation=org)
    form = StrategyForm(request.POST or None, instance=strategy, organisation=org)
    if request.method == "POST" and form.is_valid():
        planning_services.strategy_save(strategy=form.save(commit=False))
        messages.success(request, _("The climate concept and target have been saved."))
        return redirect("monitoring:strategy-edit", organisation=org.slug)
    context = editor_context(org, "strategy", form=form, strategy=strategy)
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/editor/strategy_form.html", context, status=status)
