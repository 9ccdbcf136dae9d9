"""What a campaign links to: its events, documents and announcements (issue 17 §5).

A registry of sources, because events lie to the right of networks (DESIGN §2): events registers its source in
its AppConfig.ready(); the rooms' sources (networks.library documents, networks.announcements) are registered
here. A source answers two questions, each in one query and only with what the user may see:
- ``choices(campaign, user)``: what the coordination can link, newest first (at most ``MAX_CHOICES``);
- ``items(campaign, ids, user)``: the linked ones as {title, url, meta}, for the campaign's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MAX_CHOICES = 200


@dataclass(frozen=True)
class LinkSource:
    key: str
    label: str
    choices: Callable  # (campaign, user) -> list[(id, label)]
    items: Callable  # (campaign, ids, user) -> list[dict(title, url, meta)]
    order: int = 100


_SOURCES: dict[str, LinkSource] = {}


def register(source: LinkSource) -> None:
    _SOURCES[source.key] = source


def sources() -> list[LinkSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def source(key: str) -> LinkSource | None:
    return _SOURCES.get(key)


def linked(campaign, user) -> list[dict]:
    """[{key, label, items}] of the campaign's links the user may see (one query for the links, one per source
    that has any)."""
    from networks.campaigns.models import CampaignLink

    ids: dict[str, list[int]] = {}
    for key, object_id in CampaignLink.objects.filter(campaign=campaign).values_list("source", "object_id"):
        ids.setdefault(key, []).append(object_id)
    out = []
    for entry in sources():
        if ids.get(entry.key):
            items = entry.items(campaign, ids[entry.key], user)
            if items:
                out.append({"key": entry.key, "label": entry.label, "items": items})
    return out


# --- the rooms' sources ----------------------------------------------------------------------------------------


def _documents(campaign, user):
    from networks import access
    from networks.library.models import Document

    return (
        Document.objects.live()
        .filter(network_id=campaign.network_id)
        .filter(access.in_readable_place(user))
        .select_related("network")
    )


def _document_choices(campaign, user) -> list[tuple[int, str]]:
    rows = _documents(campaign, user).order_by("-updated_at", "-pk")[:MAX_CHOICES]
    return [(d.pk, d.title) for d in rows]


def _document_items(campaign, ids, user) -> list[dict]:
    rows = _documents(campaign, user).filter(pk__in=ids).order_by("title", "pk")
    return [
        {"title": d.title, "url": d.get_absolute_url(), "meta": date_format(d.updated_at, "DATE_FORMAT")} for d in rows
    ]


def _announcements(campaign):
    from networks.announcements.models import Announcement

    return (
        Announcement.objects.sent()
        .filter(network_id=campaign.network_id)
        .select_related("network")
        .defer("body", "body_html")
    )


def _announcement_choices(campaign, user) -> list[tuple[int, str]]:
    rows = _announcements(campaign).order_by("-sent_at", "-pk")[:MAX_CHOICES]
    return [(a.pk, f"{a.subject} ({date_format(a.sent_at, 'SHORT_DATE_FORMAT')})") for a in rows]


def _announcement_items(campaign, ids, user) -> list[dict]:
    rows = _announcements(campaign).filter(pk__in=ids).order_by("-sent_at", "-pk")
    return [
        {"title": a.subject, "url": a.get_absolute_url(), "meta": date_format(a.sent_at, "DATE_FORMAT")} for a in rows
    ]


def register_rooms() -> None:
    register(LinkSource("document", _("Documents"), _document_choices, _document_items, order=20))
    register(LinkSource("announcement", _("Announcements"), _announcement_choices, _announcement_items, order=30))
