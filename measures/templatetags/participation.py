"""The participation section under a measure or a proposal: follow, comment threads with one level of replies
(editors' replies marked as official answers), published feedback, the comment form (with the netiquette at the
first contribution, the text and the errors of a refused comment), and feedback without an account.

``{% load participation %}{% participation_section measure=measure %}`` or ``proposal=proposal``; reads the
request, ``roadmap`` and ``can_edit``/``can_moderate`` from the page's context. A constant number of queries."""

from __future__ import annotations

from django import template
from django.urls import reverse

from measures import access, threads
from measures.models import Frequency
from measures.public import PublicMeasure
from measures.services import follows, participation
from networks.pages import person_of

register = template.Library()

COMMENT_DRAFT = "measures:comment-draft"
COMMENT_ERRORS = "measures:comment-errors"


def _draft(request, key: str, *, measure, proposal) -> dict | None:
    """The refused comment of this page from the session (read once)."""
    if not request.user.is_authenticated:
        return None
    data = request.session.get(key)
    if not isinstance(data, dict):
        return None
    if data.get("measure") != getattr(measure, "pk", None) or data.get("proposal") != getattr(proposal, "pk", None):
        return None
    request.session.pop(key, None)
    return data


@register.inclusion_tag("measures/partials/comment_section.html", takes_context=True)
def participation_section(context, *, measure=None, proposal=None):
    request = context["request"]
    user = request.user
    roadmap = context["roadmap"]
    editor = bool(context.get("can_edit") or context.get("can_moderate"))
    if isinstance(measure, PublicMeasure):  # the public page's read-only view: the model behind it
        measure = measure._measure
    subject = measure if measure is not None else proposal
    person = person_of(request) if user.is_authenticated else None
    verified = access.has_verified_email(user)
    refused = _draft(request, COMMENT_ERRORS, measure=measure, proposal=proposal) or {}
    if refused:
        request.session.pop(COMMENT_DRAFT, None)
    text = refused.get("text", "") or context.get("comment_text", "")
    errors = refused.get("errors", {}) if isinstance(refused.get("errors"), dict) else {}
    open_thread = not proposal or proposal.is_published
    follow = follows.following(person, subject) if person is not None else None
    if measure is not None:
        action = "measures:comment-create"
        action_args = [roadmap.slug, measure.slug]
        follow_url = reverse("measures:follow-measure", args=[roadmap.slug, measure.slug])
    else:
        action = "measures:proposal-comment-create"
        action_args = [roadmap.slug, proposal.pk]
        follow_url = reverse("measures:follow-proposal", args=[roadmap.slug, proposal.pk])
    return {
        "request": request,
        "user": user,
        "roadmap": roadmap,
        "measure": measure,
        "proposal": proposal,
        "subject": subject,
        "editor": editor,
        "threads": threads.threads(user=user, editor=editor, measure=measure, proposal=proposal),
        "feedback": threads.published_feedback(measure) if measure is not None else [],
        "person": person,
        "verified": verified,
        "asks_netiquette": person is not None and not participation.netiquette_accepted(person),
        "open": open_thread and roadmap.published,
        "comment_text": text if not refused.get("parent") else "",
        "reply_text": text if refused.get("parent") else "",
        "reply_parent": str(refused.get("parent") or ""),
        "errors_text": [*errors.get("text", []), *errors.get("__all__", []), *errors.get("parent", [])],
        "errors_netiquette": errors.get("netiquette", []),
        "action": action,
        "action_args": action_args,
        "follow": follow,
        "follow_url": follow_url,
        "frequencies": Frequency.choices,
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.inclusion_tag("measures/partials/follow_button.html", takes_context=True)
def follow_roadmap(context, roadmap):
    """The follow form on a roadmap's page; measures and proposals have theirs in the participation section."""
    request = context["request"]
    person = person_of(request) if request.user.is_authenticated else None
    return {
        "request": request,
        "user": request.user,
        "follow": follows.following(person, roadmap) if person is not None else None,
        "follow_url": reverse("measures:follow-roadmap", args=[roadmap.slug]),
        "frequencies": Frequency.choices,
        "csrf_token": context.get("csrf_token"),
        "subject": roadmap,
    }
