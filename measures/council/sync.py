"""Reading an organisation's council information system into the database (run by tasks.endpoint_sync).

System → its Body (the one with the organisation's AGS, else the first) → the body's lists of organizations,
meetings (with their agenda items), agenda items, papers (with their consultations and files) and consultations,
page by page. A list is asked only for what changed since the last complete reading (``modified_since`` and
If-Modified-Since); a run reads at most ``COUNCIL_MAX_PAGES`` pages of each list and keeps the next page's address
for the following run. Every object is an upsert on (endpoint, OParl id): a run that is repeated or cut off does
nothing twice. A run is claimed first (one at a time per endpoint); a failure is stored, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from measures.council.client import ReadFailure, get_object, since_param, type_of, walk, with_params
from measures.council.models import (
    URL_LENGTH,
    CouncilAgendaItem,
    CouncilConsultation,
    CouncilEndpoint,
    CouncilLink,
    CouncilMeeting,
    CouncilOrganization,
    CouncilPaper,
    SyncError,
)
from measures.models import Roadmap
from networks import cache

logger = logging.getLogger(__name__)
BERLIN = ZoneInfo("Europe/Berlin")
STALE_RUN = timedelta(hours=2)  # a run that has not finished by then died with its worker
SAFETY = timedelta(minutes=10)  # the next modified_since starts before this run did: clocks differ


# --- Reading values (servers are not always exact: whatever does not fit is left empty) -------------------


def _text(obj: dict, key: str, limit: int) -> str:
    value = obj.get(key)
    return value.replace("\x00", "").strip()[:limit] if isinstance(value, str) else ""  # no NUL in PostgreSQL


def _url(obj: dict, key: str) -> str:
    value = _text(obj, key, URL_LENGTH + 1)
    return value if value.startswith(("https://", "http://")) and len(value) <= URL_LENGTH else ""


def _date(obj: dict, key: str) -> date | None:
    try:
        return parse_date(obj.get(key) or "") if isinstance(obj.get(key), str) else None
    except ValueError:
        return None


def _moment(obj: dict, key: str) -> datetime | None:
    try:
        value = parse_datetime(obj[key]) if isinstance(obj.get(key), str) else None
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=BERLIN)
    return value


def _urls(obj: dict, key: str) -> list[str]:
    value = obj.get(key)
    return [u for u in value if isinstance(u, str) and len(u) <= URL_LENGTH][:20] if isinstance(value, list) else []


def _id(obj: dict) -> str:
    return _url(obj, "id")


def _files(paper: dict) -> list[dict]:
    """The paper's main file and attachments, as links (name and address) only."""
    attachments = paper.get("auxiliaryFile")
    found = [paper.get("mainFile"), *(attachments if isinstance(attachments, list) else [])]
    files = []
    for item in found:
        if isinstance(item, dict) and type_of(item) == "File":
            link = _url(item, "accessUrl") or _url(item, "downloadUrl")
            if link:
                files.append({"name": _text(item, "name", 200) or _text(item, "fileName", 200), "url": link})
    return files[:20]


# --- Upserts, one page at a time ---------------------------------------------------------------------------


def _upsert(model, rows: list, fields: list[str]) -> None:
    if rows:
        unique = {row.oparl_id: row for row in rows}  # a page that names an object twice keeps the last
        model.objects.bulk_create(
            list(unique.values()), update_conflicts=True, unique_fields=["endpoint", "oparl_id"], update_fields=fields
        )


class Run:
    """One reading: what it touched (to resolve consultations and refresh the measure pages afterwards)."""

    def __init__(self, endpoint: CouncilEndpoint) -> None:
        self.endpoint = endpoint
        self.meetings: set[str] = set()
        self.items: set[str] = set()
        self.consultations: set[str] = set()
        self.papers = 0

    def organizations(self, objects: list[dict]) -> None:
        rows = [
            CouncilOrganization(
                endpoint=self.endpoint, oparl_id=_id(o), modified=_moment(o, "modified"),
                name=_text(o, "name", 300), short_name=_text(o, "shortName", 120),
            )
            for o in objects if _id(o) and type_of(o) == "Organization"
        ]  # fmt: skip
        _upsert(CouncilOrganization, rows, ["modified", "name", "short_name"])

    def meetings_page(self, objects: list[dict]) -> None:
        rows, items = [], []
        for o in objects:
            if not _id(o) or type_of(o) != "Meeting":
                continue
            rows.append(
                CouncilMeeting(
                    endpoint=self.endpoint, oparl_id=_id(o), modified=_moment(o, "modified"),
                    name=_text(o, "name", 300), start=_moment(o, "start"), cancelled=o.get("cancelled") is True,
                    organization_ids=_urls(o, "organization"),
                )
            )  # fmt: skip
            embedded = o.get("agendaItem") if isinstance(o.get("agendaItem"), list) else []
            items += [{**item, "meeting": item.get("meeting") or _id(o)} for item in embedded if isinstance(item, dict)]
        _upsert(CouncilMeeting, rows, ["modified", "name", "start", "cancelled", "organization_ids"])
        self.meetings.update(row.oparl_id for row in rows)
        self.agenda_items(items)

    def agenda_items(self, objects: list[dict]) -> None:
        rows = [
            CouncilAgendaItem(
                endpoint=self.endpoint, oparl_id=_id(o), modified=_moment(o, "modified"),
                meeting_id_url=_url(o, "meeting"), number=_text(o, "number", 40), name=_text(o, "name", 500),
                result=_text(o, "result", 300),
            )
            for o in objects if _id(o) and type_of(o) == "AgendaItem"
        ]  # fmt: skip
        _upsert(CouncilAgendaItem, rows, ["modified", "meeting_id_url", "number", "name", "result"])
        self.items.update(row.oparl_id for row in rows)

    def papers_page(self, objects: list[dict]) -> None:
        papers = [o for o in objects if _id(o) and type_of(o) == "Paper"]
        rows = [
            CouncilPaper(
                endpoint=self.endpoint, oparl_id=_id(o), modified=_moment(o, "modified"),
                reference=_text(o, "reference", 120), name=_text(o, "name", 1000), date=_date(o, "date"),
                paper_type=_text(o, "paperType", 200), web_url=_url(o, "web"), files=_files(o),
                deleted=o.get("deleted") is True,
            )
            for o in papers
        ]  # fmt: skip
        fields = ["modified", "reference", "name", "date", "paper_type", "web_url", "files", "deleted"]
        _upsert(CouncilPaper, rows, fields)
        self.papers += len(rows)
        embedded = []
        for paper in papers:
            found = paper.get("consultation") if isinstance(paper.get("consultation"), list) else []
            embedded += [{**c, "paper": _id(paper)} for c in found if isinstance(c, dict)]
        self.consultations_page(embedded)

    def consultations_page(self, objects: list[dict]) -> None:
        found = [o for o in objects if _id(o) and type_of(o) == "Consultation" and _url(o, "paper")]
        paper_ids = dict(
            CouncilPaper.objects.filter(endpoint=self.endpoint, oparl_id__in={_url(o, "paper") for o in found})
            .values_list("oparl_id", "pk")
        )  # fmt: skip
        rows = [
            CouncilConsultation(
                endpoint=self.endpoint, oparl_id=_id(o), modified=_moment(o, "modified"),
                paper_id=paper_ids[_url(o, "paper")], meeting_url=_url(o, "meeting"),
                agenda_item_url=_url(o, "agendaItem"), organization_ids=_urls(o, "organization"),
                role=_text(o, "role", 200), authoritative=o.get("authoritative") is True,
            )
            for o in found if _url(o, "paper") in paper_ids
        ]  # fmt: skip
        fields = ["modified", "paper", "meeting_url", "agenda_item_url", "organization_ids", "role", "authoritative"]
        _upsert(CouncilConsultation, rows, fields)
        self.consultations.update(row.oparl_id for row in rows)

    def touched_anything(self) -> bool:
        return bool(self.meetings or self.items or self.consultations or self.papers)


# The body's lists in the order they are read: committees before meetings, meetings before papers, so that a
# consultation finds what it refers to in the same run.
LISTS: tuple[tuple[str, Callable[[Run, list[dict]], None]], ...] = (
    ("organization", Run.organizations),
    ("meeting", Run.meetings_page),
    ("agendaItem", Run.agenda_items),
    ("paper", Run.papers_page),
    ("consultation", Run.consultations_page),
)


# --- Resolving consultations: their meeting's date, their committee and their result ----------------------


def _resolve(run: Run) -> None:
    endpoint = run.endpoint
    linked = CouncilLink.objects.filter(paper__endpoint=endpoint).values("paper_id")
    consultations = list(
        CouncilConsultation.objects.filter(endpoint=endpoint).filter(
            Q(oparl_id__in=run.consultations) | Q(meeting_url__in=run.meetings) | Q(agenda_item_url__in=run.items)
            | Q(paper_id__in=linked)
        )
    )  # fmt: skip
    if not consultations:
        return
    items = {i.oparl_id: i for i in CouncilAgendaItem.objects.filter(
        endpoint=endpoint, oparl_id__in={c.agenda_item_url for c in consultations})}  # fmt: skip
    meeting_urls = {c.meeting_url or getattr(items.get(c.agenda_item_url), "meeting_id_url", "") for c in consultations}
    meetings = {m.oparl_id: m for m in CouncilMeeting.objects.filter(endpoint=endpoint, oparl_id__in=meeting_urls)}
    org_urls = {u for c in consultations for u in c.organization_ids[:1]}
    org_urls |= {u for m in meetings.values() for u in m.organization_ids[:1]}
    orgs = {o.oparl_id: o for o in CouncilOrganization.objects.filter(endpoint=endpoint, oparl_id__in=org_urls)}
    for c in consultations:
        item = items.get(c.agenda_item_url)
        meeting = meetings.get(c.meeting_url or getattr(item, "meeting_id_url", ""))
        candidates = c.organization_ids + getattr(meeting, "organization_ids", [])
        org = next((orgs[u] for u in candidates if u in orgs), None)
        c.meeting_name = meeting.name if meeting else ""
        c.meeting_date = meeting.start.astimezone(BERLIN).date() if meeting and meeting.start else None
        c.organization_name = (org.name or org.short_name)[:300] if org else ""
        c.result = item.result if item else ""
    fields = ["meeting_name", "meeting_date", "organization_name", "result"]
    CouncilConsultation.objects.bulk_update(consultations, fields, batch_size=500)


# --- The run ------------------------------------------------------------------------------------------------


def _claim(endpoint_id: int) -> bool:
    now = timezone.now()
    free = Q(state__in=[CouncilEndpoint.State.IDLE, CouncilEndpoint.State.QUEUED]) | Q(updated_at__lt=now - STALE_RUN)
    return bool(
        CouncilEndpoint.objects.filter(free, pk=endpoint_id, is_demo=False).update(
            state=CouncilEndpoint.State.RUNNING, updated_at=now
        )
    )


def _body(endpoint: CouncilEndpoint) -> dict:
    """The body this organisation reads: the one stored, else the system's body with its AGS, else the first."""
    if endpoint.body_url:
        return get_object(endpoint.body_url, "Body")
    system = get_object(endpoint.system_url, "System")
    bodies_url = system.get("body")
    if not isinstance(bodies_url, str):
        raise ReadFailure(SyncError.NOT_OPARL, endpoint.system_url)
    bodies = []
    for page, _next in walk(bodies_url):
        bodies += [b for b in page if type_of(b) == "Body" and _id(b)]
        if len(bodies) >= 500:
            break
    if not bodies:
        raise ReadFailure(SyncError.NO_BODY, bodies_url)
    ags = endpoint.organisation.ags
    body = next((b for b in bodies if ags and b.get("ags") == ags), bodies[0])
    endpoint.body_url = _id(body)
    endpoint.body_name = _text(body, "name", 300) or _text(body, "shortName", 300)
    return body


def _read_list(run: Run, name: str, url: str, apply) -> bool:
    """Up to the page limit of one list; True when it was read to its end (else its next page is kept)."""
    endpoint = run.endpoint
    since = endpoint.synced_since if name not in endpoint.cursors else None
    limit = getattr(settings, "COUNCIL_MAX_PAGES", 100)
    for pages, (objects, following) in enumerate(walk(url, since=since), start=1):
        with transaction.atomic():
            apply(run, objects)
        if following and pages >= limit:
            endpoint.cursors[name] = following
            return False
    endpoint.cursors.pop(name, None)
    return True


def endpoint_sync(*, endpoint_id: int) -> CouncilEndpoint | None:
    """Read the endpoint once (see the module's docstring); None when another run holds it or it is demo data."""
    if not _claim(endpoint_id):
        return None
    endpoint = CouncilEndpoint.objects.select_related("organisation").get(pk=endpoint_id)
    started = timezone.now()
    run = Run(endpoint)
    complete = True
    try:
        body = _body(endpoint)
        since = since_param(endpoint.synced_since)
        for name, apply in LISTS:
            list_url = body.get(name)
            if not isinstance(list_url, str) or not list_url.startswith(("https://", "http://")):
                continue
            url = endpoint.cursors.get(name) or with_params(list_url, modified_since=since)
            complete &= _read_list(run, name, url, apply)
        endpoint.last_error, endpoint.last_error_url, endpoint.last_error_status = "", "", None
        endpoint.last_success_at = timezone.now()
        if complete:
            endpoint.synced_since = started - SAFETY
    except ReadFailure as failure:
        endpoint.last_error, endpoint.last_error_url = failure.code, failure.url[:URL_LENGTH]
        endpoint.last_error_status = failure.status
    except Exception:  # a bug of ours or a database error: logged for the operators, the editors see that it failed
        logger.exception("Reading the council information system of endpoint %s failed", endpoint.pk)
        endpoint.last_error, endpoint.last_error_url, endpoint.last_error_status = SyncError.UNEXPECTED, "", None
    finally:
        _resolve(run)
        _finish(endpoint)
    if run.touched_anything():
        refresh_pages(endpoint)
    return endpoint


STATE_FIELDS = (
    *("body_url", "body_name", "cursors", "synced_since", "last_success_at"),
    *("last_error", "last_error_url", "last_error_status"),
)


def _finish(endpoint: CouncilEndpoint) -> None:
    """Store the run's state, unless the editors named another system meanwhile: then read that one next."""
    endpoint.state = CouncilEndpoint.State.IDLE
    endpoint.last_sync_at = endpoint.updated_at = timezone.now()
    values = {name: getattr(endpoint, name) for name in (*STATE_FIELDS, "state", "last_sync_at", "updated_at")}
    rows = CouncilEndpoint.objects.filter(pk=endpoint.pk, system_url=endpoint.system_url)
    if not rows.update(**values):
        CouncilEndpoint.objects.filter(pk=endpoint.pk).update(state=CouncilEndpoint.State.IDLE)
        from measures.council import tasks

        transaction.on_commit(lambda: tasks.endpoint_sync.delay(endpoint.pk))


def refresh_pages(endpoint: CouncilEndpoint) -> None:
    """The public pages of the organisation's roadmaps show the decisions: their cached copies go."""
    slugs = Roadmap.objects.filter(organisation_id=endpoint.organisation_id).values_list("slug", flat=True)
    cache.bump_now_and_on_commit(scope for slug in slugs for scope in cache.of_roadmap(slug))
