"""A guest's own data (registration without an account): what is stored, a copy as JSON, and erasure at once.

Reached by the link in every email about the registration (its token), from the confirm and cancel pages; after
the erasure the link is invalid (404), and the page says what happened.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Registration
from events.services import guests


def _by_token(token: str) -> Registration:
    registration = guests.guest_by_token(token)
    if registration is None:
        raise Http404
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def guest_data(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what is stored and the two ways (download, erase now); POST: erase (a mail scanner's GET erases nothing)."""
    registration = _by_token(token)
    event = registration.event
    context = {"registration": registration, "event": event, "network": event.network}
    if request.method == "POST":
        guests.guest_erase(registration=registration)
        return render(request, "events/guest_data.html", {**context, "erased": True})
    context["data"] = guests.guest_data(registration)["registration"]
    context["erase_on"] = event.ends_at + guests.GUEST_RETENTION
    return render(request, "events/guest_data.html", context)


@never_cache
@require_safe
def guest_data_download(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    body = json.dumps(guests.guest_data(registration), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="klimanetz-meine-anmeldung.json"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
