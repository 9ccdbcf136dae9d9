"""The webhooks' kind of email (networks.mail's registry): a paused endpoint, to the people who manage it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind

KINDS = [
    MailKind(
        "webhook_paused",
        "networks",
        _("A webhook endpoint was paused"),
        _(
            "You receive this email because you manage the webhooks of this organisation or network on Klimanetz. "
            "It comes once when an endpoint is paused; it cannot be switched off, because nothing is sent to the "
            "endpoint until someone resumes it."
        ),
        switchable=False,
        order=90,
    ),
]
