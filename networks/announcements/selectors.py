"""Reads of the announcements: the archive, the drafts, one announcement, the preview."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from networks.access import group_allows, group_allows_q, is_coordinator
from networks.announcements import services
from networks.announcements.models import Announcement


def archive(network, user):
    """The network's sent announcements ``user`` may read, newest first: a closed working group's only for the
    group's readers (networks.access.group_allows)."""
    return (
        Announcement.objects.sent()
        .filter(network=network)
        .filter(group_allows_q(user))
        .for_list()
        .order_by("-sent_at", "-pk")
    )


def drafts(network):
    return (
        Announcement.objects.filter(network=network, state=Announcement.State.DRAFT).for_list().order_by("-updated_at")
    )


def access_announcement(user, network, pk: int) -> Announcement:
    """One announcement of a network whose space the user may read (the caller checked that): sent ones for the
    members, drafts only for the coordination (404 for everyone else: they need not know a draft exists); a closed
    working group's only for the group's readers (404 for the others, as the group's threads and meetings)."""
    found = Announcement.objects.filter(network=network).select_related("author__user", "network", "working_group")
    if not is_coordinator(user, network):
        found = found.sent()
    announcement = get_object_or_404(found, pk=pk)
    if not group_allows(user, announcement.working_group):
        raise Http404
    return announcement


def preview(announcement: Announcement) -> dict:
    """What the compose and send pages show: the email as the members get it and how many it reaches."""
    people = services.recipients(announcement)
    members = services.members_of(announcement.network, people)
    by_email = services.by_email_of(announcement.network, people, members)
    emailed = sum(by_email.values())
    rendered = services.render(announcement, language=(get_language() or "de")[:2], move_link=False)
    return {
        "preview_subject": rendered.subject,
        "preview_text": rendered.text.replace(services.MOVE_LINK, ""),
        "documents": services.documents_of(announcement),
        "recipient_count": len(people),
        "emailed_count": emailed,
        "digest_count": len(people) - emailed,
    }
