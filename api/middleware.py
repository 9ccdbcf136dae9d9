"""What every answer under /api/ gets, before and after the API's own views (django-ninja):

- the language from ``Accept-Language`` alone (German unless English is asked for; the API's addresses carry no
  language prefix), named in ``Content-Language``;
- CORS for reading: ``Access-Control-Allow-Origin: *`` on GET/HEAD answers and a preflight that allows GET and
  HEAD only (no credentials: a token is sent by the client, never a cookie);
- the rate limits (api.ratelimit): 429 problem details with ``Retry-After``;
- the public cache: anonymous (tokenless) GETs of a roadmap's and a network's resources are served from Django's
  cache under the versions of the data they show (networks.cache: the roadmap's and network's scopes, bumped by
  the models' signals; at most PUBLIC_PAGE_CACHE_SECONDS);
- ``ETag`` (of the body) and ``Last-Modified`` (where the resource knows it) with conditional GETs: 304.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation.trans_real import parse_accept_lang_header

from api import ratelimit
from api.problems import problem
from networks import cache

PREFIX = "/api/"
SAFE = ("GET", "HEAD")
JSON_TYPES = ("application/json", "application/problem+json")
KEPT = ("Content-Type", "Last-Modified")
EXPOSED = "ETag, Last-Modified, Retry-After, Content-Language"
# Cached resources and the version scopes of what they show (besides "global").
CACHED = (
    (re.compile(r"^/api/v1/roadmaps/(?P<slug>[-a-zA-Z0-9_]+)/"), lambda m: [f"roadmap:{m['slug']}"]),
    (re.compile(r"^/api/v1/roadmaps/$"), lambda m: ["home"]),
    (re.compile(r"^/api/v1/networks/(?P<slug>[-a-zA-Z0-9_]+)/$"), lambda m: [f"network:{m['slug']}"]),
    (re.compile(r"^/api/v1/openapi\.json$"), lambda m: []),
)


def language_of(request) -> str:
    """The first supported language of Accept-Language; German otherwise (the portal's first language)."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return settings.LANGUAGE_CODE


def bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else (header or None)


def scopes_of(path: str) -> list[str] | None:
    for pattern, scopes in CACHED:
        match = pattern.match(path)
        if match:
            return scopes(match)
    return None


def cache_key(request) -> str:
    """The path, its parameters by name (``?a=1&b=2`` and ``?b=2&a=1`` are one answer; a parameter's values keep
    their order) and the language."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    return "api:" + hashlib.sha256(f"{request.path}?{query}|{translation.get_language()}".encode()).hexdigest()


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if request.method == "OPTIONS":
            return self._preflight(request)
        head = request.method == "HEAD"
        if head:  # answered as the GET, without the body (the operations are declared for GET)
            request.method = "GET"
        raw = bearer(request)
        retry_after = ratelimit.consume(request, raw)
        if retry_after is not None:
            response = problem(request, 429, headers={"Retry-After": str(retry_after)})
        else:
            response = self._answer(request, raw)
        response = self._finish(request, response, language, authorised=raw is not None)
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    def _answer(self, request, raw: str | None) -> HttpResponse:
        scopes = scopes_of(request.path) if request.method in SAFE and raw is None and cache.enabled() else None
        if scopes is None:
            return self.get_response(request)
        key = cache_key(request)
        versions, entry = cache.lookup(key, ["global", *scopes])
        if entry is not None and cache.is_served(key, entry[1]):
            _versions, fresh_until, body, headers = entry
            response = HttpResponse(body, headers=headers)
            response["X-Api-Cache"] = cache.state(fresh_until)
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in KEPT if name in response}
            cache.store(key, versions, cache.timeout(), response.content, headers)
            response["X-Api-Cache"] = "miss"
        return response

    def _preflight(self, request) -> HttpResponse:
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD"
        response["Access-Control-Allow-Headers"] = "Authorization, Accept-Language, If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def _finish(self, request, response: HttpResponse, language: str, *, authorised: bool) -> HttpResponse:
        if response.status_code in (404, 405) and not response.get("Content-Type", "").startswith(JSON_TYPES):
            # an address or a method no operation has: Django's page, answered as problem details too
            allow = response.get("Allow")
            response = problem(request, response.status_code, headers={"Allow": allow} if allow else None)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        if request.method not in SAFE:
            return response
        response["Cache-Control"] = "private, no-cache" if authorised else "public, max-age=0, must-revalidate"
        if response.status_code == 200 and not response.streaming:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            last_modified = response.get("Last-Modified")
            modified = parse_http_date_safe(last_modified) if last_modified else None
            response = get_conditional_response(request, etag=etag, last_modified=modified, response=response)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        return response
