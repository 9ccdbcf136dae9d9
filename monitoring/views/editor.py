"""What the monitoring editors' pages share: the page context (navigation), the import steps, downloads.

An import is two steps without anything kept on the server, as in measures.views.data: step 1 uploads
the file and shows the dry run; step 2 uploads the same file again with the SHA-256 of the checked one,
checks it again and writes every row in one transaction, or none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from monitoring import importing
from monitoring.forms import UploadForm
from networks.models import Organisation
from networks.pages import attachment


def editor_context(organisation: Organisation, nav: str, **extra) -> dict:
    """The organisation, the current entry of the editor navigation, and whether it plans heat (public bodies)."""
    return {
        "organisation": organisation,
        "editor_nav": nav,
        "is_public_body": organisation.kind in Organisation.PUBLIC_BODIES,
        **extra,
    }


def csv_download(text: str, filename: str) -> HttpResponse:
    return attachment(("\ufeff" + text).encode("utf-8"), "text/csv; charset=utf-8", filename)


def import_context(form, preview, table, columns) -> dict:
    context = {"form": form, "preview": preview, "columns": importing.column_docs(columns)}
    if preview is not None:
        context |= {
            "bad_rows": preview.bad_rows,
            "checked_name": table.name if table is not None else "",
            "confirm_form": UploadForm(initial={"digest": table.digest}, auto_id="confirm_%s", columns=columns)
            if preview.ok and table is not None
            else None,
        }
    return context


def write_import(
    request: HttpRequest, *, columns, check: Callable, write: Callable, page: Callable, done: Callable
) -> HttpResponse:
    """Step 1 (check) or step 2 (write, when the same file comes back with action=import)."""
    if request.method == "GET":
        return page(UploadForm(columns=columns))
    form = UploadForm(request.POST, request.FILES, columns=columns)
    if not form.is_valid():
        return page(form, status=400)
    confirm = request.POST.get("action") == "import"
    if confirm and form.cleaned_data["digest"] != form.table.digest:
        messages.error(request, _("This is not the file you checked, so nothing was imported. Here is its check."))
        confirm = False
    preview = None
    if confirm:
        try:
            preview = write(form.table)
        except (ValidationError, IntegrityError):  # changed by someone else between the check and the write
            messages.error(request, _("The data changed while importing; nothing was imported. Please check again."))
        if preview is not None and preview.ok:
            return done()
    if preview is None:
        preview = check(form.table)
    return page(UploadForm(columns=columns), preview, form.table, status=200 if preview.ok else 400)
