"""What the views of every app share: the network navigation flags, pagination and the viewer's person."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from networks import access
from networks.models import Network, Person

PAGE_SIZE = 25


def network_context(request: HttpRequest, network: Network, **extra) -> dict:
    """The flags network_layout.html's navigation needs, computed once per request, never in templates."""
    return {
        "network": network,
        "is_member": access.is_member(request.user, network),
        "can_manage": access.is_coordinator(request.user, network),
        **extra,
    }


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def page_of_rows(
    request: HttpRequest, queryset: QuerySet, rows: Callable[[QuerySet], QuerySet], size: int = PAGE_SIZE
) -> Page:
    """A page of ``queryset`` (filtered and ordered, no aggregates) whose rows are read through ``rows`` (counts,
    joins) for that page only, in the same order: the count, then the page's rows (2 queries). The aggregates are
    computed for 25 rows however many the portal has, not for all of them before the LIMIT."""
    page = page_of(request, queryset, size)
    chosen = queryset.model._default_manager.filter(pk__in=page.object_list.values("pk"))
    page.object_list = list(rows(chosen).order_by(*queryset.query.order_by))
    return page


def person_of(request: HttpRequest) -> Person | None:
    """The signed-in user's Person (None for anonymous users or accounts without one)."""
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).select_related("organisation").first()


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the content as a file of that name (the browser saves it instead of showing it)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
