"""Editors' import and export of a roadmap's measures (CSV and XLSX), and the public open data.

The import is two steps: step 1 uploads the file and shows the dry run, each update with the old and the new
value of every changed cell and every value an empty cell would clear. When every row is valid the server keeps
the checked file (a CHECKED ``MeasureImport``, dropped after an hour or at the next check); step 2 confirms it
by its id, without choosing the file again (measures.services.imports.import_confirm: only the editor's own
latest draft of this roadmap, once). The file lives in the database rather than the session or local disk:
any worker can take step 2 and no multi-megabyte session row is loaded on every later request. Confirming
queues the job and redirects to its status page; a Celery task checks every row again against the data as it
is then and writes all of them in one transaction, or none (measures.services.imports). The status page polls
``import-job-status`` with static/js/report-progress.js and works without JavaScript (a reload link).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from measures import access, exports, importing, opendata, selectors
from measures.filters import MeasureFilter, sortable
from measures.forms.data import ImportConfirmForm, ImportForm
from measures.models import Measure, MeasureImport, Roadmap
from measures.public import OPEN_DATA_FIELDS, PublicMeasure, open_data_rows
from measures.services import imports
from measures.views.listing import filter_query
from networks.filtering import ignore_unknown
from networks.pages import person_of

PREVIEW_ROWS = 500  # rows listed per group on the preview page; bad rows are always listed in full
RESULT_MEASURES = 50  # measures linked on the page of a finished import
RECENT_IMPORTS = 5  # imports listed on the import page


def _import_page(request, roadmap: Roadmap, form, *, preview=None, draft=None, status: int = 200):
    """The upload form, the table of columns and, after a check, its result (``draft``: the kept file)."""
    context = {
        "roadmap": roadmap,
        "editor_nav": "import",
        "form": form,
        "preview": preview,
        "preview_rows": PREVIEW_ROWS,
        "columns": importing.column_docs(),
        "recent_imports": recent_imports(roadmap),
    }
    if preview is not None:
        context |= {
            "confirm_form": ImportConfirmForm(initial={"draft": draft.pk}, auto_id="confirm_%s") if draft else None,
            "bad_rows": preview.bad_rows,
            "created": preview.of(importing.CREATE),
            "updated": preview.of(importing.UPDATE),
            "unchanged": preview.count(importing.UNCHANGED),
            "cleared_count": preview.cleared_count,
        }
        context["checked_name"] = draft.file_name if draft is not None else ""
        context["to_write"] = len(context["created"]) + len(context["updated"])
        context["created_more"] = max(len(context["created"]) - PREVIEW_ROWS, 0)
        context["updated_more"] = max(len(context["updated"]) - PREVIEW_ROWS, 0)
    return render(request, "measures/import.html", context, status=status)


def _jobs(roadmap: Roadmap):
    """The roadmap's confirmed imports (a preview's file is no job yet), without the files' bytes."""
    return (
        MeasureImport.objects.filter(roadmap=roadmap)
        .exclude(status=MeasureImport.Status.CHECKED)
        .select_related("requested_by")
        .defer("content")
    )


def recent_imports(roadmap: Roadmap, limit: int = RECENT_IMPORTS) -> list[MeasureImport]:
    """The roadmap's latest confirmed imports, newest first (one query)."""
    return list(_jobs(roadmap)[:limit])


def _confirm(request: HttpRequest, roadmap: Roadmap) -> HttpResponse:
    """Step 2: queue the kept file of the editor's check and show its job's page (the task checks again and
    writes)."""
    form = ImportConfirmForm(request.POST)
    job = None
    if form.is_valid():
        job = imports.import_confirm(
            roadmap=roadmap, draft_id=form.cleaned_data["draft"], by=person_of(request), language=get_language()
        )
    if job is None:
        messages.error(request, _("The check of the file has expired or is not valid. Please check the file again."))
        return _import_page(request, roadmap, ImportForm(), status=400)
    job.refresh_from_db(fields=["status", "error"])  # eager tasks (development) ran already
    if job.status == MeasureImport.Status.DONE:
        messages.success(request, _result_text(job))
    elif job.status == MeasureImport.Status.FAILED:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": job.error})
    else:
        messages.info(request, _("The import is running. This page shows how far it is."))
    return redirect("measures:import-job", slug=roadmap.slug, pk=job.pk)


def _result_text(job: MeasureImport) -> str:
    return (
        ngettext("%(count)s measure imported", "%(count)s measures imported", job.written) % {"count": job.written}
        + " "
        + _("(%(created)s new, %(updated)s changed, %(unchanged)s unchanged).")
        % {"created": job.created_count, "updated": job.changed_count, "unchanged": job.unchanged_count}
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_roadmap_edit(request.user, slug)
    if request.method == "GET":
        if request.GET.get("vorlage") == "csv":
            return exports.template_csv()
        return _import_page(request, roadmap, ImportForm())
    if request.POST.get("action") == "import":
        return _confirm(request, roadmap)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, roadmap, form, status=400)
    preview = importing.check(roadmap=roadmap, table=form.table)
    draft = None
    if preview.ok and (preview.count(importing.CREATE) or preview.count(importing.UPDATE)):
        upload = form.cleaned_data["file"]
        upload.seek(0)
        draft = imports.import_draft(
            roadmap=roadmap, table=form.table, content=upload.read(), by=person_of(request), language=get_language()
        )
    status = 200 if preview.ok else 400
    return _import_page(request, roadmap, ImportForm(), preview=preview, draft=draft, status=status)


def _job(request: HttpRequest, slug: str, pk: int) -> tuple[Roadmap, MeasureImport]:
    """A job of a roadmap the user edits (as the import page: 404 or 403 for others)."""
    roadmap = access.access_roadmap_edit(request.user, slug)
    job = get_object_or_404(_jobs(roadmap), pk=pk)
    job.roadmap = roadmap
    return roadmap, job


@login_required
@require_safe
def import_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap, job = _job(request, slug, pk)
    ids = job.measure_ids[:RESULT_MEASURES] if job.status == MeasureImport.Status.DONE else []
    by_pk = Measure.objects.filter(roadmap=roadmap, pk__in=ids).only("pk", "code", "title").in_bulk()
    context = {
        "roadmap": roadmap,
        "editor_nav": "import",
        "job": job,
        "state": imports.progress_of(job),
        "result": _result_text(job) if job.status == MeasureImport.Status.DONE else "",
        "measures": [by_pk[pk] for pk in ids if pk in by_pk],
        "measures_more": max(len(job.measure_ids) - RESULT_MEASURES, 0),
    }
    return render(request, "measures/import_job.html", context)


@login_required
@require_safe
def import_job_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    _roadmap, job = _job(request, slug, pk)
    response = JsonResponse(imports.progress_of(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def measure_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    roadmap = access.access_roadmap_edit(request.user, slug)
    measures = exports.export_queryset(roadmap)
    if fmt == "csv":
        return exports.as_csv(roadmap, measures)
    if fmt == "xlsx":
        return exports.as_xlsx(roadmap, measures)
    raise Http404


def _filtered(request: HttpRequest, roadmap: Roadmap):
    """The published measures the list with this query string shows, in its order; the notes on ignored values;
    None when a filter value is bad in another way (the caller answers 400)."""
    measures = selectors.with_latest_percent(sortable(selectors.public_measures(roadmap)))
    measure_filter = MeasureFilter(request.GET, queryset=measures.select_related("lead_organisation"), roadmap=roadmap)
    notes = ignore_unknown(measure_filter)
    if not measure_filter.is_valid():
        return None, notes, ""
    measures = list(measure_filter.qs)
    for measure in measures:
        measure.roadmap = roadmap  # for its URL, without joining the roadmap again
    return measures, notes, filter_query(measure_filter.data).lstrip("?")


def _bad_filter() -> HttpResponse:
    return HttpResponse(
        _("A filter value is not valid (for example a search longer than 100 characters)."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_safe  # HEAD too: data portals check their resource links with it
def open_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The roadmap's published measures as CSV or XLSX for spreadsheets (German, opendata.measure_columns) or as
    JSON with the machine codes; filtered and sorted as the measure list with the same query string."""
    roadmap = access.access_roadmap(request.user, slug)
    measures, notes, filters = _filtered(request, roadmap)
    if measures is None:
        return _bad_filter()
    public = [PublicMeasure(m) for m in measures]
    if fmt in ("csv", "xlsx"):
        return opendata.table_response(
            roadmap,
            name="massnahmen",
            title="Maßnahmen",
            columns=opendata.measure_columns(),
            items=public,
            fmt=fmt,
            notes=notes,
            filters=filters,
        )
    with translation.override(settings.LANGUAGE_CODE):
        rows = open_data_rows(public)
    data = {
        "roadmap": opendata.roadmap_json(roadmap),
        "filters": filters,
        "notes": notes,
        "fields": OPEN_DATA_FIELDS,
        "measures": rows,
    }
    return opendata.json_response(roadmap, data, "massnahmen", notes=notes)


@require_safe
def datapackage(request: HttpRequest, slug: str) -> HttpResponse:
    """The roadmap's open data described as a Frictionless Data Package (every table, its columns and formats)."""
    roadmap = access.access_roadmap(request.user, slug)
    body = json.dumps(opendata.datapackage(roadmap), ensure_ascii=False, indent=1).encode("utf-8")
    response = opendata.response(body, "application/json; charset=utf-8", "datapackage.json", roadmap, attachment=False)
    return response
