"""The language switch: the same page in the other language, both ways, on every page shape.

German pages have no prefix, English ones live under ``/en/`` (i18n_patterns with prefix_default_language
off) and both use the same (German) paths. Django's set_language translates ``next`` by resolving it
in the language of the switch request, which is not always the page's: ``/en/netzwerke/`` did not resolve
in German, nor did a 404 page in either, and the visitor stayed on ``/en/``. Here the address is
rewritten by its prefix alone, so it works also for pages that do not resolve, and the page's own
``?next=`` (login, signup) is rewritten along with it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language


def _prefixes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def path_in_language(path: str, language: str) -> str:
    """``/en/netzwerke/`` -> ``/netzwerke/`` for German, and back; other paths gain or lose only the prefix."""
    for code in _prefixes():
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :] or "/"
            break
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return path


def url_in_language(url: str, language: str) -> str:
    """A local address (path, query, fragment) in ``language``; a ``next`` in its query string too."""
    parts = urlsplit(url)
    query = [
        (key, url_in_language(value, language) if key == "next" and _is_local(value) else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(("", "", path_in_language(parts.path or "/", language), urlencode(query), parts.fragment))


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def set_language(request: HttpRequest) -> HttpResponseRedirect:
    """Like django.views.i18n.set_language (POST sets the cookie, GET only goes back), with ``next`` as the
    same page in the chosen language."""
    next_url = request.POST.get("next", request.GET.get("next")) or request.META.get("HTTP_REFERER") or "/"
    hosts = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts=hosts, require_https=request.is_secure())
    next_url = next_url if safe else "/"
    language = request.POST.get("language")
    if request.method != "POST" or not (language and check_for_language(language)):
        return HttpResponseRedirect(next_url)
    response = HttpResponseRedirect(url_in_language(next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
