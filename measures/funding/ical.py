"""The deadlines of funding calls as iCalendar (RFC 5545): all-day entries on the deadline, with an alarm two weeks
ahead; stable UIDs (the call's id), so that a changed deadline moves the entry in Outlook and Thunderbird."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.funding.models import FundingCall

PRODID = "-//Klimanetz//Foerderradar//DE"


def _description(call: FundingCall, measures) -> str:
    programme = call.programme
    lines = [f"{programme.name} ({programme.funder})"]
    if programme.legal_basis:
        lines.append(programme.legal_basis)
    if call.note:
        lines.append(call.note)
    if measures:
        lines.append(_("Fits: %(measures)s") % {"measures": ", ".join(f"{m.code} {m.title}" for m in measures)})
    if programme.is_demo:
        lines.append(_("Example data: the deadline is invented."))
    lines.append(settings.SITE_URL.rstrip("/") + programme.get_absolute_url())
    return "\n\n".join(lines)


def vevent(call: FundingCall, measures=()) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"funding-call-{call.pk}@klimanetz")
    stamp = timezone.make_aware(datetime.combine(call.deadline, time()), timezone.get_default_timezone())
    item.add("dtstamp", call.created_at or stamp)
    item.add("dtstart", call.deadline)
    item.add("dtend", call.deadline + timedelta(days=1))
    item.add(
        "summary", _("Deadline: %(programme)s – %(call)s") % {"programme": call.programme.name, "call": call.title}
    )
    item.add("description", _description(call, measures))
    item.add("url", settings.SITE_URL.rstrip("/") + call.programme.get_absolute_url())
    item.add("transp", "TRANSPARENT")
    item.add("categories", [_("Funding deadline")])
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", item["summary"])
    alarm.add("trigger", timedelta(days=-14))
    item.add_component(alarm)
    return item


def calendar(entries, *, name: str) -> bytes:
    """``entries``: (call, [measures it fits]) pairs."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for call, measures in entries:
        cal.add_component(vevent(call, measures))
    return cal.to_ical()
