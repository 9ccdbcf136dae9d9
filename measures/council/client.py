"""Reading an OParl 1.0/1.1 interface: one object, or a list page by page (``links.next``).

Every request goes through networks.outbound (the portal's one checked HTTP client: no private addresses,
timeouts, a size limit); ``fetch_json`` is the only place this app calls it. Whatever goes wrong becomes a
``ReadFailure`` with a code (models.SyncError) and the address: the endpoint stores both and the editors' page
says it in their language (messages.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from measures.council.models import SyncError
from networks import outbound

TYPE_PREFIXES = ("https://schema.oparl.org/1.1/", "https://schema.oparl.org/1.0/")


class ReadFailure(Exception):
    def __init__(self, code: str, url: str = "", status: int | None = None) -> None:
        super().__init__(f"{code} {status or ''} {url}".strip())
        self.code = code
        self.url = url
        self.status = status


def _setting(name: str, default):
    return getattr(settings, name, default)


def fetch_json(url: str, *, headers: dict | None = None) -> dict | None:
    """The JSON object at ``url``; None for 304 Not Modified."""
    try:
        response = outbound.fetch(
            "GET",
            url,
            headers={"Accept": "application/json", **(headers or {})},
            timeout=_setting("COUNCIL_TIMEOUT", 15.0),
            max_bytes=_setting("COUNCIL_MAX_BYTES", 5_000_000),
            https_only=_setting("COUNCIL_HTTPS_ONLY", True),  # off only in the tests' http server on 127.0.0.1
        )
    except outbound.OutboundRefused as exc:
        raise ReadFailure(SyncError.REFUSED, url) from exc
    except outbound.OutboundTimeout as exc:
        raise ReadFailure(SyncError.TIMEOUT, url) from exc
    except outbound.OutboundTooLarge as exc:
        raise ReadFailure(SyncError.TOO_LARGE, url) from exc
    except outbound.OutboundFailure as exc:
        raise ReadFailure(SyncError.UNREACHABLE, url) from exc
    if response.status == 304:
        return None
    if response.status != 200:
        raise ReadFailure(SyncError.HTTP_STATUS, url, response.status)
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested beyond reason
        raise ReadFailure(SyncError.NOT_JSON, url) from exc
    if not isinstance(data, dict):
        raise ReadFailure(SyncError.NOT_OPARL, url)
    return data


def type_of(obj: dict) -> str:
    """ "Paper" for https://schema.oparl.org/1.1/Paper; "" for anything else."""
    kind = obj.get("type")
    if isinstance(kind, str) and kind.startswith(TYPE_PREFIXES):
        return kind.rsplit("/", 1)[-1]
    return ""


def get_object(url: str, expected: str) -> dict:
    obj = fetch_json(url)
    if obj is None or type_of(obj) != expected or not isinstance(obj.get("id"), str):
        raise ReadFailure(SyncError.NOT_OPARL, url)
    return obj


def with_params(url: str, **params) -> str:
    """``url`` with the OParl list parameters added (``modified_since``...; None values left out)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def since_param(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def walk(url: str, *, since: datetime | None = None) -> Iterator[tuple[list[dict], str | None]]:
    """The pages of the list at ``url``: (its objects, the next page's URL or None). The first page is asked
    with If-Modified-Since when ``since`` is given (304: nothing changed, no page); a ``next`` that points back
    to a page already read ends the list (a broken server must not keep a worker busy)."""
    seen: set[str] = set()
    headers = {"If-Modified-Since": format_datetime(since.astimezone(UTC), usegmt=True)} if since else None
    while url:
        seen.add(url)
        page = fetch_json(url, headers=headers)
        headers = None
        if page is None:
            return
        data = page.get("data")
        if not isinstance(data, list):
            raise ReadFailure(SyncError.NOT_OPARL, url)
        links = page.get("links") if isinstance(page.get("links"), dict) else {}
        following = links.get("next")
        url = following if isinstance(following, str) and following not in seen else None
        yield [obj for obj in data if isinstance(obj, dict)], url
