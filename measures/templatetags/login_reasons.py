"""Why a login is needed, told on the login and sign-up pages from where the visitor came from (their ``next``):
"Um einen Vorschlag einzureichen, melden Sie sich bitte an oder legen ein Konto an." (FINDINGS, Citizens)."""

from __future__ import annotations

from django import template
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

register = template.Library()

REASONS = {
    "measures:proposal-create": _("To submit a proposal, please log in or create an account."),
    "measures:proposal-support": _("To support a proposal, please log in or create an account."),
    "measures:comment-create": _("To write a comment, please log in or create an account."),
    "measures:proposal-comment-create": _("To write a comment, please log in or create an account."),
    "measures:follow-roadmap": _("To follow a roadmap, please log in or create an account."),
    "measures:follow-measure": _("To follow a measure, please log in or create an account."),
    "measures:follow-proposal": _("To follow a proposal, please log in or create an account."),
    "measures:my-participation": _("To see your proposals and comments, please log in."),
}


@register.simple_tag
def login_reason(next_url: str | None) -> str:
    """The reason for the page ``next_url`` (a path on this site), or ""."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//"):
        return ""
    try:
        match = resolve(next_url.split("?", 1)[0])
    except Resolver404:
        return ""
    return REASONS.get(match.view_name, "")
