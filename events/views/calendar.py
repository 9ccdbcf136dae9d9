"""Calendars: the event list across networks, a network's calendar (list and month), the .ics
downloads and feeds, and the personal settings (calendar subscription, notification emails)."""

from __future__ import annotations

import calendar as pycalendar
import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header, parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events import ical, services
from events.access import access_event, can_see_link
from events.filters import EventFilter
from events.forms.calendar import CalendarViewForm
from events.models import CalendarToken, Event, Registration, Visibility, holds_a_place
from networks import cache as page_cache
from networks.access import access_network, group_allows_q, person_group_allows_q
from networks.filtering import ignore_unknown
from networks.models import Network, NetworkRole
from networks.pages import network_context, page_of, person_of
from networks.services import person_ensure

FEED_PAST_DAYS = 180  # feeds keep events that ended less than this many days ago, and all future ones
FEED_CACHE = "private, max-age=300"


def _zone():
    return timezone.get_default_timezone()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), _zone())


def _absolute(name: str, *args) -> str:
    """An absolute URL without language prefix: calendar apps keep it for years."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[-1]


def _ics_response(body: bytes, filename: str, *, attachment: bool, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["Cache-Control"] = cache
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Pages ------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    events = Event.objects.visible_to(request.user).for_list().with_my_status(person).order_by("starts_at", "pk")
    event_filter = EventFilter(request.GET, queryset=events, user=request.user)
    notes = ignore_unknown(event_filter)  # an unknown value is ignored with a note, as in every list
    page = page_of(request, event_filter.qs)
    context = {"filter": event_filter, "filter_notes": notes, "page": page, "person": person}
    return render(request, "events/event_list.html", context)


@require_safe
def network_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug)
    person = person_of(request)
    form = CalendarViewForm(request.GET)
    valid = form.is_valid()  # bad values: the page says what is wrong, with status 400
    events = Event.objects.visible_to(request.user).filter(network=network).with_my_status(person)
    context = network_context(
        request,
        network,
        form=form,
        today=timezone.localdate(),
        feed_url=_absolute("events:network-feed", network.slug) if network.is_public else "",
    )
    data = form.cleaned_data
    if data.get("ansicht") == "monat":
        context.update(_month_context(events, data.get("monat") or timezone.localdate().replace(day=1)))
    else:
        past = data.get("zeitraum") == "vergangen"
        events = events.for_list()
        events = events.past().order_by("-starts_at", "-pk") if past else events.upcoming().order_by("starts_at", "pk")
        context.update(view="list", past=past, page=page_of(request, events))
    return render(request, "events/network_calendar.html", context, status=200 if valid else 400)


def _month_context(events, first: date) -> dict:
    """A Monday-to-Sunday grid of the month; each day cell holds the events on that day (Europe/Berlin)."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    events = events.select_related("network").filter(
        starts_at__lt=_day_start(grid_end + timedelta(days=1)), ends_at__gt=_day_start(grid_start)
    )
    today = timezone.localdate()
    cells = {
        day: {"day": day, "in_month": day.month == first.month, "is_today": day == today, "events": []}
        for week in weeks
        for day in week
    }
    events = list(events.order_by("starts_at", "pk"))
    for event in events:
        day = max(timezone.localtime(event.starts_at, _zone()).date(), grid_start)
        last = min(timezone.localtime(event.ends_at - timedelta(microseconds=1), _zone()).date(), grid_end)
        while day <= last:
            cells[day]["events"].append(event)
            day += timedelta(days=1)
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return {
        "view": "month",
        "has_events": bool(events),
        "month": first,
        "weeks": [[cells[day] for day in week] for week in weeks],
        "previous_month": previous_month if previous_month.year >= 2000 else None,
        "next_month": next_month if next_month.year <= 2100 else None,
        "this_month": today.replace(day=1),
    }


# --- Calendar files -------------------------------------------------------------------


@require_safe
def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access_event(request.user, network, pk)
    person = person_of(request)
    registration = Registration.objects.filter(event=event, person=person).first() if person else None
    body = ical.event_ics(event, show_link=can_see_link(request.user, event, registration))
    return _ics_response(body, ical.ics_filename(event), attachment=True, cache="private, no-cache")


def _feed_window():
    return Q(ends_at__gte=timezone.now() - timedelta(days=FEED_PAST_DAYS))


@require_safe
def network_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """Public events of a public network; calendar apps cannot log in, so nobody sees more here."""
    network = access_network(AnonymousUser(), slug)
    events = (
        Event.objects.filter(_feed_window(), network=network, visibility=Visibility.PUBLIC)
        .filter(group_allows_q(AnonymousUser()))  # not a closed working group's meetings
        .select_related("network")
        .order_by("starts_at", "pk")
    )
    body = ical.calendar(events, name=f"{network.short_name} – Klimanetz")
    return _ics_response(body, f"{network.slug}.ics", attachment=False, cache="public, max-age=300")


FEED_SECONDS = 300  # as long as calendar apps may keep it (FEED_CACHE): the 180-day window moves on


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """All events of the person's networks plus the public events they registered or wait for.

    From the cache (networks.cache.fetch_checked, under the token's hash) while nothing it shows has changed:
    the person's scope (their registrations, roles and calendar token), their account's and those of the
    networks of their roles and registrations; a hit is two cache reads and no query. The token is checked in
    the database on every miss and at least every CHECK_SECONDS (60 s); a renewed token or a deactivated
    account bumps a scope of the entry, so the old address answers 404 at once. Else built in three queries
    whatever the number of events. With ETag: a calendar app that has the current text gets 304.
    """
    (body, etag), state = page_cache.fetch_checked(
        f"{page_cache.PREFIX}:feed:{hashlib.sha256(token.encode()).hexdigest()}",
        FEED_SECONDS,
        lambda: _feed_person(token),
        _feed_scopes,
        _feed_body,
    )
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
        response["Cache-Control"] = FEED_CACHE
    else:
        response = _ics_response(body, "klimanetz.ics", attachment=False, cache=FEED_CACHE)
    response["ETag"] = etag
    if state != "off":
        response["X-Page-Cache"] = state
    return response


def _feed_person(token: str):
    """The person whose feed the token opens; 404 for unknown tokens, deactivated and anonymised accounts."""
    secret = get_object_or_404(CalendarToken.objects.select_related("person__user"), token=token)
    person = secret.person
    if person.user is None or not person.user.is_active or person.anonymised_at is not None:
        raise Http404
    return person


def _feed_scopes(person) -> list[str]:
    """The person's and their account's scopes, and those of the networks of their roles and of the events
    they registered for."""
    roles = NetworkRole.objects.filter(person=person).values("network_id")
    registered = Registration.objects.filter(person=person).values("event__network_id")
    slugs = Network.objects.filter(Q(pk__in=roles) | Q(pk__in=registered)).order_by("pk").values_list("slug", flat=True)
    return [*page_cache.of_person(person.pk), f"user:{person.user_id}", *(f"network:{slug}" for slug in slugs)]


def _feed_body(person) -> tuple[bytes, str]:
    roles = dict(NetworkRole.objects.filter(person=person).values_list("network_id", "role"))
    coordinated = {network_id for network_id, role in roles.items() if role == NetworkRole.Role.COORDINATOR}
    registered = Registration.objects.filter(
        event=OuterRef("pk"), person=person, status__in=[*Registration.TAKES_A_PLACE, Registration.Status.WAITING]
    )
    public = Q(visibility=Visibility.PUBLIC, network__is_public=True) & Q(Exists(registered))
    events = (
        Event.objects.filter(_feed_window(), Q(network_id__in=list(roles)) | public)
        .filter(person_group_allows_q(person))  # a closed working group's meetings for who may read the group
        .select_related("network")
        .annotate(holds_place=holds_a_place(person))
        .order_by("starts_at", "pk")
    )
    with translation.override(person.language):
        events = list(events)
        links_for = {e.pk for e in events if e.holds_place or e.network_id in coordinated}
        body = ical.calendar(events, name=_("Klimanetz – my events"), links_for=links_for)
    return body, f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


# --- Personal settings ------------------------------------------------------------------


@login_required
@require_safe
def my_calendar(request: HttpRequest) -> HttpResponse:
    person = person_ensure(user=request.user)
    token = services.calendar_token_get(person=person)
    feed_url = _absolute("events:personal-feed", token.token)
    context = {
        "feed_url": feed_url,
        "webcal_url": _webcal(feed_url),
        "token": token,
        "networks": Network.objects.of_user(request.user).order_by("name"),
    }
    return render(request, "events/my_calendar.html", context)


@login_required
@require_POST
def calendar_token_renew(request: HttpRequest) -> HttpResponse:
    person = person_ensure(user=request.user)
    services.calendar_token_renew(person=person)
    messages.success(
        request,
        _("Your calendar address has been renewed. The old address no longer works: please subscribe again."),
    )
    return redirect("events:my-calendar")


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The old address of the event email settings (linked from event emails sent before): one page for every
    kind of email now, networks:mail-settings."""
    return redirect("networks:mail-settings", permanent=True)
