"""Extension point of the discussions: buttons on a thread page that other apps offer.

events registers "Als Veranstaltung planen" and "Als Aufgabe festhalten" here in its AppConfig.ready()
(networks may not import events, DESIGN §2):

    register_thread_action(ThreadAction(
        key="event",
        label=_("Plan as an event"),
        url=lambda thread: reverse("events:event-create", args=[thread.network.slug]) + f"?thread={thread.pk}",
        allowed=lambda user, thread: is_coordinator(user, thread.network),
    ))

``url`` and ``allowed`` get the thread with its network loaded; ``allowed`` should not query per call beyond
the cached role checks of networks.access.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadAction:
    key: str
    label: str
    url: Callable  # (thread) -> str
    allowed: Callable  # (user, thread) -> bool
    order: int = 100


_ACTIONS: dict[str, ThreadAction] = {}


def register_thread_action(action: ThreadAction) -> None:
    _ACTIONS[action.key] = action


def thread_actions(user, thread) -> list[dict]:
    """[{key, label, url}] of the registered actions ``user`` may take on ``thread``, in their order."""
    return [
        {"key": action.key, "label": action.label, "url": action.url(thread)}
        for action in sorted(_ACTIONS.values(), key=lambda a: (a.order, a.key))
        if action.allowed(user, thread)
    ]
