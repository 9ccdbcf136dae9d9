"""The public-page cache: anonymous GETs of public pages, served from Django's cache (Redis in production).

A page is stored under its path, query string, language and the versions of the data it shows. A version
is a counter in the cache, bumped by post_save/post_delete/m2m_changed of the models involved (the apps
register theirs in AppConfig.ready() with ``watch``): a changed row makes every page that shows it miss
on the next request, in every process. Scopes: "global" (every cached page), "home", and one per roadmap
(``roadmap:<pk>``) and per network (``network:<pk>``). Writes that bypass signals (QuerySet.update,
bulk_create) bump with ``bump`` themselves. Time-dependent content (what is upcoming, "today") is bounded
by the timeout of the entries (PUBLIC_PAGE_CACHE_SECONDS, 60 s).

Only for anonymous users without pending messages; never stored: answers other than 200, answers that set
cookies, that touched the session or that vary by user. Pages hold forms (the language switch on every
page): the CSRF token is never stored, the stored page holds a placeholder that each request fills with
its own token (and the CSRF middleware then sets the cookie as for an uncached page).

On by default, except in tests (settings.TESTING) and where the cache is local to a process while DEBUG
is off (several gunicorn workers would not see each other's bumps); ``PUBLIC_PAGE_CACHE`` in the settings
overrides that.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PREFIX = "pagecache"
PLACEHOLDER = "@@klimanetz-csrf-token@@"
CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
LOCAL_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "X-Robots-Tag")


def enabled() -> bool:
    explicit = getattr(settings, "PUBLIC_PAGE_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    if getattr(settings, "TESTING", False):
        return False
    return settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in LOCAL_BACKENDS


def timeout() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60)


# --- Versions -----------------------------------------------------------------------------------------


def _version_key(scope: str) -> str:
    return f"{PREFIX}:v:{scope}"


def bump(*scopes: str) -> None:
    """A new version for each scope: pages stored under the old one are never served again."""
    for scope in scopes:
        key = _version_key(scope)
        try:
            cache.incr(key)
        except ValueError:  # not there (new, or evicted): start from the clock, never from a used number
            cache.set(key, time.time_ns(), timeout=None)


def _versions(scopes: list[str]) -> list:
    found = cache.get_many([_version_key(s) for s in scopes])
    return [found.get(_version_key(s), 0) for s in scopes]


# --- Signals ------------------------------------------------------------------------------------------


def watch(model, scopes) -> None:
    """Bump ``scopes(instance)`` (an iterable of scope names) whenever a ``model`` row is saved or deleted,
    and when one of its many-to-many relations changes."""

    def changed(sender, instance, **kwargs):
        if kwargs.get("raw") or not enabled():
            return  # fixtures; no page cache (tests: no queries added to the writes they count)
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):
            return
        names = scopes(instance)
        bump(*names)  # now: later reads in this transaction (and tests, whose transaction never commits)
        # and again once committed: a page rendered meanwhile by another request from the old rows
        # would otherwise be stored under the new version
        transaction.on_commit(lambda: bump(*names))

    uid = f"pagecache-{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}-{field.name}")


def everything(_instance) -> tuple[str, ...]:
    return ("global",)


def of_roadmap(slug: str | None) -> tuple[str, ...]:
    """A roadmap's pages (keyed by its address) and the home page (its panel shows every roadmap's progress);
    everything when the roadmap is not found (gone in a cascade)."""
    return (f"roadmap:{slug}", "home") if slug else ("global",)


def of_network(slug: str | None) -> tuple[str, ...]:
    """A network's calendar and the home page (its panel shows the next public events of every network)."""
    return (f"network:{slug}", "home") if slug else ("global",)


# --- The decorator ------------------------------------------------------------------------------------


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not enabled():
        return False
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _page_key(request, versions: list) -> str:
    raw = "|".join([request.get_full_path(), get_language() or "", *map(str, versions)])
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _storable(request, response) -> str | None:
    """The body to store with the CSRF tokens taken out, or None when the answer must not be stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if getattr(request, "session", None) is not None and request.session.modified:
        return None
    vary = response.get("Vary", "")
    if "Authorization" in vary:
        return None
    text = response.content.decode(response.charset)
    token = request.META.get("CSRF_COOKIE")
    text = CSRF_INPUT.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), text)
    if token and token in text:  # the secret itself somewhere else in the page: do not keep it
        return None
    return text


def public_page(scopes):
    """Serve the view's answer to anonymous GETs from the cache. ``scopes(request, **view_kwargs)`` names the
    version scopes of the data the page shows (besides "global")."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            names = ["global", *scopes(request, *args, **kwargs)]
            key = _page_key(request, _versions(names))
            stored = cache.get(key)
            if stored is not None:
                body, headers = stored
                if PLACEHOLDER in body:
                    body = body.replace(PLACEHOLDER, get_token(request))
                response = HttpResponse(body, headers=headers)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            body = _storable(request, response)
            if body is not None:
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                cache.set(key, (body, headers), timeout())
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped

    return decorator


def home_scopes(request, *args, **kwargs) -> list[str]:
    return ["home"]


def roadmap_scopes(request, slug: str, *args, **kwargs) -> list[str]:
    return [f"roadmap:{slug}"]


def network_scopes(request, slug: str, *args, **kwargs) -> list[str]:
    return [f"network:{slug}"]
