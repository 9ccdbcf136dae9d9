"""The digest's kinds of email (networks.mail's registry).

Not switched off through the kinds of email but through the per-network choices (every post, daily, weekly,
nothing) on the digest settings page: a digest comes only when there is something in it, and each one carries
its own one-click "no more digests" link (List-Unsubscribe) and the link to the choices. The footer says so.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind


def _nobody(person) -> bool:
    """The mail settings page does not list the digests among the kinds that are always sent: its own section
    (the per-network choices) is where they are switched."""
    return False


KINDS = (
    MailKind(
        "digest_daily",
        "networks",
        _("Daily digest"),
        _(
            "You receive this daily digest because it is your choice (or the default) for the networks it "
            "covers. It comes only when there is something new. You can choose per network: every post by email, "
            "a daily or weekly digest, or nothing."
        ),
        switchable=False,
        audience=_nobody,
        order=50,
    ),
    MailKind(
        "digest_weekly",
        "networks",
        _("Weekly digest"),
        _(
            "You receive this weekly digest because you chose it for the networks it covers. It comes only when "
            "there is something new. You can choose per network: every post by email, a daily or weekly digest, "
            "or nothing."
        ),
        switchable=False,
        audience=_nobody,
        order=51,
    ),
)
