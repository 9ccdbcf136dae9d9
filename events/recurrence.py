"""A series' recurrence rule in words, for every shape the series form can produce.

weekly:  "every Thursday" / "every second Thursday" … "every twelfth Thursday"
         ("jeden Donnerstag", "jeden zweiten Donnerstag")
monthly: "on the first Thursday of every month" / "… of every second month", "on the last Thursday …"
         ("jeden ersten Donnerstag im Monat", "am ersten Donnerstag jedes zweiten Monats")
followed by the times: "every second Thursday, 10:00–11:00" ("jeden zweiten Donnerstag, 10:00–11:00 Uhr").
The calendar feeds carry the RRULE itself (EventSeries.rrule); pages show this text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

if TYPE_CHECKING:
    from events.models import EventSeries

# "every nth": German needs the inflected form (jeden zweiten Donnerstag, jedes zweiten Monats).
ORDINALS = {
    1: pgettext_lazy("every nth", "first"),
    2: pgettext_lazy("every nth", "second"),
    3: pgettext_lazy("every nth", "third"),
    4: pgettext_lazy("every nth", "fourth"),
    5: pgettext_lazy("every nth", "fifth"),
    6: pgettext_lazy("every nth", "sixth"),
    7: pgettext_lazy("every nth", "seventh"),
    8: pgettext_lazy("every nth", "eighth"),
    9: pgettext_lazy("every nth", "ninth"),
    10: pgettext_lazy("every nth", "tenth"),
    11: pgettext_lazy("every nth", "eleventh"),
    12: pgettext_lazy("every nth", "twelfth"),
    -1: pgettext_lazy("every nth", "last"),
}


def _nth(number: int) -> str:
    return str(ORDINALS.get(number, number))


def describe_rule(*, frequency: str, interval: int, weekday_name: str, ordinal: int | None) -> str:
    """The rule without times, e.g. "every second Thursday"."""
    if frequency == "monthly":
        values = {"nth": _nth(ordinal or 1), "day": weekday_name, "nth_month": _nth(interval)}
        if interval == 1:
            return _("on the %(nth)s %(day)s of every month") % values
        return _("on the %(nth)s %(day)s of every %(nth_month)s month") % values
    if interval == 1:
        return _("every %(day)s") % {"day": weekday_name}
    return _("every %(nth)s %(day)s") % {"nth": _nth(interval), "day": weekday_name}


def describe_series(series: EventSeries) -> str:
    """The rule with its times: "every second Thursday, 10:00–11:00" (jeden zweiten Donnerstag, 10:00–11:00 Uhr)."""
    rule = describe_rule(
        frequency=series.frequency,
        interval=series.interval,
        weekday_name=str(series.get_weekday_display()),
        ordinal=series.ordinal,
    )
    return pgettext("series rhythm", "%(rule)s, %(start)s–%(end)s") % {
        "rule": rule,
        "start": time_format(series.start_time, "H:i"),
        "end": time_format(series.end_time, "H:i"),
    }
