"""What every rendering of a report shares: section names, numbers and dates in the report's language.

Call these with the report's language active (``translation.override(snapshot["language"])``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from monitoring.formats import number as num  # noqa: F401 (the reports' renderers import it from here)


def sections(snapshot: dict) -> list[tuple[str, str]]:
    """(anchor, heading) of the report's sections, in order; the spreadsheet's sheets use the same names."""
    network = snapshot["scope"] == "network"
    out = [("zusammenfassung", _("Summary"))]
    if network:
        out.append(("mitglieder", _("Member organisations")))
    else:
        out.append(("massnahmen", _("Measures")))
        out.append(("indikatoren", _("Indicators")))
        out.append(("thg-bilanz", _("GHG balance")))
    out.append(("waermeplanung", _("Heat planning")))
    if has_activity(snapshot):
        out.append(("netzwerkaktivitaet", _("Network activity")))
    return out


def has_activity(snapshot: dict) -> bool:
    """A network met in the period: without a meeting the report leaves the activity out (no "0 meetings")."""
    return bool(active_networks(snapshot))


def active_networks(snapshot: dict) -> list[dict]:
    """The networks of the activity section that met in the period: an organisation's report leaves out a network
    of which it was a member but that did not meet (no "0 meetings, 0 participants" line)."""
    return [network for network in snapshot["activity"]["networks"] if network["meetings"]]


def day(value: str | date | None, long: bool = False) -> str:
    """30.01.2025 (or 30. Januar 2025 with ``long``) from an ISO date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return date_format(value, "DATE_FORMAT" if long else "SHORT_DATE_FORMAT")


def moment(value: str) -> str:
    """30.01.2025, 14:05 from an ISO date and time."""
    parsed = datetime.fromisoformat(value)
    return date_format(parsed, "SHORT_DATETIME_FORMAT")


def period(snapshot: dict, long: bool = False) -> str:
    return f"{day(snapshot['period']['start'], long)} – {day(snapshot['period']['end'], long)}"
