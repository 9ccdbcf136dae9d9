"""The one way a stored file leaves the portal: ``serve_stored_file``, called by every download view after its
permission check (library documents and versions, event documents, monitoring reports).

On local disk the portal streams the file. On object storage (config/storage.py) it answers 302 to a presigned
URL of the object, valid ``STORAGE_PRESIGNED_SECONDS``, that tells the store which Content-Type and
Content-Disposition to answer with; ``STORAGE_REDIRECT=false`` streams from the bucket instead (a store the
browsers cannot reach). Either way the portal's answer says ``Cache-Control: private, no-store``: no proxy keeps
a file or the signed address of one."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

NO_STORE = "private, no-store"
# Shown in the browser; every other type is downloaded (types are checked by content on upload).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})


def is_object_storage(storage) -> bool:
    """Whether ``storage`` keeps its files in a bucket (signed URLs) rather than on this machine's disk."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 with RFC 5987's ``filename*`` for the real name (umlauts, spaces) and an ASCII ``filename``
    beside it for old clients: ``attachment; filename="Waerme-Bericht.pdf"; filename*=utf-8''W%C3%A4rme-…``."""
    name = (filename or "download").replace("\r", " ").replace("\n", " ").replace("/", "_").replace("\\", "_")
    transcribed = name.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}))
    transcribed = transcribed.replace("ß", "ss")
    ascii_name = unicodedata.normalize("NFKD", transcribed).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in ascii_name) or "download"
    disposition = "inline" if inline else "attachment"
    if ascii_name == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(name, safe='')}"


def serve_stored_file(
    field_file, *, filename: str, content_type: str, inline: bool = False, redirect: bool = True
) -> HttpResponse:
    """The download of ``field_file`` (a FieldFile) under ``filename``; 404 when it has no file or the file is gone
    (on object storage a missing object is the store's 404 behind the redirect: no extra request per download).
    ``redirect=False`` always streams: a page shown inline that loads the portal's own assets (an HTML report and
    its stylesheet) must come from the portal's origin, under its Content-Security-Policy."""
    if not field_file or not field_file.name:
        raise Http404(_("The file is missing."))
    storage, disposition = field_file.storage, content_disposition(filename, inline=inline)
    if redirect and settings.STORAGE_REDIRECT and is_object_storage(storage):
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": NO_STORE,
            },
            expire=settings.STORAGE_PRESIGNED_SECONDS,
        )
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(field_file.name, "rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404(_("The file is missing.")) from error
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = NO_STORE
    return response
