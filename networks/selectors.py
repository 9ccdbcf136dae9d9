"""Reads for the networks' public pages that must not grow with the portal (issue 19 §6): a national portal has
hundreds of networks, so the home page shows a few and counts the rest, and the list is paginated."""

from __future__ import annotations

from django.core.paginator import Page
from django.http import HttpRequest

from networks.models import Network
from networks.pages import page_of_rows

HOME_NETWORKS = 6
LIST_PAGE_SIZE = 24  # cards in rows of 1, 2 or 3


def home_networks(user, limit: int = HOME_NETWORKS) -> tuple[list[Network], int]:
    """A few public networks (the viewer's and their organisation's first, then the newest) with their member
    counts, and how many public networks there are (2 queries; the counts for these networks only)."""
    public = Network.objects.public()
    chosen = public.near_first(user).values("pk")[:limit]
    rows = Network.objects.filter(pk__in=chosen).for_list().near_first(user)
    return list(rows), public.count()


def network_page(request: HttpRequest) -> Page:
    """The networks the viewer may see, by name, a page of them with their member counts (2 queries)."""
    visible = Network.objects.visible_to(request.user).order_by("name")
    return page_of_rows(request, visible, lambda rows: rows.for_list(), LIST_PAGE_SIZE)
