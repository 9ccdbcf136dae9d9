"""The announcements in the one search: sent ones, for the members of their network (as the archive shows them); a
closed working group's for ``group:<id>`` and the coordination (networks.search.scopes.internal, the group rule).
Opening or closing a group reindexes its announcements; deleting it too (they become the network's)."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from networks.announcements.models import Announcement
from networks.markdown import plain_start
from networks.models import WorkingGroup


def _plain_text(html: str) -> str:
    return plain_start(html, length=len(html)).strip()


def _document(announcement: Announcement):
    from networks.search import scopes
    from networks.search.registry import SearchDocument

    if not announcement.is_sent:
        return None  # drafts are the coordination's own
    return SearchDocument(
        title=announcement.subject,
        body=_plain_text(announcement.body_html),  # the text as read: no Markdown marks in snippets
        url=announcement.get_absolute_url(),
        network_id=announcement.network_id,
        scopes=scopes.internal(announcement.network_id, announcement.working_group) | {scopes.STAFF},
        date=announcement.sent_at,
    )


def _group_deleted(sender, instance, **kwargs) -> None:
    """A deleted working group's announcements become the network's (working_group: SET_NULL): reindexed when the
    deletion commits (taken here, before the group is gone)."""
    from networks.search.registry import schedule

    schedule("announcement", list(Announcement.objects.filter(working_group=instance).values_list("pk", flat=True)))


def _of_group(group):
    return group.announcements.all() if group.openness_changed else []


def register() -> None:
    try:
        from networks.search.registry import Dependency, Source
        from networks.search.registry import register as register_source
    except ImportError:  # the search room is not there (yet)
        return
    pre_delete.connect(_group_deleted, sender=WorkingGroup, weak=False, dispatch_uid="announcements:group-deleted")
    register_source(
        Source(
            kind="announcement",
            label=_("Announcements"),
            model=Announcement,
            document=_document,
            queryset=lambda: Announcement.objects.select_related("network", "working_group"),
            dependencies=(Dependency(WorkingGroup, _of_group),),
            order=60,
        )
    )
