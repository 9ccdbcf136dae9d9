"""The events of a network as links of its campaigns (networks.campaigns.links: events lie right of networks)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from networks.campaigns.links import MAX_CHOICES, LinkSource, register


def _events(campaign, user):
    from events.models import Event

    return Event.objects.visible_to(user).filter(network_id=campaign.network_id).select_related("network")


def _choices(campaign, user) -> list[tuple[int, str]]:
    rows = _events(campaign, user).order_by("-starts_at", "-pk")[:MAX_CHOICES]
    return [(e.pk, f"{e.title} ({date_format(timezone.localtime(e.starts_at), 'SHORT_DATE_FORMAT')})") for e in rows]


def _items(campaign, ids, user) -> list[dict]:
    rows = _events(campaign, user).filter(pk__in=ids).order_by("starts_at", "pk")
    return [
        {
            "title": e.title,
            "url": e.get_absolute_url(),
            "meta": date_format(timezone.localtime(e.starts_at), "DATE_FORMAT"),
        }
        for e in rows
    ]


def register_source() -> None:
    register(LinkSource("event", _("Events"), _choices, _items, order=10))
