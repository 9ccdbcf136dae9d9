"""The kinds of email the discussions send (networks.mail's registry; registered in ChannelConfig.ready()).

Who gets what for a new post (one email per person and post at most, networks.channel.notify):
1. "channel_post": everyone who chose "every post by email" for the network (networks.digest's per-network
   choice, not a switch here), except in threads they muted;
2. otherwise "channel_reply": replies in threads they follow; whoever starts a thread follows it (the answers to
   one's own question come at once, whatever the network's choice), and anyone can follow or mute any thread;
3. otherwise "channel_mention": when someone mentions them with @Name.
Nobody gets an email of their own post.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import Area, MailKind, coordinates_a_network, in_a_network

AREA = Area("discussions", _("Discussions"), order=25)


KINDS = [
    MailKind(
        "channel_post",
        "discussions",
        _("Every post of a network's discussions"),
        _(
            "You receive this email because you chose to get every post of this network's discussions by email. "
            "Choose a daily or weekly digest instead in your notification settings for the network."
        ),
        switchable=False,
        help=_(
            "Chosen per network under “Notifications”: every post by email, a daily or weekly digest (the default), "
            "or nothing."
        ),
        order=10,
        audience=in_a_network,  # the discussions are the members' (networks.channel.access)
    ),
    MailKind(
        "channel_reply",
        "discussions",
        _("Replies in threads I follow"),
        _("You receive this email because you follow this thread."),
        help=_(
            "At once, for every reply in a thread you follow. You follow the threads you start; on a thread's page "
            "you can follow or mute any thread. Not when you already get every post of the network by email."
        ),
        order=20,
        audience=in_a_network,
    ),
    MailKind(
        "channel_mention",
        "discussions",
        _("Someone mentions me in a discussion"),
        _("You receive this email because someone mentioned you with @ and your name in a discussion."),
        help=_("At once, when someone writes @ and your name in a thread you may read (not in muted threads)."),
        order=30,
        audience=in_a_network,
    ),
    MailKind(
        "channel_post_hidden",
        "discussions",
        _("A coordinator hid my post"),
        _("You receive this email because the network's coordination hid one of your posts."),
        help=_("With the reason the coordination gave."),
        order=40,
        audience=in_a_network,
    ),
    MailKind(
        "channel_report",
        "discussions",
        _("A member reported a post"),
        _("You receive this email because you coordinate this network and a member reported a post."),
        help=_("To the coordinators of the network, for each report."),
        order=50,
        audience=coordinates_a_network,
    ),
]
