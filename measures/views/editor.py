"""Editor pages of a roadmap (DESIGN §4: editors of the roadmap's organisation, and staff):
dashboard, roadmap frame, the measure sheet, milestones, progress updates, history, bulk status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from measures import selectors, services
from measures.access import access_measure_edit, access_roadmap, access_roadmap_edit
from measures.forms.editor import (
    BulkStatusForm,
    MeasureForm,
    MeasureTableFilter,
    MilestoneFormSet,
    RoadmapForm,
    UpdateForm,
    add_service_errors,
)
from measures.history import history_entries
from measures.history import models as measure_history_models
from measures.history import parts as measure_history_parts
from measures.models import Comment, Measure, Moderation, Proposal, Roadmap, Sector
from measures.views.data import recent_imports
from networks.access import is_staff
from networks.history import timeline, timeline_records
from networks.models import Organisation
from networks.pages import page_of, person_of
from networks.panels import render_context

TABLE_PAGE_SIZE = 100
HISTORY_PAGE_SIZE = 50


def _status_matrix(roadmap: Roadmap) -> dict:
    """Counts by sector × status, with totals, in one query."""
    counts = {
        (row["sector"], row["status"]): row["n"]
        for row in roadmap.measures.values("sector", "status").annotate(n=Count("pk")).order_by()
    }
    statuses = Measure.Status.choices
    rows = []
    for sector, label in Sector.choices:
        cells = [(status, counts.get((sector, status), 0)) for status, _label in statuses]
        rows.append({"sector": sector, "label": label, "cells": cells, "total": sum(n for _s, n in cells)})
    totals = [(status, sum(n for (_sector, s), n in counts.items() if s == status)) for status, _label in statuses]
    return {"statuses": statuses, "rows": rows, "totals": totals, "total": sum(counts.values())}


@login_required
@require_safe
def editor_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    measures = roadmap.measures.select_related("lead_organisation").annotate(last_update=Max("updates__date"))
    late = list(measures.filter(is_late=True).order_by("end", "code"))
    cutoff = selectors.stale_cutoff(timezone.localdate())
    stale = selectors.stale_measures(measures, cutoff)
    table_filter = MeasureTableFilter(request.GET or None)
    page = page_of(request, table_filter.apply(measures).order_by("code"), TABLE_PAGE_SIZE)
    context = {
        "roadmap": roadmap,
        "matrix": _status_matrix(roadmap),
        "late": [m for m in late if m.shows_late],
        "late_overridden": [m for m in late if not m.shows_late],
        "stale": list(stale.order_by(F("last_update").asc(nulls_first=True), "code")),
        "stale_cutoff": cutoff,
        "table_filter": table_filter,
        "page": page,
        "status_choices": Measure.Status.choices,
        "pending": Proposal.objects.filter(roadmap=roadmap, status=Moderation.PENDING).count()
        + Comment.objects.filter(  # on the roadmap's measures and proposals
            Q(measure__roadmap=roadmap) | Q(proposal__roadmap=roadmap), status=Moderation.PENDING
        ).count(),
        "editor_nav": "dashboard",
        "panels": render_context("roadmap_editor", request, roadmap),
        "imports": recent_imports(roadmap, limit=3),
    }
    return render(request, "measures/editor_dashboard.html", context)


# --- The roadmap's frame ------------------------------------------------------------------------------


def _editable_organisations(user):
    if is_staff(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(roles__person__user=user).distinct().order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_create(request: HttpRequest) -> HttpResponse:
    organisations = _editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = RoadmapForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        roadmap = form.save()
        messages.success(request, _("The roadmap has been created. Now add its measures."))
        return redirect("measures:editor-dashboard", slug=roadmap.slug)
    return render(
        request,
        "measures/roadmap_form.html",
        {"form": form, "roadmap": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_edit(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    form = RoadmapForm(request.POST or None, instance=roadmap)
    if request.method == "POST" and form.is_valid():
        roadmap = form.save()
        messages.success(request, _("The roadmap has been saved."))
        return redirect("measures:editor-dashboard", slug=roadmap.slug)
    if request.method == "POST":
        roadmap.refresh_from_db()  # the page's links keep the saved address while the form shows errors
    return render(
        request,
        "measures/roadmap_form.html",
        {"form": form, "roadmap": roadmap, "editor_nav": "roadmap"},
        status=400 if request.method == "POST" else 200,
    )


# --- One measure --------------------------------------------------------------------------------------


def _update_form(request: HttpRequest | None = None) -> UpdateForm:
    """The new progress report of the measure sheet (prefix ``update``), bound to the post if there is one."""
    data = request.POST if request is not None and request.method == "POST" else None
    return UpdateForm(data, prefix="update", initial={"date": timezone.localdate()})


def _report_written(update_form: UpdateForm) -> bool:
    """Whether a progress report was written: a text or a percentage (the date and the box have defaults)."""
    return any(str(update_form.data.get(update_form.add_prefix(name), "")).strip() for name in ("text", "percent"))


def _measure_page(request, roadmap, measure, form, update_form=None, *, status: int = 200) -> HttpResponse:
    context = {
        "roadmap": roadmap,
        "measure": measure,
        "form": form,
        "editor_nav": "create" if measure is None else "",
    }
    if measure is not None:
        context.update(
            update_form=update_form or _update_form(),
            updates=list(measure.updates.select_related("author")),
            milestones=list(measure.milestones.all()),
            panels=render_context("measure_editor", request, measure),  # e.g. the measure library's switch
        )
    return render(request, "measures/measure_form.html", context, status=status)


def _save_measure(request, form: MeasureForm) -> Measure | None:
    """The measure through the service (history, late state); None with the errors on the form."""
    try:
        return services.measure_save(
            measure=form.save(commit=False), partners=form.cleaned_data["partners"], by=person_of(request)
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _add_update(request, measure: Measure, update_form: UpdateForm) -> bool:
    """The progress report through the service; False with the errors on the form."""
    data = update_form.cleaned_data
    try:
        services.update_add(
            measure=measure,
            text=data["text"],
            percent=data["percent"],
            public=data["public"],
            on=data["date"],
            by=person_of(request),
        )
    except ValidationError as error:
        add_service_errors(update_form, error)
        return False
    return True


def _save_sheet(request, form: MeasureForm, update_form: UpdateForm | None) -> Measure | None:
    """The measure sheet and, when one was written, its new progress report: both or neither."""
    with transaction.atomic():
        measure = _save_measure(request, form)
        if measure is not None and update_form is not None and not _add_update(request, measure, update_form):
            transaction.set_rollback(True)
            return None
    return measure


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    form = MeasureForm(request.POST or None, roadmap=roadmap, user=request.user)
    if request.method == "POST" and form.is_valid() and (measure := _save_measure(request, form)):
        messages.success(request, _("The measure %(code)s has been created.") % {"code": measure.code})
        return redirect("measures:measure-edit", slug=roadmap.slug, pk=measure.pk)
    return _measure_page(request, roadmap, None, form, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The sheet and a new progress report are one form: a status changed together with a report is not lost,
    and a report with an error keeps the sheet's changes on the page (nothing is saved until both are right)."""
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    form = MeasureForm(request.POST or None, instance=measure, roadmap=roadmap, user=request.user)
    update_form = _update_form(request)
    if request.method == "GET":
        return _measure_page(request, roadmap, measure, form, update_form)
    report = update_form if _report_written(update_form) else None
    valid = [form.is_valid(), report is None or report.is_valid()]  # each form checked, so each reports its errors
    if all(valid) and _save_sheet(request, form, report):
        messages.success(request, _("The measure has been saved."))
        if report is not None:
            messages.success(request, _("The progress report has been added."))
        url = reverse("measures:measure-edit", args=[roadmap.slug, measure.pk])
        return redirect(url + ("#updates" if report is not None else ""))
    measure = access_measure_edit(request.user, roadmap, pk)  # the saved state for the page's side panels
    return _measure_page(request, roadmap, measure, form, update_form, status=400)


@login_required
@require_POST
def update_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A progress report alone (the measure page sends it with the sheet to measure_edit)."""
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    update_form = _update_form(request)
    if update_form.is_valid() and _add_update(request, measure, update_form):
        messages.success(request, _("The progress report has been added."))
        return redirect(reverse("measures:measure-edit", args=[roadmap.slug, measure.pk]) + "#updates")
    form = MeasureForm(instance=measure, roadmap=roadmap, user=request.user)
    return _measure_page(request, roadmap, measure, form, update_form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def milestones_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    formset = MilestoneFormSet(request.POST or None, instance=measure, prefix="milestones")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
            services.measure_mark_late(measures=Measure.objects.filter(pk=measure.pk))
        measure.refresh_from_db(fields=["is_late", "late_override_reason"])
        messages.success(request, _("The milestones have been saved."))
        if measure.shows_late:
            messages.warning(request, _("The measure is now shown as late: a milestone or its end date has passed."))
        return redirect("measures:measure-edit", slug=roadmap.slug, pk=measure.pk)
    return render(
        request,
        "measures/milestones_form.html",
        {"roadmap": roadmap, "measure": measure, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def measure_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    # The sheet, its milestones and its progress reports in one list, paged in the database.
    page = page_of(request, timeline(measure_history_parts(measure.pk)), HISTORY_PAGE_SIZE)
    entries = history_entries(timeline_records(page.object_list, measure_history_models()))
    return render(
        request,
        "measures/measure_history.html",
        {"roadmap": roadmap, "measure": measure, "page": page, "entries": entries},
    )


# --- Several measures ---------------------------------------------------------------------------------


@login_required
@require_POST
def bulk_status(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    form = BulkStatusForm(request.POST)
    back = reverse("measures:editor-dashboard", args=[roadmap.slug]) + "#measures"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    status = form.cleaned_data["status"]
    changed = services.measure_bulk_status(
        roadmap=roadmap, measure_ids=form.cleaned_data["measures"], status=status, by=person_of(request)
    )
    label = Measure.Status(status).label
    messages.success(
        request,
        ngettext(
            "%(count)s measure now has the status “%(status)s”.",
            "%(count)s measures now have the status “%(status)s”.",
            changed,
        )
        % {"count": changed, "status": label},
    )
    return redirect(back)
