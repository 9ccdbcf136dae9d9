"""Editors' import and export of a roadmap's measures (CSV and XLSX).

The import is two steps without anything kept on the server until the editor confirms: step 1 uploads the
file and shows the dry run; step 2 uploads the same file again with the SHA-256 of the checked one (a hidden
field). Re-uploading instead of keeping the rows in the session or on local disk: any worker can take step
2, no multi-megabyte session row is loaded on every later request, nothing is left behind when an editor
walks away. Confirming stores the file in a job (``MeasureImport``) and redirects to its status page; a
Celery task checks every row again against the data as it is then and writes all of them in one
transaction, or none (measures.services.imports). The status page polls ``import-job-status`` with
static/js/report-progress.js and works without JavaScript (a reload link).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from measures import access, exports, importing
from measures.forms.data import ImportForm
from measures.models import Measure, MeasureImport, Roadmap
from measures.services import imports
from networks.pages import person_of

PREVIEW_ROWS = 500  # rows listed per group on the preview page; bad rows are always listed in full
RESULT_MEASURES = 50  # measures linked on the page of a finished import
RECENT_IMPORTS = 5  # imports listed on the import page


def _import_page(request, roadmap: Roadmap, form, *, preview=None, checked=None, status: int = 200):
    """The upload form, the table of columns and, after a check, its result (``checked``: the Table)."""
    digest = checked.digest if checked is not None else ""
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
            "confirm_form": ImportForm(initial={"digest": digest}, auto_id="confirm_%s") if preview.ok else None,
            "bad_rows": preview.bad_rows,
            "created": preview.of(importing.CREATE),
            "updated": preview.of(importing.UPDATE),
            "unchanged": preview.count(importing.UNCHANGED),
        }
        context["checked_name"] = checked.name if checked is not None else ""
        context["to_write"] = len(context["created"]) + len(context["updated"])
        context["created_more"] = max(len(context["created"]) - PREVIEW_ROWS, 0)
        context["updated_more"] = max(len(context["updated"]) - PREVIEW_ROWS, 0)
    return render(request, "measures/import.html", context, status=status)


def recent_imports(roadmap: Roadmap, limit: int = RECENT_IMPORTS) -> list[MeasureImport]:
    """The roadmap's latest imports, newest first (one query, without the files' bytes)."""
    jobs = MeasureImport.objects.filter(roadmap=roadmap).select_related("requested_by").defer("content")
    return list(jobs[:limit])


def _confirm(request: HttpRequest, roadmap: Roadmap, form: ImportForm) -> HttpResponse:
    """Step 2: store the checked file in a job and show its page (the task checks again and writes)."""
    upload = form.cleaned_data["file"]
    upload.seek(0)
    job = imports.import_queue(
        roadmap=roadmap, table=form.table, content=upload.read(), by=person_of(request), language=get_language()
    )
    job = MeasureImport.objects.defer("content").get(pk=job.pk)  # eager tasks (development) ran already
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
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, roadmap, form, status=400)
    if request.POST.get("action") == "import":
        if form.cleaned_data["digest"] == form.table.digest:
            return _confirm(request, roadmap, form)
        messages.error(request, _("This is not the file you checked, so nothing was imported. Here is its check."))
    preview = importing.check(roadmap=roadmap, table=form.table)
    status = 200 if preview.ok else 400
    return _import_page(request, roadmap, ImportForm(), preview=preview, checked=form.table, status=status)


def _job(request: HttpRequest, slug: str, pk: int) -> tuple[Roadmap, MeasureImport]:
    """A job of a roadmap the user edits (as the import page: 404 or 403 for others)."""
    roadmap = access.access_roadmap_edit(request.user, slug)
    job = get_object_or_404(
        MeasureImport.objects.select_related("requested_by").defer("content"), roadmap=roadmap, pk=pk
    )
    job.roadmap = roadmap
    return roadmap, job


@login_required
@require_GET
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
@require_GET
def import_job_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    _roadmap, job = _job(request, slug, pk)
    response = JsonResponse(imports.progress_of(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def measure_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    roadmap = access.access_roadmap_edit(request.user, slug)
    measures = exports.export_queryset(roadmap)
    if fmt == "csv":
        return exports.as_csv(roadmap, measures)
    if fmt == "xlsx":
        return exports.as_xlsx(roadmap, measures)
    raise Http404
