"""schema.org JSON-LD of a public event (issue 16 §3), for the ``structured_data`` block of base.html.

Search engines show date, place and status from it. Only public events of public networks get it; the online
link is never in it (the VirtualLocation is the event page, where registered people find the link).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from events.models import Event, Format
from networks.seo import describe

SCHEMA = "https://schema.org/"
ATTENDANCE = {
    Format.ON_SITE: SCHEMA + "OfflineEventAttendanceMode",
    Format.ONLINE: SCHEMA + "OnlineEventAttendanceMode",
    Format.HYBRID: SCHEMA + "MixedEventAttendanceMode",
}
# JSON inside <script>: nothing that could end the element or start markup (as Django's json_script escapes)
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _local(moment) -> str:
    """ISO 8601 with the offset of Europe/Berlin: 2027-01-09T18:00:00+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def previous_start(event: Event):
    """The start before the last move, from the event's history (one query); None when it never moved."""
    if event.sequence == 0:
        return None
    earlier = event.history.exclude(starts_at=event.starts_at).order_by("-history_date").only("starts_at").first()
    return earlier.starts_at if earlier else None


def event_json_ld(event: Event) -> dict:
    """The schema.org Event as a dict (name, dates with offsets, place, attendance mode, status, organiser, url)."""
    url = _absolute(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": _local(event.starts_at),
        "endDate": _local(event.ends_at),
        "eventAttendanceMode": ATTENDANCE.get(event.format, ATTENDANCE[Format.ON_SITE]),
        "url": url,
        "inLanguage": translation.get_language() or settings.LANGUAGE_CODE,
        "organizer": {
            "@type": "Organization",
            "name": event.network.name,
            "url": _absolute(event.network.get_absolute_url()),
        },
    }
    description = describe(event.description, 500)
    if description:
        data["description"] = description
    moved_from = None if event.is_cancelled else previous_start(event)
    if event.is_cancelled:
        data["eventStatus"] = SCHEMA + "EventCancelled"
    elif moved_from is not None:
        data["eventStatus"] = SCHEMA + "EventRescheduled"
        data["previousStartDate"] = _local(moved_from)
    else:
        data["eventStatus"] = SCHEMA + "EventScheduled"
    locations = []
    if event.format in (Format.ON_SITE, Format.HYBRID) and (event.venue or event.address):
        place = {"@type": "Place", "name": event.venue or event.town}
        if event.street or event.town:
            address = {"@type": "PostalAddress", "addressCountry": "DE"}
            for key, value in (
                ("streetAddress", event.street),
                ("postalCode", event.postcode),
                ("addressLocality", event.town),
            ):
                if value:
                    address[key] = value
            place["address"] = address
        locations.append(place)
    if event.format in (Format.ONLINE, Format.HYBRID):
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    return data


def json_ld_script(event: Event) -> SafeString:
    """The <script type="application/ld+json"> element (a data block: no CSP nonce needed, nothing runs); the JSON
    is escaped above (no "<", ">" or "&" in it), so marking it safe is sound."""
    text = json.dumps(event_json_ld(event), ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308  # nosec B703 B308
