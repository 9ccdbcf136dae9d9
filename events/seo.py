"""Findable events (issue 16 §3), registered with networks.seo: public events of public networks are indexed,
described by their own text and listed in the sitemap; members' events never (noindex, not listed)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Event
from networks import seo


def _event_public(context: dict) -> bool:
    event = context["event"]
    return event.is_public and event.network.is_public


def _event_description(context: dict) -> str:
    event = context["event"]
    return event.description or event.title


seo.register_page(
    "events:event-list",
    identity=("page",),
    description=lambda context: _("Public events of climate-protection networks: dates, places, how to take part."),
)


def _network_feed(context: dict) -> list[tuple[str, str]]:
    """The network's Atom feed of public events (events.views.guests.NetworkEventsFeed) as <link rel=alternate>."""
    network = context["network"]
    if not network.is_public:
        return []
    title = gettext("Public events: %(network)s") % {"network": network.name}
    return [(title, reverse("events:network-events-atom", args=[network.slug]))]


seo.register_page(
    "events:event-detail", when=_event_public, description=_event_description, feeds=_network_feed, og_type="article"
)
seo.register_page(
    "events:network-calendar",
    when=lambda context: context["network"].is_public,
    identity=("page", "zeitraum"),  # upcoming and past are two lists; the month grid is a view of them
    feeds=_network_feed,
    description=lambda context: gettext("Dates of the network %(network)s.") % {"network": context["network"].name},
)
seo.STATIC_PAGES.append("events:event-list")


class EventSitemap(seo.SiteSitemap):
    """Public events of public networks, past ones included (their outcomes stay worth finding)."""

    changefreq = "weekly"

    def items(self):
        return (
            Event.objects.visible_to(AnonymousUser())  # public, not a closed working group's (events.access)
            .select_related("network")
            .only("pk", "updated_at", "network__slug")
            .order_by("pk")
        )

    def lastmod(self, item: Event) -> datetime:
        return item.updated_at


seo.register_sitemap("events", EventSitemap)
