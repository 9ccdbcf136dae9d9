"""Editors' pages: the organisation's monitoring overview, indicators, values entry and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from measures.forms.editor import add_service_errors
from monitoring import builders, importing, selectors
from monitoring.access import access_indicator_edit, access_organisation_edit
from monitoring.forms import YearForm
from monitoring.forms.indicators import IndicatorForm, ValuesEntryForm
from monitoring.models import ClimateStrategy, HeatPlanning, Indicator, Report
from monitoring.services import indicators as services
from monitoring.views.editor import csv_download, editor_context, import_context, write_import
from networks.pages import person_of

REPORTS_SHOWN = 10


def _indicators(organisation):
    return (
        Indicator.objects.filter(organisation=organisation)
        .select_related("roadmap", "responsible")
        .prefetch_related("measures")
        .order_by("order", "name")
    )


def _groups(series: list, today) -> list[dict]:
    """Indicators by scope: each roadmap, the organisation, measures; each with its chart and due state."""
    groups: dict = {}
    for item in series:
        indicator = item.indicator
        if indicator.scope == Indicator.Scope.ROADMAP and indicator.roadmap_id:
            key, title = ("roadmap", indicator.roadmap_id), indicator.roadmap.title
        elif indicator.scope == Indicator.Scope.MEASURE:
            key, title = ("measure", 0), _("Indicators of measures")
        else:
            key, title = ("organisation", 0), _("Indicators of the organisation")
        latest = item.latest
        groups.setdefault(key, {"title": title, "rows": []})["rows"].append(
            {
                "indicator": indicator,
                "latest": latest,
                "estimated": latest is not None and latest[0] in item.estimated,
                "target": item.target.get(latest[0]) if latest else None,
                "on_track": item.on_track(),
                "overdue": indicator.next_due is not None and indicator.next_due < today,
                "chart": builders.indicator_chart(item, f"indicator-{indicator.pk}"),
            }
        )
    order = {"roadmap": 0, "organisation": 1, "measure": 2}
    return [groups[key] for key in sorted(groups, key=lambda k: (order[k[0]], str(groups[k]["title"])))]


@login_required
@require_safe
def organisation_overview(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    today = timezone.localdate()
    series = selectors.indicator_series(_indicators(org))
    emissions = selectors.emissions_overview(org)
    reports = (
        Report.objects.filter(Q(organisation=org) | Q(roadmap__organisation=org))
        .select_related("roadmap", "organisation", "network", "requested_by")
        .order_by("-created_at", "-pk")[:REPORTS_SHOWN]
    )
    context = editor_context(
        org,
        "overview",
        groups=_groups(series, today),
        indicator_count=len(series),
        emissions=emissions,
        latest_total=emissions.total(emissions.latest_year) if emissions.latest_year else None,
        heat_planning=HeatPlanning.objects.filter(organisation=org)
        .select_related("organisation")
        .prefetch_related("steps")
        .first(),
        strategy=ClimateStrategy.objects.filter(organisation=org).first(),
        reports=list(reports),
        today=today,
    )
    return render(request, "monitoring/editor/overview.html", context)


# --- One indicator --------------------------------------------------------------------------------


def _indicator_page(request, org, indicator, form, *, status=200):
    context = editor_context(org, "indicator-create" if indicator is None else "", form=form, indicator=indicator)
    return render(request, "monitoring/editor/indicator_form.html", context, status=status)


def _save(request, form: IndicatorForm) -> Indicator | None:
    try:
        return services.indicator_save(
            indicator=form.save(commit=False),
            measures=list(form.cleaned_data["measures"]),
            targets=form.cleaned_data["targets"],
            by=person_of(request),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    form = IndicatorForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid() and (indicator := _save(request, form)):
        messages.success(request, _("The indicator “%(name)s” has been created.") % {"name": indicator.name})
        return redirect("monitoring:organisation", organisation=org.slug)
    return _indicator_page(request, org, None, form, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, organisation: str, pk: int) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    indicator = access_indicator_edit(request.user, org, pk)
    targets = services.targets_of(indicator)
    form = IndicatorForm(request.POST or None, instance=indicator, organisation=org, targets=targets)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("The indicator has been saved."))
        return redirect("monitoring:organisation", organisation=org.slug)
    if request.method == "POST":
        indicator = access_indicator_edit(request.user, org, pk)  # the saved name for the page's heading
    return _indicator_page(request, org, indicator, form, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, organisation: str, pk: int) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    indicator = access_indicator_edit(request.user, org, pk)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator)
        messages.success(request, _("The indicator “%(name)s” has been deleted.") % {"name": indicator.name})
        return redirect("monitoring:organisation", organisation=org.slug)
    context = editor_context(org, "", indicator=indicator, value_count=indicator.values.count())
    return render(request, "monitoring/editor/indicator_delete.html", context)


# --- Values of a year -----------------------------------------------------------------------------


def entry_year(request: HttpRequest) -> tuple[int, YearForm | None]:
    """The ?jahr= of an entry page (default: last year) and, when it is not a valid year, the form with the error."""
    this_year = timezone.localdate().year
    if "jahr" not in request.GET:
        return this_year - 1, None
    form = YearForm(request.GET, max_year=this_year)
    if form.is_valid():
        return form.cleaned_data["jahr"], None
    return this_year - 1, form


@login_required
@require_http_methods(["GET", "POST"])
def values_entry(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    year, year_error = entry_year(request)
    if year_error is not None and request.method == "POST":
        return _values_page(request, org, year, None, year_error, status=400)
    indicators = list(_indicators(org).prefetch_related(None))
    values = services.actual_values(indicators, [year, year - 1])
    form = ValuesEntryForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        current={i.pk: values.get((i.pk, year)) for i in indicators},
        previous={i.pk: values.get((i.pk, year - 1)) for i in indicators},
    )
    if request.method == "POST" and form.is_valid():
        counts = services.values_save(year=year, entries=form.entries(), by=person_of(request))
        messages.success(
            request,
            _("Values of %(year)s saved: %(created)s new, %(changed)s changed, %(deleted)s deleted.")
            % {"year": year, **counts},
        )
        return redirect(f"{request.path}?jahr={year}")
    status = 400 if request.method == "POST" or year_error is not None else 200
    return _values_page(request, org, year, form, year_error, status=status)


def _values_page(request, org, year, form, year_error, *, status=200):
    this_year = timezone.localdate().year
    context = editor_context(
        org,
        "values",
        form=form,
        year=year,
        year_form=year_error or YearForm(initial={"jahr": year}, max_year=this_year),
        previous_year=year - 1,
        next_year=year + 1 if year < this_year else None,
        this_year=this_year,
    )
    return render(request, "monitoring/editor/values_entry.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def values_import(request: HttpRequest, organisation: str) -> HttpResponse:
    org = access_organisation_edit(request.user, organisation)
    if request.method == "GET" and request.GET.get("vorlage") == "csv":
        return csv_download(importing.VALUES_TEMPLATE, "indikatorwerte-vorlage.csv")

    def page(form, preview=None, table=None, status=200):
        context = editor_context(
            org,
            "values-import",
            **import_context(form, preview, table, importing.VALUE_COLUMNS),
            indicators=list(
                Indicator.objects.filter(organisation=org).only("name", "code", "unit").order_by("order", "name")
            ),
        )
        return render(request, "monitoring/editor/values_import.html", context, status=status)

    def write(table):
        preview = importing.run_values(organisation=org, table=table, by=person_of(request))
        if preview.ok:
            count = preview.to_write
            messages.success(
                request, ngettext("%(count)s value imported.", "%(count)s values imported.", count) % {"count": count}
            )
        return preview

    return write_import(
        request,
        columns=importing.VALUE_COLUMNS,
        check=lambda table: importing.check_values(organisation=org, table=table),
        write=write,
        page=page,
        done=lambda: redirect("monitoring:values-entry", organisation=org.slug),
    )
