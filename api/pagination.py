"""Cursor pagination: stable under inserts (keyset over the list's order and the primary key), the cursor opaque
(URL-safe base64 of the last row's sort values). A cursor that cannot be read is a 400 (problem details)."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _encode(values: list) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, date | datetime) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise HttpError(400, _("The cursor is not valid.")) from error
    if not isinstance(values, list) or len(values) != size or not all(isinstance(v, str | int) for v in values):
        raise HttpError(400, _("The cursor is not valid."))
    return values


def _after(fields: tuple[str, ...], values: list) -> Q:
    """Rows after ``values`` in the ascending order of ``fields`` (the last field unique)."""
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{name}__gt": values[i]})
        for previous, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{previous: value})
        condition |= step
    return condition


def cursor_page(queryset, *, fields: tuple[str, ...], cursor: str | None, limit: int) -> tuple[list, str | None]:
    """(the rows of this page, the cursor of the next page or None). One query (limit + 1 rows)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise HttpError(400, _("The limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT})
    queryset = queryset.order_by(*fields)
    if cursor:
        queryset = queryset.filter(_after(fields, _decode(cursor, len(fields))))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode([getattr(last, name) for name in fields])
