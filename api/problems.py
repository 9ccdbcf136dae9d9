"""Errors as RFC 9457 problem details (``application/problem+json``), in German or English by Accept-Language.

Every error of the API goes out through ``problem``: a title and a detail in the request's language (activated by
api.middleware from Accept-Language), the status, the path as ``instance`` and, for invalid input, ``errors``:
one entry per field with its message.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/problem+json"


def titles() -> dict[int, str]:
    return {
        400: _("Invalid request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        422: _("Invalid input"),
        429: _("Too many requests"),
    }


def problem(request, status: int, detail: str = "", *, errors: list[dict] | None = None, headers=None) -> HttpResponse:
    body = {"type": "about:blank", "title": titles().get(status, _("Error")), "status": status}
    if detail:
        body["detail"] = str(detail)
    body["instance"] = request.path
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=CONTENT_TYPE, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(error) -> list[dict]:
    """A Django ValidationError (or a form's errors) as [{"field": ..., "message": ...}]."""
    if hasattr(error, "error_dict"):
        return [{"field": name, "message": str(m)} for name, items in error.message_dict.items() for m in items]
    return [{"field": "", "message": str(m)} for m in getattr(error, "messages", [str(error)])]


def pydantic_errors(errors: list[dict]) -> list[dict]:
    """ninja's validation errors (pydantic's loc/msg) as field errors; the field is the last named place."""
    rows = []
    for item in errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        rows.append({"field": ".".join(loc), "message": _("Invalid value: %(message)s") % {"message": item["msg"]}})
    return rows
