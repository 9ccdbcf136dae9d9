"""The citizens' pages (issue 16 §1): "Mitmachen" per roadmap and across roadmaps, and the citizen's own area.

"Mitmachen" gathers what citizens can do themselves, from each public measure's "how citizens can take part",
filtered by sector, municipality and the cost for me; every entry links to its measure, its contact and its
external links. "Mein Bereich" of a citizen (networks.citizens) lists their proposals with their state, their
comments, their supports and what they follow; members reach it from their dashboard as "Meine Beteiligung".
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from measures import take_part
from measures.access import access_roadmap
from measures.forms.participate import ParticipateFilterForm
from measures.models import Roadmap
from networks import services
from networks.citizens import is_citizen
from networks.filtering import ignore_unknown
from networks.pages import page_of

PAGE_SIZE = 20


def _participate_page(request: HttpRequest, roadmap: Roadmap | None) -> HttpResponse:
    offers = take_part.offers(roadmap)
    form = ParticipateFilterForm(request.GET or None, municipalities=take_part.municipalities(offers))
    notes = ignore_unknown(form)
    filters = form.values() if form.is_bound else {}
    page = page_of(request, take_part.in_order(take_part.filtered(offers, **filters)), PAGE_SIZE)
    page.object_list = take_part.offers_of(take_part.for_page(page.object_list))
    context = {
        "roadmap": roadmap,
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
        "filter_notes": notes,
    }
    return render(request, "measures/participate.html", context)


@require_safe
def participate(request: HttpRequest) -> HttpResponse:
    """Across every published roadmap."""
    return _participate_page(request, None)


@require_safe
def roadmap_participate(request: HttpRequest, slug: str) -> HttpResponse:
    """One roadmap's (published, or previewed by its editors)."""
    return _participate_page(request, access_roadmap(request.user, slug))


@login_required
@require_safe
def my_participation(request: HttpRequest) -> HttpResponse:
    """The person's own participation: proposals with their state, comments, supports, follows, event places."""
    person = services.person_ensure(user=request.user)
    context = {
        "person": person,
        "citizen": is_citizen(request.user),
        "proposals": take_part.my_proposals(person),
        "comments": take_part.my_comments(person),
        "supports": take_part.my_supports(person),
        "follows": take_part.my_follows(person),
        "registrations": take_part.my_registrations(person),
    }
    return render(request, "measures/participate_mine.html", context)
