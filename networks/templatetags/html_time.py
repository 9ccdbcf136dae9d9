"""The machine-readable value of ``<time datetime="…">``: one filter for every template.

Django's ``|date:"c"`` is ``isoformat()``, which writes microseconds (``10:00:00.123456+01:00``) for every
time taken from the clock (created, published, moderated at ...); HTML's valid date-time strings allow at
most three fractional digits, so validators reject the page and assistive tools ignore the value.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def machine_time(value) -> str:
    """ISO 8601 to the second with the offset (``2026-12-06T10:00:00+01:00``); a date as ``2026-12-06``."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""
