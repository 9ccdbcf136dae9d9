"""The public-page cache: anonymous GETs of public pages, served from Django's cache (Redis in production).

A page is stored under its path, query string, language and the versions of the data it shows. A version
is a counter in the cache, bumped by post_save/post_delete/m2m_changed of the models involved (the apps
register theirs in AppConfig.ready() with ``watch``): a changed row makes every page that shows it miss
on the next request, in every process. Scopes: "global" (every cached page), "home", and one per roadmap
(``roadmap:<pk>``) and per network (``network:<pk>``). Writes that bypass signals (QuerySet.update,
bulk_create) bump with ``bump`` themselves. Time-dependent content (what is upcoming, "today") is bounded
by the timeout of the entries (PUBLIC_PAGE_CACHE_SECONDS, 60 s), plus the seconds one request takes to
render an expired page afresh while the others still get the old copy (at most STALE_SECONDS, 30 s).

Only for anonymous users without pending messages; never stored: answers other than 200, answers that set
cookies, that touched the session or that vary by user. Pages hold forms (the language switch on every
page): the CSRF token is never stored, the stored page holds a placeholder that each request fills with
its own token (and the CSRF middleware then sets the cookie as for an uncached page).

``member_page`` serves a logged-in page that is the same for everyone its key names (a network's space, per
network, role, staff flag, path and language) the same way, after the view's access check on every request.
``fetch_checked`` caches a person's calendar feed (scopes ``person:<pk>``, bumped by their registrations, roles
and calendar token, ``user:<pk>`` by their account, and their networks'); its access check (the token) is
itself trusted for CHECK_SECONDS. ``remembered`` keeps a small answer a query gives on every request of one
person (their account: networks.backends; their access to a network: networks.access) under the versions of
its scopes, for at most CHECK_SECONDS.

On by default, except where the cache is local to a process while DEBUG is off (several gunicorn workers
would not see each other's bumps); ``PUBLIC_PAGE_CACHE`` in the settings overrides that (the tests set it:
they run with the cache on, as production does).
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

from observability.metrics import cache_lookup

PREFIX = "pagecache"
PLACEHOLDER = b"@@klimanetz-csrf-token@@"
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
LOCAL_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "X-Robots-Tag")


def enabled() -> bool:
    explicit = getattr(settings, "PUBLIC_PAGE_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    return settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in LOCAL_BACKENDS


def timeout() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60)


# --- Versions -----------------------------------------------------------------------------------------


def _version_key(scope: str) -> str:
    return f"{PREFIX}:v:{scope}"


def bump(*scopes: str) -> None:
    """A new version for each scope: pages stored under the old one are never served again. A version that is not
    there (new, or evicted) starts from the clock, never from a used number. On Redis one round trip for all scopes
    (config.cache.TolerantRedisCache.incr_or_start): every save of a watched row bumps."""
    keys = [_version_key(scope) for scope in dict.fromkeys(scopes)]
    if hasattr(cache, "incr_or_start"):
        cache.incr_or_start(keys, time.time_ns())
        return
    for key in keys:  # the local-memory cache of `make run`
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, time.time_ns(), timeout=None)


# --- Signals ------------------------------------------------------------------------------------------


def watch(model, scopes, *, ignore: tuple[str, ...] = ()) -> None:
    """Bump ``scopes(row)`` (an iterable of scope names) whenever a ``model`` row is saved or deleted, and when
    one of its many-to-many relations changes, from either side; not for saves of only the ``ignore`` fields."""

    def row_changed(sender, instance, **kwargs):
        if kwargs.get("raw") or not enabled():
            return  # fixtures; no page cache
        fields = kwargs.get("update_fields")
        if ignore and fields and set(fields) <= set(ignore):
            return
        bump_now_and_on_commit(scopes(instance))

    uid = f"pagecache-{model._meta.label}"
    post_save.connect(row_changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(row_changed, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        relation_changed = _relation_watcher(model, field, scopes)
        through = field.remote_field.through
        m2m_changed.connect(relation_changed, sender=through, weak=False, dispatch_uid=f"{uid}-{field.name}")


def _relation_watcher(model, field, scopes):
    """The m2m_changed receiver of ``model``'s many-to-many ``field``. Changed from ``model``'s side
    (``group.members.add(person)``), the instance is the watched row; from the other side
    (``person.working_groups.remove(group)``, reverse) it is the other row, and the watched rows are
    ``pk_set``: the scopes of each of them are bumped. ``clear()`` from the other side names no rows: they
    are read at pre_clear, while still linked, and bumped then (nothing in between reads them)."""

    def watched_rows(instance, action: str, pk_set):
        if action == "pre_clear":
            return model._base_manager.filter(**{field.name: instance.pk})
        return model._base_manager.filter(pk__in=pk_set) if pk_set else []

    def relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not enabled():
            return
        if not reverse:
            if action.startswith("post_"):
                bump_now_and_on_commit(scopes(instance))
            return
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if scopes is everything:  # the same for every row: no need to read them
            bump_now_and_on_commit(everything(None))
            return
        names = [name for row in watched_rows(instance, action, pk_set) for name in scopes(row)]
        if names:
            bump_now_and_on_commit(tuple(dict.fromkeys(names)))

    return relation_changed


def bump_now_and_on_commit(names) -> None:
    """Bump now and once more when the transaction commits (at once outside a transaction)."""
    names = tuple(names)
    bump(*names)  # now: later reads in this transaction (and tests, whose transaction never commits)
    # and again once committed: a page rendered meanwhile by another request from the old rows would
    # otherwise be stored under the new version
    transaction.on_commit(lambda: bump(*names))


def everything(_instance) -> tuple[str, ...]:
    return ("global",)


def of_roadmap(slug: str | None) -> tuple[str, ...]:
    """A roadmap's pages (keyed by its address) and the home page (its panel shows every roadmap's progress);
    everything when the roadmap is not found (gone in a cascade)."""
    return (f"roadmap:{slug}", "home") if slug else ("global",)


def of_network(slug: str | None) -> tuple[str, ...]:
    """A network's calendar and the home page (its panel shows the next public events of every network)."""
    return (f"network:{slug}", "home") if slug else ("global",)


def of_person(pk: int) -> tuple[str, ...]:
    """What is cached for one person: their calendar feed (their registrations, roles, calendar token)."""
    return (f"person:{pk}",)


# --- Entries ------------------------------------------------------------------------------------------
#
# An entry is stored under a key of its own (not of its versions) with the versions it was rendered under:
# one MGET fetches the current versions and the entry together (one Redis round trip per hit), and it is
# served only while its versions are the current ones. Versions are read before the rendering, so an entry
# rendered from rows that changed meanwhile carries the old version and misses (watch() bumps again on
# commit). An entry is fresh for its timeout; for STALE_SECONDS after that one request renders it afresh
# while the others are still served the old copy (no stampede of 20 renders when a busy page expires).

STALE_SECONDS = 30
RENEW_SECONDS = 10  # how long one request holds the right to renew an expired entry


def lookup(key: str, scopes) -> tuple[tuple, tuple | None]:
    """(the current versions of ``scopes``, the entry under ``key`` when it was made under them, else None)."""
    version_keys = [_version_key(s) for s in scopes]
    found = cache.get_many([*version_keys, key])
    versions = tuple(found.get(k, 0) for k in version_keys)
    entry = found.get(key)
    if entry is None or entry[0] != versions:
        return versions, None
    return versions, entry


def is_served(key: str, fresh_until: float) -> bool:
    """Serve this (current) entry? Yes while fresh; once expired, to everyone but the one request that
    renders it afresh."""
    if time.time() < fresh_until:
        return True
    return not cache.add(f"{key}:renew", 1, RENEW_SECONDS)


def state(fresh_until: float) -> str:
    return "hit" if time.time() < fresh_until else "stale"


def store(key: str, versions: tuple, seconds: int, *payload) -> None:
    cache.set(key, (versions, time.time() + seconds, *payload), seconds + STALE_SECONDS)


CHECK_SECONDS = 60  # fetch_checked, remembered: how long a passed check is trusted without a bump telling otherwise


def remembered(key: str, scopes, compute, *, seconds: int = CHECK_SECONDS):
    """``compute()``'s value, kept under ``key`` while the versions of ``scopes`` are current, at most
    CHECK_SECONDS: for what a query decides on every request of one person (their account, their access to a
    network). A hit is one cache read and no query. What changes the value must bump one of the scopes; the
    timeout bounds what a bump lost while the cache was unreachable can leave behind. The versions are read
    before ``compute()``: a value computed from rows that changed meanwhile is stored under the old versions
    and misses. Not stored when ``compute()`` raises."""
    if not enabled():
        return compute()
    versions, entry = lookup(key, scopes)
    if entry is not None:
        cache_lookup("remembered", "hit")
        return entry[1]
    cache_lookup("remembered", "miss")
    value = compute()
    cache.set(key, (versions, value), seconds)
    return value


def _current(names, extra: str) -> tuple[tuple, bool]:
    """(the versions of the scopes ``names``, whether ``extra`` is in the cache): one cache read."""
    version_keys = [_version_key(s) for s in names]
    found = cache.get_many([*version_keys, extra])
    return tuple(found.get(k, 0) for k in version_keys), extra in found


def fetch_checked(key: str, seconds: int, check, scopes, render) -> tuple[tuple, str]:
    """Like the pages, for content whose scopes are known only from the data and whose access check is a
    query: a person's calendar feed, reached by its secret (the person, their networks). The entry keeps the
    names of its scopes; a hit is two cache reads (the entry; the versions of its scopes with the mark of a
    recent check) and no query.

    ``check()`` returns the subject or raises (Http404): it runs on every miss, and on a hit when its last
    pass is older than CHECK_SECONDS. What makes it fail must bump one of the subject's scopes (a renewed
    secret, a deactivated account): then the entry misses and the check runs at once. The mark bounds what a
    bump lost while the cache was unreachable can leave behind. ``scopes(subject)`` names the scopes (besides
    "global"), ``render(subject)`` returns the payload tuple. Their rows are read after the versions: the
    subject is checked again once they are read, and the entry is not stored when its scopes changed
    meanwhile."""
    if not enabled():
        return render(check()), "off"
    checked = f"{key}:checked"
    entry = cache.get(key)
    if entry is not None:
        names, versions, fresh_until, *payload = entry
        current, recent = _current(names, checked)
        if current == versions and is_served(key, fresh_until):
            if not recent:
                check()
                cache.set(checked, 1, CHECK_SECONDS)
            cache_lookup("feed", state(fresh_until))
            return tuple(payload), state(fresh_until)
    cache_lookup("feed", "miss")
    names = ("global", *scopes(check()))
    versions, _recent = _current(names, checked)
    subject = check()
    payload = render(subject)
    if ("global", *scopes(subject)) == names:
        cache.set(key, (names, versions, time.time() + seconds, *payload), seconds + STALE_SECONDS)
        cache.set(checked, 1, CHECK_SECONDS)
    return payload, "miss"


# --- The decorator ------------------------------------------------------------------------------------


SAFE_METHODS = ("GET", "HEAD")  # a HEAD is answered like the GET (the server leaves out the body)


def _cacheable_request(request) -> bool:
    if request.method not in SAFE_METHODS or not enabled():
        return False
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _page_key(request) -> str:
    raw = "|".join([request.get_full_path(), get_language() or ""])
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _storable(request, response) -> bytes | None:
    """The body to store with the CSRF tokens taken out, or None when the answer must not be stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if getattr(request, "session", None) is not None and request.session.modified:
        return None
    vary = response.get("Vary", "")
    if "Authorization" in vary:
        return None
    body = CSRF_INPUT.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), response.content)
    token = request.META.get("CSRF_COOKIE")
    if token and token.encode() in body:  # the secret itself somewhere else in the page: do not keep it
        return None
    return body


def public_page(scopes):
    """Serve the view's answer to anonymous GETs from the cache. ``scopes(request, **view_kwargs)`` names the
    version scopes of the data the page shows (besides "global")."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            scoped = scopes(request, *args, **kwargs)
            render = functools.partial(view, request, *args, **kwargs)
            return _cached_page(request, _page_key(request), scoped, render, kind="public_page")

        return wrapped

    return decorator


def _cached_page(request, key: str, scopes, render, *, kind: str) -> HttpResponse:
    """The answer stored under ``key`` while the versions of ``scopes`` (and "global") are current, with the
    request's own CSRF token filled in; else ``render()``'s, stored when it may be (_storable). ``kind`` names
    the cache in the metrics (public_page, member_page)."""
    versions, entry = lookup(key, ["global", *scopes])
    if entry is not None and is_served(key, entry[1]):
        _versions, fresh_until, body, headers, has_token = entry
        if has_token:
            body = body.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, headers=headers)
        response["X-Page-Cache"] = state(fresh_until)
        cache_lookup(kind, state(fresh_until))
        return response
    cache_lookup(kind, "miss")
    response = render()
    body = _storable(request, response)
    if body is not None:
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        store(key, versions, timeout(), body, headers, PLACEHOLDER in body)
        response["X-Page-Cache"] = "miss"
    return response


def member_page(request, key: str, scopes, render) -> HttpResponse:
    """A logged-in page from the cache, for a page that is the same for everyone ``key`` names: who may see
    it is checked before, on every request, and the key holds everything of the viewer's that the page shows
    besides the CSRF token (for the network space: the network, the role, the staff flag; the path and
    language are added here). The token is filled in per request as on public pages; pages with messages
    pending are rendered, never stored."""
    if request.method not in SAFE_METHODS or not enabled() or len(get_messages(request)):
        return render()
    return _cached_page(request, f"{key}:{_page_key(request)}", scopes, render, kind="member_page")


def home_scopes(request, *args, **kwargs) -> list[str]:
    return ["home"]


def roadmap_scopes(request, slug: str, *args, **kwargs) -> list[str]:
    return [f"roadmap:{slug}"]


def network_scopes(request, slug: str, *args, **kwargs) -> list[str]:
    return [f"network:{slug}"]
