"""What every answer under /api/ gets, in two middlewares.

``ApiCacheMiddleware``, right after WhiteNoise (before sessions, locale, CSRF, authentication, messages, allauth,
CSP: none of them runs for a hit):

- the language from ``Accept-Language`` alone (German unless English is asked for; the API's addresses carry no
  language prefix): ``language_of``, the one place it is negotiated (ApiMiddleware activates the same);
- the rate limits (api.ratelimit), counted here for every request, answered (429 problem details with
  ``Retry-After``) by ApiMiddleware;
- the public cache: anonymous (tokenless) GETs of a roadmap's and a network's resources are served from Django's
  cache under the versions of the data they show (networks.cache: the roadmap's and network's scopes, bumped by
  the models' signals; at most PUBLIC_PAGE_CACHE_SECONDS). An entry is the answer as the whole stack gave it: the
  encoded body and every header the middlewares below added (security headers, CSP, Vary, ETag, CORS), so a hit is
  the same answer without running them; one cache read (the versions and the entry together) besides the count.
  A hit answers conditional GETs itself (304 with the headers the stack gives a 304).

``ApiMiddleware``, last:

- activates the language and names it in ``Content-Language``;
- CORS for reading: ``Access-Control-Allow-Origin: *`` on GET/HEAD answers and a preflight that allows GET and
  HEAD only (no credentials: a token is sent by the client, never a cookie);
- the 429 of a request over its limit;
- ``ETag`` (of the body) and ``Last-Modified`` (where the resource knows it) with conditional GETs: 304.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import ResolverMatch
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation.trans_real import parse_accept_lang_header

from api import ratelimit
from api.problems import problem
from networks import cache
from observability.metrics import cache_lookup

PREFIX = "/api/"
SAFE = ("GET", "HEAD")
JSON_TYPES = ("application/json", "application/problem+json")
PRECONDITIONS = ("If-Match", "If-Unmodified-Since")  # rare: the stack answers them (a 412)
EXPOSED = "ETag, Last-Modified, Retry-After, Content-Language"
# Cached resources and the version scopes of what they show (besides "global").
CACHED = (
    (re.compile(r"^/api/v1/roadmaps/(?P<slug>[-a-zA-Z0-9_]+)/"), lambda m: [f"roadmap:{m['slug']}"]),
    (re.compile(r"^/api/v1/roadmaps/$"), lambda m: ["home"]),
    # the network and its events (what is upcoming moves with time: bounded by the entries' timeout, as the calendar)
    (re.compile(r"^/api/v1/networks/(?P<slug>[-a-zA-Z0-9_]+)/(?:events/)?$"), lambda m: [f"network:{m['slug']}"]),
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


def cache_key(request, language: str) -> str:
    """The path, its parameters by name (``?a=1&b=2`` and ``?b=2&a=1`` are one answer; a parameter's values keep
    their order) and the language the view answers in."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    return "api:" + hashlib.sha256(f"{request.path}?{query}|{language}".encode()).hexdigest()


def _not_modified(headers: dict) -> HttpResponse:
    """The 304 of a cached answer, with the headers the stack gives a 304 (get_conditional_response keeps the
    validators and Vary, ApiMiddleware adds CORS, the outer middlewares their headers): all of the 200's but its
    Content-Type; no body."""
    response = HttpResponseNotModified()
    for name, value in headers.items():
        if name.lower() not in ("content-type", "content-length"):
            response[name] = value
    response["Content-Length"] = "0"
    return response


class ApiCacheMiddleware:
    """Right after WhiteNoise: the language, the rate-limit count and the public cache's hits (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        request.api_language = language = language_of(request)
        raw = bearer(request)
        scopes = scopes_of(request.path) if self._cacheable(request, raw) else None
        try:
            request.get_host()  # the allowed hosts, as CommonMiddleware checks them on the way to every answer
            key = cache_key(request, language) if scopes is not None else ""
        except (DisallowedHost, TooManyFieldsSent):  # the stack answers them (400), as without the cache
            key = ""
        version_keys = [cache._version_key(scope) for scope in ("global", *(scopes or ()))]
        # the count, the versions and the entry: one round trip
        retry_after, found = ratelimit.consume(request, raw, [*version_keys, key] if key else ())
        request.api_retry_after = retry_after
        if not key or retry_after is not None:
            return self.get_response(request)
        versions = tuple(found.get(k, 0) for k in version_keys)
        entry = found.get(key)
        if entry is not None and entry[0] == versions and cache.is_served(key, entry[1]):
            return self._hit(request, entry)
        cache_lookup("api", "miss")
        head = request.method == "HEAD"  # answered with the GET's headers and no body: nothing to store
        response = self.get_response(request)
        if not head and response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: value for name, value in response.items() if name != "X-Api-Cache"}
            match = request.resolver_match
            cache.store(key, versions, cache.timeout(), response.content, headers, match and match.view_name)
            response["X-Api-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable(request, raw: str | None) -> bool:
        """A tokenless GET or HEAD without preconditions other than the validators'."""
        if request.method not in SAFE or raw is not None:
            return False
        return cache.enabled() and not any(name in request.headers for name in PRECONDITIONS)

    def _hit(self, request, entry) -> HttpResponse:
        _versions, fresh_until, body, headers, view_name = entry
        state = cache.state(fresh_until)
        cache_lookup("api", state)
        if view_name:  # named in the request metrics (observability) without resolving the address again
            namespace, _, url_name = view_name.rpartition(":")
            request.resolver_match = ResolverMatch(None, (), {}, url_name, namespaces=namespace.split(":"))
        etag, last_modified = headers.get("ETag"), headers.get("Last-Modified")
        modified = parse_http_date_safe(last_modified) if last_modified else None
        probe = HttpResponse(status=200)  # get_conditional_response only reads the request and the validators
        if get_conditional_response(request, etag=etag, last_modified=modified, response=probe) is not probe:
            return _not_modified(headers)
        response = HttpResponse(b"" if request.method == "HEAD" else body, headers=headers)
        response["X-Api-Cache"] = state
        return response


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        language = getattr(request, "api_language", None) or language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if request.method == "OPTIONS":
            return self._preflight(request)
        head = request.method == "HEAD"
        if head:  # answered as the GET, without the body (the operations are declared for GET)
            request.method = "GET"
        raw = bearer(request)
        retry_after = request.api_retry_after  # counted by ApiCacheMiddleware
        if retry_after is not None:
            response = problem(request, 429, headers={"Retry-After": str(retry_after)})
        else:
            response = self.get_response(request)
        response = self._finish(request, response, language, authorised=raw is not None)
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
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
