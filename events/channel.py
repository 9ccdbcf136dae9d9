"""events' buttons on a discussion thread (networks.channel.hooks): plan the thread as an event, or record it as an
action item. Both are for the network's coordinators (they plan events and manage action items, DESIGN §4);
registered in EventsConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from networks.access import is_coordinator
from networks.channel.hooks import ThreadAction, register_thread_action


def _coordinates(user, thread) -> bool:
    return is_coordinator(user, thread.network)


def register() -> None:
    register_thread_action(
        ThreadAction(
            key="event",
            label=_("Plan as an event"),
            url=lambda thread: reverse("events:event-create", args=[thread.network.slug]) + f"?thread={thread.pk}",
            allowed=_coordinates,
            order=10,
        )
    )
    register_thread_action(
        ThreadAction(
            key="action_item",
            label=_("Record as an action item"),
            url=lambda thread: (
                reverse("events:action-item-create", args=[thread.network.slug]) + f"?thread={thread.pk}"
            ),
            allowed=_coordinates,
            order=20,
        )
    )
