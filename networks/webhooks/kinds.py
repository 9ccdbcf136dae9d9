"""The registry of webhook event types: what an endpoint can subscribe to, and whose endpoints can.

An organisation's endpoints receive what happens to its roadmaps (measures, indicator values, reports); a
network's endpoints what happens to its events. The apps emit these codes from their services
(measures/webhooks.py, monitoring/webhooks.py, events/webhooks.py build the payloads); ``PING`` is the test event
an owner sends by hand, to one endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ORGANISATION = "organisation"
NETWORK = "network"
PING = "ping"


@dataclass(frozen=True)
class EventType:
    code: str
    scope: str  # ORGANISATION or NETWORK: whose endpoints may subscribe
    label: str
    help: str = ""


TYPES: tuple[EventType, ...] = (
    EventType("measure.created", ORGANISATION, _("Measure created"), _("A published measure was added.")),
    EventType(
        "measure.changed",
        ORGANISATION,
        _("Measure changed"),
        _("Status, dates, title or another public field of a published measure changed; the payload lists them."),
    ),
    EventType(
        "measure.withdrawn",
        ORGANISATION,
        _("Measure withdrawn"),
        _(
            "A published measure is no longer public (it or its roadmap was unpublished): remove your copy. The "
            "payload names it only (id, address, roadmap, time)."
        ),
    ),
    EventType(
        "measure.progress_reported",
        ORGANISATION,
        _("Progress report published"),
        _("A public progress report (Sachstand) was added to a published measure."),
    ),
    EventType(
        "indicator_value.added",
        ORGANISATION,
        _("Indicator value added"),
        _("A measured or estimated value of a public indicator was entered or imported."),
    ),
    EventType("report.published", ORGANISATION, _("Report published"), _("A monitoring report was published.")),
    EventType("event.created", NETWORK, _("Event created"), _("A public event of the network was created.")),
    EventType(
        "event.changed",
        NETWORK,
        _("Event changed"),
        _("Date, place, title or format of a public event changed; the payload lists the fields."),
    ),
    EventType("event.cancelled", NETWORK, _("Event cancelled"), _("A public event of the network was cancelled.")),
)
_BY_CODE = {t.code: t for t in TYPES}


def of_scope(scope: str) -> list[EventType]:
    return [t for t in TYPES if t.scope == scope]


def get(code: str) -> EventType | None:
    return _BY_CODE.get(code)


def label(code: str) -> str:
    if code == PING:
        return str(_("Test event"))
    found = _BY_CODE.get(code)
    return str(found.label) if found else code
