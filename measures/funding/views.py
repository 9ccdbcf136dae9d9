"""Pages of the funding radar: the programme database (everyone reads, staff and coordinators keep it), the
import, the deadline feeds, a measure's fitting programmes (its editors) and a network's Förderradar (members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events.models import CalendarToken
from measures import access as measure_access
from measures.funding import ical, importing, selectors, services
from measures.funding.forms import (
    CallForm,
    ImportConfirmForm,
    ImportForm,
    MeasureKindsForm,
    ProgrammeFilter,
    ProgrammeForm,
)
from measures.funding.matching import (
    CLOSED_STATUSES,
    INDEX_SCOPE,
    MEASURES_SCOPE,
    OPEN_FUNDING,
    kinds_of,
    programme_index,
)
from measures.funding.models import FundingCall, FundingProgramme
from networks import access as network_access
from networks import cache as page_cache
from networks.pages import network_context, page_of
from networks.services import person_ensure

FEED_CACHE = "private, max-age=300"
LIST_FILTERS = {"sector": "sectors", "applicant": "applicant_kinds", "state": "states"}  # filter → JSON list field


def _maintainer(request: HttpRequest) -> None:
    if not selectors.can_maintain(request.user):
        raise PermissionDenied


def _posted(request: HttpRequest):
    """The form data of a POST (also an empty one, which must be a bound form with its errors), else None."""
    return request.POST if request.method == "POST" else None


def _programme(slug: str) -> FundingProgramme:
    return get_object_or_404(FundingProgramme, slug=slug)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = FEED_CACHE
    response["X-Robots-Tag"] = "noindex"
    return response


# --- The programme database ------------------------------------------------------------------------------------


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    """Active programmes, filtered; 4 queries (count, page, its upcoming calls, may the viewer maintain)."""
    today = timezone.localdate()
    filters = ProgrammeFilter(request.GET)
    wanted = filters.values()
    programmes = selectors.programme_list(today=today)
    if wanted.get("q"):
        text = wanted["q"]
        programmes = programmes.filter(
            Q(name__icontains=text) | Q(funder__icontains=text) | Q(legal_basis__icontains=text)
        )
    chosen = {field: wanted[key] for key, field in LIST_FILTERS.items() if wanted.get(key)}
    if chosen:  # JSON lists: matched in Python over the ids (SQLite has no JSON containment), one query
        rows = programmes.values_list("pk", *chosen)
        wants = list(chosen.values())
        keep = [
            row[0] for row in rows if all(not have or want in have for have, want in zip(row[1:], wants, strict=True))
        ]
        programmes = programmes.filter(pk__in=keep)
    page = page_of(request, programmes)
    context = {
        "page": page,
        "programmes": page.object_list,
        "feed_url": feed_url(request),
        "filters": filters,
        "can_maintain": selectors.can_maintain(request.user),
        "today": today,
    }
    return render(request, "funding/programme_list.html", context)


@require_safe
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    today = timezone.localdate()
    calls = list(programme.calls.order_by("-deadline", "-pk"))
    context = {
        "programme": programme,
        "upcoming": [c for c in reversed(calls) if c.deadline >= today],
        "past": [c for c in calls if c.deadline < today][:10],
        "can_maintain": selectors.can_maintain(request.user),
        "today": today,
    }
    return render(request, "funding/programme_detail.html", context)


def _form_page(request, form, *, heading: str, programme=None, call=None, status: int = 200) -> HttpResponse:
    context = {"form": form, "heading": heading, "programme": programme, "call": call}
    return render(request, "funding/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    _maintainer(request)
    form = ProgrammeForm(_posted(request))
    if request.method == "POST":
        if form.is_valid():
            programme = services.programme_save(programme=form.save(commit=False), by=person_ensure(user=request.user))
            messages.success(request, _("The funding programme was saved."))
            return redirect(programme)
        return _form_page(request, form, heading=_("New funding programme"), status=400)
    return _form_page(request, form, heading=_("New funding programme"))


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _maintainer(request)
    programme = _programme(slug)
    form = ProgrammeForm(_posted(request), instance=programme)
    heading = _("Edit funding programme")
    if request.method == "POST":
        if form.is_valid():
            services.programme_save(programme=form.save(commit=False), by=person_ensure(user=request.user))
            messages.success(request, _("The funding programme was saved."))
            return redirect(programme)
        return _form_page(request, form, heading=heading, programme=programme, status=400)
    return _form_page(request, form, heading=heading, programme=programme)


@login_required
@require_safe
def programme_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed what and when: the programme's and its calls' history, newest first (3 queries)."""
    _maintainer(request)
    programme = _programme(slug)
    versions = list(programme.history.select_related("history_user").order_by("-history_date")[:50])
    calls = list(
        FundingCall.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("-history_date")[:50]
    )
    rows = []
    for newer, older in zip(versions, [*versions[1:], None], strict=False):
        fields = [] if older is None else [c.field for c in newer.diff_against(older).changes]
        changed = [str(FundingProgramme._meta.get_field(name).verbose_name) for name in fields]
        rows.append({"version": newer, "changed": changed})
    context = {"programme": programme, "rows": rows, "calls": calls}
    return render(request, "funding/programme_history.html", context)


def _call_page(request, programme, form, call=None, status: int = 200) -> HttpResponse:
    heading = _("Edit call") if call else _("New call")
    return _form_page(request, form, heading=heading, programme=programme, call=call, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    _maintainer(request)
    programme = _programme(slug)
    form = CallForm(_posted(request), instance=FundingCall(programme=programme))
    if request.method == "POST":
        if form.is_valid():
            services.call_save(call=form.save(commit=False), by=person_ensure(user=request.user))
            messages.success(request, _("The call was saved."))
            return redirect(programme)
        return _call_page(request, programme, form, status=400)
    return _call_page(request, programme, form)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _maintainer(request)
    programme = _programme(slug)
    call = get_object_or_404(programme.calls, pk=pk)
    form = CallForm(_posted(request), instance=call)
    if request.method == "POST":
        if form.is_valid():
            services.call_save(call=form.save(commit=False), by=person_ensure(user=request.user))
            messages.success(request, _("The call was saved."))
            return redirect(programme)
        return _call_page(request, programme, form, call, status=400)
    return _call_page(request, programme, form, call)


@login_required
@require_POST
def call_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _maintainer(request)
    programme = _programme(slug)
    call = get_object_or_404(programme.calls, pk=pk)
    services.call_delete(call=call, by=person_ensure(user=request.user))
    messages.success(request, _("The call was deleted."))
    return redirect(programme)


# --- Import ------------------------------------------------------------------------------------------------------


def _import_page(request, form, *, preview=None, confirm=None, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "preview": preview,
        "confirm_form": confirm,
        "columns": importing.column_docs(),
        "max_rows": importing.MAX_ROWS,
    }
    if preview is not None:
        context |= {"to_create": preview.count(importing.CREATE), "to_update": preview.count(importing.UPDATE)}
    return render(request, "funding/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request: HttpRequest) -> HttpResponse:
    """Step 1 checks the file and shows each row's result; step 2 (action=import) writes all rows or none."""
    _maintainer(request)
    if request.method == "GET":
        return _import_page(request, ImportForm())
    if request.POST.get("action") == "import":
        confirm = ImportConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            return _import_page(request, ImportForm(), confirm=confirm, status=400)
        preview = importing.run(table=confirm.table, by=person_ensure(user=request.user))
        if not preview.ok:
            return _import_page(request, ImportForm(), preview=preview, status=400)
        count = len(preview.rows)
        messages.success(
            request,
            ngettext("%(count)s programme imported.", "%(count)s programmes imported.", count) % {"count": count},
        )
        return redirect("funding:programme-list")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    preview = importing.check(table=form.table)
    confirm = None
    if preview.ok:
        confirm = ImportConfirmForm(
            initial={"payload": importing.sign(table=form.table, user=request.user)}, user=request.user
        )
    return _import_page(request, ImportForm(), preview=preview, confirm=confirm, status=200 if preview.ok else 400)


# --- Deadline feeds ------------------------------------------------------------------------------------------------


@require_safe
def deadlines_feed(request: HttpRequest) -> HttpResponse:
    """Every call's deadline of the active programmes (from 30 days back): 1 query."""
    entries = selectors.feed_calls(today=timezone.localdate())
    return _ics(ical.calendar(entries, name=_("Funding deadlines – Klimanetz")), "foerderfristen.ics")


@require_safe
def personal_deadlines_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines that fit the person's open-funding measures; the calendar token of the personal event feed
    (renewing it there ends this address too). 404 for unknown tokens and inactive accounts."""
    secret = get_object_or_404(CalendarToken.objects.select_related("person__user"), token=token)
    person = secret.person
    if person.user is None or not person.user.is_active or person.anonymised_at is not None:
        raise Http404
    entries = selectors.feed_calls(today=timezone.localdate(), person=person)
    return _ics(ical.calendar(entries, name=_("My funding deadlines – Klimanetz")), "meine-foerderfristen.ics")


# --- A measure's fitting programmes --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measure_funding(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The programmes that fit a measure (its editors); POST states what kind of measure it is."""
    roadmap = measure_access.access_roadmap(request.user, slug)
    measure_access.access_measure_edit(request.user, roadmap, pk)
    measure = get_object_or_404(_measure_qs(roadmap), pk=pk)
    form = MeasureKindsForm(_posted(request), initial={"kinds": list(kinds_of(measure))})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.measure_kinds_set(
                measure=measure, kinds=form.cleaned_data["kinds"], by=person_ensure(user=request.user)
            )
            messages.success(request, _("Saved. The fitting programmes were looked up again."))
            return redirect("funding:measure-funding", slug=roadmap.slug, pk=measure.pk)
        status = 400
    today = timezone.localdate()
    is_open = measure.funding_status in OPEN_FUNDING and measure.status not in CLOSED_STATUSES
    fits = programme_index(today).fits_for(measure) if is_open else []
    context = {"roadmap": roadmap, "measure": measure, "fits": fits, "form": form, "is_open": is_open, "today": today}
    return render(request, "funding/measure_funding.html", context, status=status)


def _measure_qs(roadmap):
    return roadmap.measures.select_related("roadmap__organisation", "lead_organisation", "funding_kinds")


# --- The network's Förderradar ---------------------------------------------------------------------------------------


@login_required
@require_safe
def network_radar(request: HttpRequest, slug: str) -> HttpResponse:
    """After the access check of this request (the role remembered, as for the network's space), the page from the
    cache per network, day, role and staff flag (what the layout shows of the viewer), path and language, under the
    versions of the network, the programmes and calls, and the measures (networks.cache.member_page; apps.py)."""
    network = network_access.access_network_internal(request.user, slug, remembered=True)
    today = timezone.localdate()
    context = network_context(request, network, today=today, closing_weeks=selectors.CLOSING_SOON.days // 7)

    def page() -> HttpResponse:
        radar = page_of(request, selectors.network_radar(network, today=today))
        context.update(radar=radar.object_list, page=radar)
        return render(request, "funding/network_radar.html", context)

    role = "manage" if context["can_manage"] else "member"
    viewer = f"{network.pk}:{today.isoformat()}:{role}:{'staff' if network_access.is_staff(request.user) else 'user'}"
    scopes = [f"network:{network.slug}", INDEX_SCOPE, MEASURES_SCOPE]
    return page_cache.member_page(request, f"{page_cache.PREFIX}:funding-radar:{viewer}", scopes, page)


def feed_url(request: HttpRequest) -> str | None:
    """The person's deadline feed address, with the secret of their personal calendar feed (1 query; None until
    they have one: the list links to the page that makes it)."""
    if not request.user.is_authenticated:
        return None
    token = CalendarToken.objects.filter(person__user=request.user).values_list("token", flat=True).first()
    if token is None:
        return ""
    return request.build_absolute_uri(reverse("funding:personal-deadlines-feed", args=[token]))
