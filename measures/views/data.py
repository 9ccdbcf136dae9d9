"""Editors' import and export of a roadmap's measures (CSV and XLSX).

The import is two steps without anything kept on the server: step 1 uploads the file and shows the
dry run; step 2 uploads the same file again with the SHA-256 of the checked one (a hidden field),
checks it again and writes everything in one transaction, or nothing. Re-uploading instead of keeping
the rows in the session or on local disk: any worker can take step 2, no multi-megabyte session row
is loaded on every later request, nothing is left behind when an editor walks away, and the check
runs against the database as it is at the moment of writing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from measures import access, exports, importing
from measures.forms.data import ImportForm
from measures.models import Roadmap
from networks.pages import person_of

PREVIEW_ROWS = 500  # rows listed per group on the preview page; bad rows are always listed in full


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


def _write(request: HttpRequest, roadmap: Roadmap, form: ImportForm):
    """Step 2: check again and write all rows, or none (the preview says why)."""
    try:
        preview = importing.run(roadmap=roadmap, table=form.table, by=person_of(request))
    except (ValidationError, IntegrityError):  # changed by someone else between the check and the write
        messages.error(request, _("The measures changed while importing; nothing was imported. Please check again."))
        return None
    if preview.ok:
        created, updated = preview.count(importing.CREATE), preview.count(importing.UPDATE)
        messages.success(
            request,
            ngettext("%(count)s measure imported", "%(count)s measures imported", created + updated)
            % {"count": created + updated}
            + " "
            + _("(%(created)s new, %(updated)s changed, %(unchanged)s unchanged).")
            % {"created": created, "updated": updated, "unchanged": preview.count(importing.UNCHANGED)},
        )
    return preview


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
    confirm = request.POST.get("action") == "import"
    if confirm and form.cleaned_data["digest"] != form.table.digest:
        messages.error(request, _("This is not the file you checked, so nothing was imported. Here is its check."))
        confirm = False
    preview = _write(request, roadmap, form) if confirm else None
    if preview is not None and preview.ok:
        return redirect("measures:editor-dashboard", slug=roadmap.slug)
    if preview is None:
        preview = importing.check(roadmap=roadmap, table=form.table)
    status = 200 if preview.ok else 400
    return _import_page(request, roadmap, ImportForm(), preview=preview, checked=form.table, status=status)


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
