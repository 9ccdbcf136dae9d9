"""/metrics (Prometheus) and /readyz (readiness): top-level URLs, no language prefix, for machines."""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from observability import metrics, readiness
from observability.collector import DatabaseCollector

logger = logging.getLogger(__name__)


def _allowed_networks():
    return [ipaddress.ip_network(n, strict=False) for n in settings.METRICS_ALLOWED_NETWORKS]


def metrics_allowed(request: HttpRequest) -> bool:
    """The scraper sends ``Authorization: Bearer <METRICS_TOKEN>``, or comes from one of METRICS_ALLOWED_NETWORKS
    (the client's address as allauth's rate limits take it: behind TRUSTED_PROXY_COUNT proxies, from
    X-Forwarded-For). Neither setting: nobody (metrics are off)."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    if settings.METRICS_ALLOWED_NETWORKS:
        try:
            address = ipaddress.ip_address(get_adapter(request).get_client_ip(request))
        except (PermissionDenied, ValueError):
            return False
        return any(address in network for network in _allowed_networks())
    return False


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """404, not 403, to everyone else, whatever the method: the address does not tell that there is something."""
    if not metrics_allowed(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    body, content_type = metrics.scrape(DatabaseCollector())
    return HttpResponse(body, content_type=content_type)


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this node can serve (database, Redis as broker and cache, object store, migrations applied),
    else 503: the load balancer sends it no traffic. Which check failed is in the JSON; why, only in the log."""
    checks = readiness.run_checks()
    ready = all(result in ("ok", "off") for result in checks.values())
    body = json.dumps({"status": "ok" if ready else "unavailable", "checks": checks})
    return HttpResponse(body, status=200 if ready else 503, content_type="application/json")
