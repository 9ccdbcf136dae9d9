"""An identity provider that cannot be reached while a sign-in through it starts or returns: a page that says so
(502), not a 500. allauth's views let the requests exceptions of its calls to the provider through (discovery at the
start of an OpenID Connect sign-in, the SAML metadata), and networks.outbound refuses a provider address that is not
public or not https (networks.signin.transport)."""

from __future__ import annotations

import logging

import requests
from django.http import HttpRequest
from django.shortcuts import render

from networks import outbound
from networks.signin.selectors import OIDC_PATH, SAML_PATH, provider_by_slug

logger = logging.getLogger(__name__)


class ProviderUnreachableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not request.path.startswith((OIDC_PATH, SAML_PATH)):
            return None
        if not isinstance(exception, (requests.RequestException, outbound.OutboundFailure)):
            return None
        slug = request.path.split("/")[3]
        provider = provider_by_slug(slug)
        if provider is None:
            return None
        logger.warning("identity provider %s unreachable: %s", slug, exception)
        return render(request, "signin/refused.html", {"code": "unreachable", "provider": provider}, status=502)
