"""The registry of digest sections: each room and app says what its part of a person's digest shows.

A section registers with ``register(key=..., title=..., order=..., items=...)`` in its own ``digest.py`` (imported
from its AppConfig.ready()). The digest calls it inside ``translation.override(person.language)``:

    items(person, networks, since, until) -> iterable of Item

- ``networks``: the person's networks whose content of this section's ``stream`` belongs in this digest (the
  builder applies the person's per-network choices, so a section never looks at modes):
  ``POSTS`` (threads, replies): networks whose posts mode is this digest's period ("daily" / "weekly"); never
  "each" (already mailed) nor "off".
  ``ANNOUNCEMENTS``: networks whose announcements the person moved to the digest (daily digest, or weekly when
  that network's posts mode is weekly).
  ``NEWS`` (events, tasks, minutes, documents): networks with posts mode daily or each (daily digest) or weekly
  (weekly digest); none for "off".
- ``since``/``until``: the window (since, until]; an item belongs to the digest when its date lies in it, so that
  nothing comes twice (``until`` is the next run's ``since``).
- Each item: network (a Network or its id), title, url (absolute, or a path the digest prefixes with SITE_URL),
  date (aware datetime: newest first), summary (short plain text), key (stable identity, e.g.
  "channel.post:12"; an item key appears once per digest).

For large runs a section may also (or instead) give ``items_batch(requests) -> {person_id: [Item]}`` over many
``Request``s with a constant number of queries; the digest build uses it when present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

POSTS = "posts"
ANNOUNCEMENTS = "announcements"
NEWS = "news"
STREAMS = (POSTS, ANNOUNCEMENTS, NEWS)


@dataclass(frozen=True)
class Item:
    network: Any  # a Network or its id
    title: str
    url: str
    date: datetime
    summary: str = ""
    key: str = ""
    # shown beside the title: {"badge": "überfällig", "alert": True} (alert: in red)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def network_id(self) -> int:
        return getattr(self.network, "pk", self.network)


@dataclass(frozen=True)
class Request:
    """One person's part of a batch: the section's networks for them and the window."""

    person: Any
    networks: tuple
    since: datetime
    until: datetime


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    order: int = 100
    stream: str = NEWS
    items: Callable[..., Iterable[Item]] | None = None
    items_batch: Callable[[list[Request]], dict[int, list[Item]]] | None = None

    def collect(self, requests: list[Request]) -> dict[int, list[Item]]:
        """Items per person for ``requests`` (the batch function when there is one, else one call per person)."""
        requests = [r for r in requests if r.networks]
        if not requests:
            return {}
        if self.items_batch is not None:
            return {pk: list(found) for pk, found in self.items_batch(requests).items()}
        return {r.person.pk: list(self.items(r.person, list(r.networks), r.since, r.until)) for r in requests}


_SECTIONS: dict[str, Section] = {}


def register(
    *,
    key: str,
    title,
    order: int = 100,
    stream: str = NEWS,
    items: Callable[..., Iterable[Item]] | None = None,
    items_batch: Callable[[list[Request]], dict[int, list[Item]]] | None = None,
) -> Section:
    """Register (or replace, by key) a section of the digest."""
    if stream not in STREAMS:
        raise ValueError(f"unknown stream {stream!r}")
    if items is None and items_batch is None:
        raise ValueError("a section needs items or items_batch")
    section = Section(key=key, title=title, order=order, stream=stream, items=items, items_batch=items_batch)
    _SECTIONS[key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def all_sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def get(key: str) -> Section | None:
    return _SECTIONS.get(key)
