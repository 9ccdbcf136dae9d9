"""iCalendar (RFC 5545) for single events, network feeds and personal feeds.

UIDs are stable (the event's UUID), times are written in Europe/Berlin with a
VTIMEZONE, SEQUENCE is the event's revision and cancelled events carry
STATUS:CANCELLED, so Outlook and Thunderbird update or remove the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from networks.services import slugify_de

PRODID = "-//Klimanetz//Veranstaltungen//DE"
UID_DOMAIN = "klimanetz"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _location(event: Event, show_link: bool) -> str:
    parts = [event.full_place] if event.full_place else []
    if show_link and event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def _description(event: Event, show_link: bool) -> str:
    lines = []
    if event.description:
        lines.append(event.description)
    if show_link and event.online_url:
        lines.append(_("Online link: %(url)s") % {"url": event.online_url})
    elif event.online_url:
        lines.append(_("The online link is shown to registered participants on the event page."))
    lines.append(settings.SITE_URL.rstrip("/") + event.get_absolute_url())
    return "\n\n".join(lines)


# Europe/Berlin as Outlook writes it: two yearly rules (EU rules since 1996) instead of
# icalendar's generated list of every transition since 1970.
BERLIN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19960331T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def vevent(event: Event, *, show_link: bool, stamp=None) -> icalendar.Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    # DTSTAMP: the event's last change, not "now": an unchanged calendar is byte for byte the same (stable ETag)
    item.add("dtstamp", stamp or event.updated_at or timezone.now())
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    item.add("summary", event.title)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at or timezone.now())
    item.add("url", settings.SITE_URL.rstrip("/") + event.get_absolute_url())
    item.add("description", _description(event, show_link))
    location = _location(event, show_link)
    if location:
        item.add("location", location)
    item.add("categories", [event.get_kind_display()])
    item.add("class", "PUBLIC" if event.is_public else "PRIVATE")
    return item


def calendar(
    events: Iterable[Event], *, name: str, links_for: set[int] | None = None, all_links: bool = False
) -> bytes:
    """A VCALENDAR; the online link goes only into events in ``links_for`` (or all, for coordinators)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add_component(icalendar.Timezone.from_ical(BERLIN_VTIMEZONE.replace("\n", "\r\n")))
    links_for = links_for or set()
    for event in events:
        cal.add_component(vevent(event, show_link=all_links or event.pk in links_for))
    return cal.to_ical()


def ics_filename(event: Event) -> str:
    """``buergerwerkstatt-klima-roadmap-2027-01-09.ics``: umlauts spelled out (networks.services.slugify_de)."""
    day = timezone.localtime(event.starts_at).date()
    return f"{slugify_de(event.title)[:60].strip('-') or 'termin'}-{day:%Y-%m-%d}.ics"


def event_ics(event: Event, *, show_link: bool) -> bytes:
    return calendar([event], name=event.title, all_links=show_link)
