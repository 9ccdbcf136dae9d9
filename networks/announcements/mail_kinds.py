"""The kinds of email of the announcements (networks.mail's registry): neither can be switched off.

Announcements of one's own network are what a network is for; a member can only move them into the digest (the
personal link in every announcement and its List-Unsubscribe header), which the footer says.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.announcements.models import INVITATION, REASON
from networks.mail import MailKind

KINDS = [
    MailKind(
        REASON,
        "networks",
        _("Announcements of your networks"),
        _(
            "You receive this email because the coordination of a network you belong to wrote to its members, or to "
            "the participants of one of its events. Announcements of your own networks cannot be switched off; you "
            "can receive them in your digest instead of one by one."
        ),
        switchable=False,
        order=20,
    ),
    MailKind(
        INVITATION,
        "networks",
        _("Invitations to the events of your networks"),
        _(
            "You receive this email because you belong to the network that invites its members to this event. It "
            "comes once per event, with at most one reminder if you have not answered yet."
        ),
        switchable=False,
        order=21,
    ),
]
