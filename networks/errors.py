"""The 403 page with a way in (config.urls.handler403).

On a network's page a person who is not a member is refused; the page then says how to get in: a signed-in person
can ask the coordination (networks.membership_requests), an anonymous visitor can log in. Members refused a page
of the coordination are told whom to ask. Everything here must work for any request: a 403 page never fails.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from networks import access
from networks.models import Network


def _network_of(request: HttpRequest) -> Network | None:
    """The network whose page was refused: the ``slug`` of a URL under netzwerke/, if the user may see it."""
    match = request.resolver_match
    if match is None or "slug" not in match.kwargs or "netzwerke/<slug:slug>/" not in match.route:  # also under /en/
        return None
    return Network.objects.visible_to(request.user).select_related("host").filter(slug=match.kwargs["slug"]).first()


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    network = _network_of(request)
    context = {"network_refused": network}
    if network is not None:
        context["refused_is_member"] = access.is_member(request.user, network)
    return render(request, "403.html", context, status=403)
