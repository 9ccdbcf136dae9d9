"""Permission funnels for roadmaps and measures (DESIGN §4), on top of networks.access.

Public: published roadmaps and their published measures, and published proposals/comments.
Editors of the roadmap's organisation (and staff) see and change everything of that roadmap and
moderate its proposals and comments. Unpublished things are a 404 for everyone else.
"""

from __future__ import annotations

from allauth.account.utils import has_verified_email as allauth_has_verified_email
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from measures.models import Comment, Measure, Proposal, Roadmap
from networks.access import is_editor


def can_edit(user, roadmap: Roadmap) -> bool:
    return is_editor(user, roadmap.organisation)


def has_verified_email(user) -> bool:
    """Citizens take part with a verified email address (allauth's own check; no query for visitors)."""
    return user.is_authenticated and allauth_has_verified_email(user)


def access_roadmap(user, slug: str) -> Roadmap:
    """A roadmap the user may read: published ones for everyone, unpublished ones for its editors."""
    roadmap = get_object_or_404(Roadmap.objects.select_related("organisation"), slug=slug)
    if not roadmap.published and not can_edit(user, roadmap):
        raise Http404
    return roadmap


def access_roadmap_edit(user, slug: str) -> Roadmap:
    roadmap = access_roadmap(user, slug)
    if not can_edit(user, roadmap):
        raise PermissionDenied
    return roadmap


def access_measure(user, roadmap: Roadmap, slug: str) -> Measure:
    """A measure of the roadmap: published for everyone, all for editors (404 otherwise)."""
    measure = get_object_or_404(
        Measure.objects.select_related("roadmap__organisation", "lead_organisation", "origin_event"),
        roadmap=roadmap,
        slug=slug,
    )
    if not measure.published and not can_edit(user, roadmap):
        raise Http404
    return measure


def access_measure_edit(user, roadmap: Roadmap, pk: int) -> Measure:
    if not can_edit(user, roadmap):
        raise PermissionDenied if roadmap.published else Http404
    return get_object_or_404(Measure.objects.select_related("roadmap__organisation"), roadmap=roadmap, pk=pk)


def access_proposal(user, roadmap: Roadmap, pk: int) -> Proposal:
    """Published proposals for everyone; pending/rejected only for the author and the editors."""
    proposal = get_object_or_404(Proposal.objects.select_related("author", "roadmap"), roadmap=roadmap, pk=pk)
    if proposal.is_published or can_edit(user, roadmap):
        return proposal
    if user.is_authenticated and proposal.author.user_id == user.pk:
        return proposal
    raise Http404


def access_moderation(user, roadmap: Roadmap) -> Roadmap:
    if not can_edit(user, roadmap):
        raise PermissionDenied
    return roadmap


def access_comment_moderate(user, roadmap: Roadmap, pk: int) -> Comment:
    access_moderation(user, roadmap)
    return get_object_or_404(Comment.objects.select_related("measure", "author"), measure__roadmap=roadmap, pk=pk)


def access_proposal_moderate(user, roadmap: Roadmap, pk: int) -> Proposal:
    access_moderation(user, roadmap)
    return get_object_or_404(Proposal.objects.select_related("author"), roadmap=roadmap, pk=pk)
