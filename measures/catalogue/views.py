"""Pages of the measure library: the list with its filters, an entry with its adoptions and whom to ask,
curating entries from no roadmap, "Copy into my roadmap", and the editors' switch on a measure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from measures.access import access_measure_edit, access_roadmap
from measures.catalogue import selectors, services
from measures.catalogue.access import access_curate, access_entry, access_entry_curate, can_curate
from measures.catalogue.filters import MULTIPLE, SORTS, LibraryFilter
from measures.catalogue.forms import AdoptForm, EntryForm, OfferForm
from measures.catalogue.models import LibraryEntry
from measures.catalogue.services import CATALOGUE_SCOPE
from measures.forms.editor import add_service_errors
from measures.services.contact import contact_of
from networks import cache as page_cache
from networks.access import is_staff
from networks.citizens import is_citizen
from networks.filtering import ignore_unknown
from networks.pages import page_of, person_of

PAGE_SIZE = 30
HISTORY_SHOWN = 20


@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the page from the public-page cache (urls.py); a signed-in viewer from the cache of
    pages that are the same for everyone with the same curator, staff and citizen flags (what the page and its
    layout show of the viewer), under the library's version (networks.cache.member_page)."""
    if not request.user.is_authenticated:
        return _entry_list(request, curate=False)
    curate = can_curate(request.user)
    viewer = f"{int(curate)}:{int(is_staff(request.user))}:{int(is_citizen(request.user))}"
    key = f"{page_cache.PREFIX}:library-page:{viewer}"
    return page_cache.member_page(request, key, [CATALOGUE_SCOPE], lambda: _entry_list(request, curate=curate))


def _entry_list(request: HttpRequest, *, curate: bool) -> HttpResponse:
    library_filter = LibraryFilter(request.GET, queryset=selectors.library_entries())
    notes = ignore_unknown(library_filter)
    page = page_of(request, library_filter.qs, PAGE_SIZE)
    context = {
        "filter": library_filter,
        "filter_notes": notes,
        "multiple_filters": MULTIPLE,
        "page": page,
        "sorts": [(key, label) for key, (_order, label) in SORTS.items()],
        "sort_key": library_filter.sort_key,
        "can_curate": curate,
    }
    return render(request, "catalogue/entry_list.html", context, status=200 if library_filter.is_valid() else 400)


@require_safe
def entry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = access_entry(request.user, slug)
    rows = selectors.adoption_rows(entry, request.user)
    roadmaps = selectors.adoptable_roadmaps(request.user) if request.user.is_authenticated else None
    source = entry.source_measure if entry.source_measure_id else None
    if source is not None and not (source.published and source.roadmap.published):
        source = None
    context = {
        "entry": entry,
        "rows": rows,
        "adopter_count": len({row.organisation_id for row in rows}),
        "whom": selectors.whom_to_ask(entry, request.user),
        "can_adopt": entry.published and roadmaps is not None and roadmaps.exists(),
        "can_edit": entry.is_curated and can_curate(request.user),
        "source": source,
        "source_contact": contact_of(source) if source is not None else None,
    }
    return render(request, "catalogue/entry_detail.html", context)


def _entry_page(request, form, entry, *, status=200) -> HttpResponse:
    history = list(entry.history.select_related("history_user__person")[:HISTORY_SHOWN]) if entry else []
    context = {"form": form, "entry": entry, "history": history}
    return render(request, "catalogue/entry_form.html", context, status=status)


def _save(request, form: EntryForm) -> LibraryEntry | None:
    try:
        return services.entry_save(entry=form.save(commit=False), by=person_of(request))
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    access_curate(request.user)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (entry := _save(request, form)):
        messages.success(request, _("The library entry has been created."))
        return redirect(entry.get_absolute_url())
    return _entry_page(request, form, None, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, slug: str) -> HttpResponse:
    entry = access_entry_curate(request.user, slug)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form)):
        messages.success(request, _("The library entry has been saved."))
        return redirect(saved.get_absolute_url())
    if request.method == "POST":
        entry = access_entry_curate(request.user, slug)  # the saved state for the page's history
    return _entry_page(request, form, entry, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """Copy into my roadmap: the editor picks one of the roadmaps they edit; a draft measure is made from the
    entry and its editor page opens, to adapt it before publishing."""
    entry = access_entry(request.user, slug)
    if not entry.published:
        raise PermissionDenied
    roadmaps = selectors.adoptable_roadmaps(request.user)
    if not roadmaps.exists():
        raise PermissionDenied
    form = AdoptForm(request.POST or None, roadmaps=roadmaps)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.entry_adopt(entry=entry, roadmap=form.cleaned_data["roadmap"], by=person_of(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The draft measure %(code)s has been created from the library. Adapt it, then publish it.")
                % {"code": measure.code},
            )
            return redirect("measures:measure-edit", slug=measure.roadmap.slug, pk=measure.pk)
    existing = (
        roadmaps.filter(measures__library_adoption__entry=entry).annotate(n=Count("measures")).values_list("title", "n")
        if request.method == "GET"
        else []
    )
    return render(
        request,
        "catalogue/entry_adopt.html",
        {"entry": entry, "form": form, "already": list(existing)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def measure_offer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The editors' switch "In die Maßnahmenbibliothek aufnehmen" on the measure's editor page."""
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    form = OfferForm(request.POST)
    back = reverse("measures:measure-edit", args=[roadmap.slug, measure.pk]) + "#library"
    if not form.is_valid():
        messages.error(request, _("Please choose whether the measure is in the library."))
        return redirect(back)
    if form.cleaned_data["offer"]:
        try:
            services.entry_offer(measure=measure, by=person_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The measure is in the measure library now; it follows your changes."))
    elif services.entry_withdraw(measure=measure, by=person_of(request)) is not None:
        messages.success(request, _("The measure has been withdrawn from the library. Its adoptions stay."))
    return redirect(back)
