"""The discussions on networks' pages (networks.panels places), and a person's posts in their data export.

- network_space: the latest threads. That page is cached per network and role (networks.views.network_space),
  so this panel shows nothing personal; a thread's save bumps the network's cache version (ChannelConfig).
- dashboard: the threads with posts the person has not read, across their networks (personal, not cached).
- working_group: the group's discussion for those who may read it, with join (open groups) and leave.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q
from django.utils import timezone

from networks.access import can_read_working_group, person_in_readable_place
from networks.channel import selectors
from networks.channel.models import Post, Thread, ThreadFollow
from networks.models import NetworkRole
from networks.panels import Panel


def _person(request):
    try:
        return request.user.person
    except (AttributeError, ObjectDoesNotExist):  # anonymous, or an account without a person
        return None


def network_space(request, network) -> dict | None:
    threads = selectors.latest_threads(network, None, limit=6)
    return {"network": network, "threads": threads}


def dashboard(request, person) -> dict | None:
    """Up to 8 threads of the person's networks with unread posts (one query)."""
    networks = NetworkRole.objects.filter(person=person).values("network")
    threads = Thread.objects.filter(person_in_readable_place(person), network__in=networks)  # closed groups: theirs
    threads = selectors.with_reading(threads.select_related("network", "last_post_by"), person)
    # Unread: opened before and grown since, or never opened and new (the rule of selectors.unread_of)
    recent = timezone.now() - selectors.NEW_FOR
    threads = threads.filter(
        Q(last_read__gt=0, post_count__gt=F("last_read")) | Q(last_read=0, last_post_at__gte=recent)
    ).exclude(follow_state=ThreadFollow.State.MUTED)
    found = selectors.decorate(threads.order_by("-last_post_at")[:8])
    return {"threads": found} if found else None


def working_group(request, group) -> dict | None:
    network = group.network
    if not can_read_working_group(request.user, group):
        return None
    person = _person(request)
    threads = selectors.latest_threads(network, person, group=group, limit=10)
    in_group = person is not None and group.members.filter(pk=person.pk).exists()
    may_join = (
        person is not None
        and group.is_active
        and group.is_open
        and not in_group
        and NetworkRole.objects.filter(network=network, person=person).exists()
    )
    return {"group": group, "network": network, "threads": threads, "in_group": in_group, "may_join": may_join}


NETWORK_SPACE = Panel("channel", "channel/panels/network_space.html", network_space, order=20)
DASHBOARD = Panel("channel", "channel/panels/dashboard.html", dashboard, order=30)
WORKING_GROUP = Panel("channel", "channel/panels/working_group.html", working_group, order=10)


def before_account_delete(person) -> None:
    """The person's follows and read markers go; their posts stay, under the anonymised name."""
    ThreadFollow.objects.filter(person=person).delete()


def personal_data(person) -> dict:
    """The person's posts for their data export (GDPR Art. 15/20)."""
    posts = Post.objects.filter(author=person).select_related("thread__network").order_by("created_at")
    return {
        "discussion_posts": [
            {
                "network": post.thread.network.short_name,
                "thread": post.thread.title,
                "number": post.number,
                "written_at": post.created_at.isoformat(),
                "text": post.body,
            }
            for post in posts
        ]
    }
