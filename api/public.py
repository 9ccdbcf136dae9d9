"""The public operations: what the public pages show, through the selectors and access funnels they use.

A token is optional here: with one, the reads see what its person may see in the portal (an unpublished roadmap
they edit, their networks' internal events), without one what everybody sees. Measures leave only as
measures.public.PublicMeasure; filters are the pages' FilterSets (an unknown value is ignored and named in
``ignored``, as the pages do: networks.filtering; a value that is not a value at all, like a search that is too
long, is a 400).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from ninja import Query, Router, Schema

from api import schemas as s
from api.auth import OPTIONAL
from api.pagination import PageParams, cursor_page
from events.filters import EventFilter
from events.models import Event
from measures import selectors
from measures.access import access_measure, access_roadmap
from measures.catalogue.selectors import library_entries
from measures.filters import MeasureFilter
from measures.funding.selectors import programme_list
from measures.models import Roadmap
from measures.public import OPEN_DATA_COLUMNS, PublicMeasure, open_data_rows
from monitoring.access import is_public_report
from monitoring.models import Indicator, Report
from monitoring.selectors import emissions_overview, indicator_series
from networks.access import access_network
from networks.filtering import ignore_unknown
from networks.models import Network

router = Router(tags=["public"], auth=OPTIONAL)
ERRORS = {400: s.Problem, 401: s.Problem, 404: s.Problem, 429: s.Problem}


class InvalidFilter(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def _check(filterset) -> None:
    """A value that is not a value at all (a search too long, a date that is no date): 400 with the form's errors."""
    if not filterset.is_valid():
        raise InvalidFilter([{"field": k, "message": str(m)} for k, ms in filterset.errors.items() for m in ms])


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _org(organisation) -> dict:
    return {"name": organisation.name, "slug": organisation.slug}


def _number(value):
    return float(value) if value is not None else None


class IndexOut(s.Out):
    openapi: str
    docs: str
    networks: str
    roadmaps: str
    library: str
    funding_programmes: str


@router.get("/", response={200: IndexOut, **ERRORS}, url_name="index")
def index(request: HttpRequest):
    """Where to start: the schema, its documentation and the lists."""
    names = {
        "openapi": "openapi-json",
        "docs": "openapi-view",
        "networks": "network-list",
        "roadmaps": "roadmap-list",
        "library": "library-entry-list",
        "funding_programmes": "funding-programme-list",
    }
    return {key: absolute(reverse(f"api:{name}")) for key, name in names.items()}


# --- Networks -------------------------------------------------------------------------------------------------


def _network(network: Network) -> dict:
    return {
        "slug": network.slug,
        "name": network.name,
        "short_name": network.short_name,
        "kind": network.kind,
        "region": network.region,
        "founded_year": network.founded_year,
        "description": network.description,
        "goals": network.goals,
        "url": absolute(network.get_absolute_url()),
    }


@router.get("/networks/", response={200: s.NetworkPage, **ERRORS}, url_name="network-list")
def network_list(request: HttpRequest, page: Query[PageParams]):
    """The networks' public profiles (and, with a token, the networks the person belongs to), by name."""
    networks = Network.objects.visible_to(request.auth)
    rows, cursor = cursor_page(networks, fields=("name", "pk"), cursor=page.cursor, limit=page.limit)
    return {"items": [_network(n) for n in rows], "next_cursor": cursor}


@router.get("/networks/{slug}/", response={200: s.NetworkDetailOut, **ERRORS}, url_name="network-detail")
def network_detail(request: HttpRequest, slug: str):
    network = access_network(request.auth, slug)
    members = network.memberships.current().select_related("organisation").order_by("organisation__name")
    return {
        **_network(network),
        "host": _org(network.host),
        "members": [_org(m.organisation) for m in members],
        "events_url": absolute(reverse("api:network-event-list", args=[network.slug])),
        "calendar_url": absolute(reverse("events:network-feed", args=[network.slug])),
    }


def _event(event: Event, network: Network) -> dict:
    event.network = network
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location": ", ".join(part for part in (event.venue, event.town) if part),
        "url": absolute(event.get_absolute_url()),
        "ical_url": absolute(reverse("events:event-ics", args=[network.slug, event.pk])),
    }


class EventParams(PageParams):
    past: bool = False


class EventFilters(Schema):
    """The events page's filters (events.filters.EventFilter) within the network; ``thema`` is the topic's id, as
    on the page. ``von``: events that end on or after the day; ``bis``: that start on or before it."""

    art: str | None = None
    format: str | None = None
    thema: str | None = None
    von: dt.date | None = None
    bis: dt.date | None = None


class NetworkEventFilter(EventFilter):
    """EventFilter for one network's events: ``past`` turns its default round (what has ended instead of what has
    not; the date range narrows either)."""

    def __init__(self, *args, past: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.past = past

    def filter_queryset(self, queryset):
        if not self.past:
            return super().filter_queryset(queryset)
        return django_filters.FilterSet.filter_queryset(self, queryset.past())  # without EventFilter's upcoming()


def _event_filter_data(request: HttpRequest) -> QueryDict:
    """Only the filters the operation documents (``netzwerk`` is the address's network)."""
    data = QueryDict(mutable=True)
    for name in EventFilters.model_fields:
        if name in request.GET:
            data.setlist(name, request.GET.getlist(name))
    return data


@router.get("/networks/{slug}/events/", response={200: s.EventPage, **ERRORS}, url_name="network-event-list")
def network_event_list(request: HttpRequest, slug: str, filters: Query[EventFilters], params: Query[EventParams]):
    """The network's events the reader may see (public ones without a token), upcoming (or past), by start;
    filtered as on the events page."""
    network = access_network(request.auth, slug)
    events = Event.objects.visible_to(request.auth).filter(network=network)
    event_filter = NetworkEventFilter(_event_filter_data(request), queryset=events, user=request.auth, past=params.past)
    notes = ignore_unknown(event_filter)
    _check(event_filter)
    rows, cursor = cursor_page(event_filter.qs, fields=("starts_at", "pk"), cursor=params.cursor, limit=params.limit)
    return {"items": [_event(e, network) for e in rows], "next_cursor": cursor, "ignored": notes}


# --- Roadmaps and measures -------------------------------------------------------------------------------------


def _progress(progress: selectors.Progress) -> dict:
    return {
        "completed": progress.completed,
        "in_progress": progress.in_progress,
        "not_started": progress.not_started,
        "dropped": progress.dropped,
        "total": progress.total,
        "shares": progress.shares,
    }


def _roadmap(roadmap: Roadmap, progress: selectors.Progress) -> dict:
    return {
        "slug": roadmap.slug,
        "title": roadmap.title,
        "organisation": _org(roadmap.organisation),
        "target_year": roadmap.target_year,
        "url": absolute(roadmap.get_absolute_url()),
        "progress": _progress(progress),
    }


@router.get("/roadmaps/", response={200: s.RoadmapPage, **ERRORS}, url_name="roadmap-list")
def roadmap_list(request: HttpRequest, page: Query[PageParams]):
    """Published climate roadmaps with the progress of their published measures, by address (one query)."""
    roadmaps = selectors.roadmaps_for_list(request.auth)
    rows, cursor = cursor_page(roadmaps, fields=("slug", "pk"), cursor=page.cursor, limit=page.limit)
    return {"items": [_roadmap(r, selectors.progress_of(r)) for r in rows], "next_cursor": cursor}


@router.get("/roadmaps/{slug}/", response={200: s.RoadmapDetailOut, **ERRORS}, url_name="roadmap-detail")
def roadmap_detail(request: HttpRequest, response: HttpResponse, slug: str):
    roadmap = access_roadmap(request.auth, slug)
    response["Last-Modified"] = http_date(roadmap.updated_at.timestamp())

    def link(name: str) -> str:
        return absolute(reverse(f"api:{name}", args=[roadmap.slug]))

    return {
        **_roadmap(roadmap, selectors.roadmap_counts(roadmap).progress),
        "baseline_year": roadmap.baseline_year,
        "description": roadmap.description,
        "licence": roadmap.licence,
        "updated_at": roadmap.updated_at,
        "measures_url": link("measure-list"),
        "indicators_url": link("indicator-list"),
        "emissions_url": link("emissions"),
        "reports_url": link("report-list"),
    }


# The open-data getters a list item needs (all 25 for every item were a quarter of the list's CPU time)
LIST_COLUMNS = {key: getter for key, _header, getter in OPEN_DATA_COLUMNS if key in ("lead_organisation", "url")}


def _measure(measure: PublicMeasure) -> dict:
    row = {key: getter(measure) for key, getter in LIST_COLUMNS.items()}
    return {
        "code": measure.code,
        "slug": measure.slug,
        "title": measure.title,
        "summary": measure.summary,
        "sector": measure.sector,
        "status": measure.status,
        "late": measure.shows_late,
        "percent_complete": measure.percent,
        "lead_organisation": row["lead_organisation"],
        "start": measure.start,
        "end": measure.end,
        "continuous": measure.continuous,
        "priority": measure.priority,
        "url": row["url"],
        "updated_at": measure.updated_at,
    }


class MeasureFilters(Schema):
    """The public measure list's filters (measures.filters.MeasureFilter); several values: repeat the parameter."""

    suche: str | None = None
    handlungsfeld: list[str] | None = None
    status: list[str] | None = None
    kommune: list[str] | None = None
    federfuehrung: list[str] | None = None
    verzoegert: bool | None = None
    mitmachen: bool | None = None


def _filter_data(request: HttpRequest) -> QueryDict:
    data = request.GET.copy()
    for name in ("cursor", "limit", "sortierung", "page"):  # the API's own; its order is the cursor's
        data.pop(name, None)
    for name in ("verzoegert", "mitmachen"):
        if name in data:
            data[name] = "on" if data[name].lower() in ("true", "1", "on", "yes") else ""
    return data


@router.get("/roadmaps/{slug}/measures/", response={200: s.MeasurePage, **ERRORS}, url_name="measure-list")
def measure_list(request: HttpRequest, slug: str, filters: Query[MeasureFilters], page: Query[PageParams]):
    """The roadmap's published measures, filtered as on the public list, by code (cursor pagination)."""
    roadmap = access_roadmap(request.auth, slug)
    measures = selectors.with_latest_percent(selectors.public_measures(roadmap)).select_related("lead_organisation")
    measure_filter = MeasureFilter(_filter_data(request), queryset=measures, roadmap=roadmap)
    notes = ignore_unknown(measure_filter)
    _check(measure_filter)
    rows, cursor = cursor_page(measure_filter.qs, fields=("code", "pk"), cursor=page.cursor, limit=page.limit)
    for row in rows:
        row.roadmap = roadmap
    return {"items": [_measure(PublicMeasure(m)) for m in rows], "next_cursor": cursor, "ignored": notes}


@router.get(
    "/roadmaps/{slug}/measures/{measure}/", response={200: s.MeasureDetailOut, **ERRORS}, url_name="measure-detail"
)
def measure_detail(request: HttpRequest, response: HttpResponse, slug: str, measure: str):
    """A published measure as its public page shows it: public fields, milestones, public progress reports."""
    roadmap = access_roadmap(request.auth, slug)
    row = access_measure(request.auth, roadmap, measure)
    row.roadmap = roadmap
    updates = selectors.measure_updates(row)
    row.latest_percent = next((u.percent for u in updates if u.percent is not None), None)
    response["Last-Modified"] = http_date(selectors.last_changed(row).timestamp())
    public = PublicMeasure(row)
    data = open_data_rows([public])[0]
    return {
        **_measure(public),
        "description": public.description,
        "objectives": public.objectives,
        "target_groups": public.target_groups,
        "responsible_body": data["responsible_body"],
        "partners": [organisation.name for organisation in public.partners],
        "cost_estimate_eur": data["cost_estimate_eur"],
        "funding_programme": data["funding_programme"],
        "funding_amount_eur": data["funding_amount_eur"],
        "effect_expected_t_co2e_per_year": data["effect_expected_t_co2e_per_year"],
        "effect_low_t_co2e_per_year": data["effect_low_t_co2e_per_year"],
        "effect_high_t_co2e_per_year": data["effect_high_t_co2e_per_year"],
        "participation_level": public.participation_level or "",
        "how_to_take_part": public.how_to_take_part,
        "milestones": [
            {"id": m.pk, "title": m.title, "due_date": m.due_date, "done_date": m.done_date}
            for m in row.milestones.order_by("due_date", "pk")
        ],
        "progress_reports": [{"date": u.date, "text": u.text, "percent": u.percent} for u in updates],
    }


# --- Monitoring -------------------------------------------------------------------------------------------------


class IndicatorParams(PageParams):
    limit: int = 10  # each with its values and targets by year (50 a year each in a long series): ~30 KB a page


@router.get("/roadmaps/{slug}/indicators/", response={200: s.IndicatorPage, **ERRORS}, url_name="indicator-list")
def indicator_list(request: HttpRequest, slug: str, page: Query[IndicatorParams]):
    """The roadmap's public indicators with their values by year (measured, else estimated) and targets, in the
    roadmap's order (10 a page unless ``limit`` says otherwise)."""
    roadmap = access_roadmap(request.auth, slug)
    indicators = Indicator.objects.public().filter(roadmap=roadmap)
    rows, cursor = cursor_page(indicators, fields=("order", "name", "pk"), cursor=page.cursor, limit=page.limit)
    items = [
        {
            "code": series.indicator.code,
            "name": series.indicator.name,
            "description": series.indicator.description,
            "unit": series.indicator.unit,
            "direction": series.indicator.direction,
            "baseline_year": series.indicator.baseline_year,
            "baseline_value": _number(series.indicator.baseline_value),
            "source": series.indicator.source,
            "values": [
                {"year": y, "value": float(v), "estimate": y in series.estimated}
                for y, v in sorted(series.measured.items())
            ],
            "targets": [{"year": y, "value": float(v)} for y, v in sorted(series.target.items())],
        }
        for series in indicator_series(rows)
    ]
    return {"items": items, "next_cursor": cursor}


@router.get("/roadmaps/{slug}/emissions/", response={200: s.EmissionsOut, **ERRORS}, url_name="emissions")
def emissions(request: HttpRequest, slug: str):
    """The greenhouse-gas balance of the roadmap's organisation (BISKO, t CO2e by year and sector) and its target
    path, as the public roadmap page shows them."""
    roadmap = access_roadmap(request.auth, slug)
    overview = emissions_overview(roadmap.organisation)
    return {
        "balances": [
            {
                "year": year,
                "total_t_co2e": float(overview.total(year)),
                "sectors": {sector: float(v) for sector, v in overview.by_year[year].items()},
            }
            for year in overview.years
        ],
        "target_path": [{"year": y, "t_co2e": float(v)} for y, v in sorted(overview.path_values.items())],
        "target_year": overview.path.target_year if overview.path else None,
    }


@router.get("/roadmaps/{slug}/reports/", response={200: list[s.ReportOut], **ERRORS}, url_name="report-list")
def report_list(request: HttpRequest, slug: str):
    """The roadmap's published monitoring reports with links to their files."""
    roadmap = access_roadmap(request.auth, slug)
    reports = []
    for report in Report.objects.published().filter(roadmap=roadmap).order_by("-period_end", "-pk"):
        report.roadmap = roadmap
        if not is_public_report(report):
            continue
        files = {
            fmt: absolute(reverse("monitoring:report-download", args=[report.pk, fmt]))
            for fmt in Report.FORMATS
            if getattr(report, f"{fmt}_file")
        }
        url = absolute(reverse("monitoring:report", args=[report.pk]))
        reports.append(
            {
                "id": report.pk,
                "title": report.title,
                "period_start": report.period_start,
                "period_end": report.period_end,
                "url": url,
                "files": files,
            }
        )
    return reports


# --- Measure library and funding radar -------------------------------------------------------------------------


@router.get("/library/", response={200: s.LibraryPage, **ERRORS}, url_name="library-entry-list")
def library_entry_list(request: HttpRequest, page: Query[PageParams]):
    """The measure library's published entries."""
    rows, cursor = cursor_page(library_entries(), fields=("slug", "pk"), cursor=page.cursor, limit=page.limit)
    items = [
        {
            "slug": e.slug,
            "title": e.title,
            "summary": e.summary,
            "sector": e.sector,
            "adopters": e.adopter_count,
            "url": absolute(e.get_absolute_url()),
        }
        for e in rows
    ]
    return {"items": items, "next_cursor": cursor}


@router.get("/funding/programmes/", response={200: s.ProgrammePage, **ERRORS}, url_name="funding-programme-list")
def funding_programme_list(request: HttpRequest, page: Query[PageParams]):
    """The funding radar's active programmes with their next deadline and upcoming calls, by name."""
    programmes = programme_list(today=timezone.localdate())
    rows, cursor = cursor_page(programmes, fields=("name", "pk"), cursor=page.cursor, limit=page.limit)
    items = [
        {
            "slug": p.slug,
            "name": p.name,
            "funder": p.funder,
            "summary": p.summary,
            "rolling": p.rolling,
            "link": p.url,
            "next_deadline": p.next_deadline,
            "calls": [{"title": c.title, "deadline": c.deadline} for c in p.upcoming_calls],
        }
        for p in rows
    ]
    return {"items": items, "next_cursor": cursor}
