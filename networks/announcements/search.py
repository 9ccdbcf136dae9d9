"""The announcements in the one search: sent ones, for the members of their network (as the archive shows them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.announcements.models import Announcement
from networks.markdown import plain_start


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
        scopes=frozenset({scopes.members(announcement.network_id), scopes.STAFF}),
        date=announcement.sent_at,
    )


def register() -> None:
    try:
        from networks.search.registry import Source
        from networks.search.registry import register as register_source
    except ImportError:  # the search room is not there (yet)
        return
    register_source(
        Source(
            kind="announcement",
            label=_("Announcements"),
            model=Announcement,
            document=_document,
            queryset=lambda: Announcement.objects.select_related("network"),
            order=60,
        )
    )
