"""What the views of every app share: the network navigation flags, pagination and the viewer's person."""

from __future__ import annotations

from django.core.paginator import Paginator
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
