"""The kinds of email of questions to experts (networks.mail's registry; registered in ExpertsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind

QUESTION = "experts_question"
MESSAGE = "experts_message"

KINDS = [
    MailKind(
        QUESTION,
        "networks",
        _("Questions to you as an expert"),
        _(
            "You receive this email because a member of a network found you in “Who knows what” for a topic you "
            "listed in your profile and asked you a question through the portal. Your address is not shown to them."
        ),
        help=_("Switched off, nobody can ask you questions through the portal."),
        order=60,
    ),
    MailKind(
        MESSAGE,
        "networks",
        _("Answers in your conversations with experts"),
        _(
            "You receive this email because the other person answered in a conversation about a question asked "
            "through “Who knows what”. Neither address is shown to the other. It cannot be switched off; you can "
            "block the person instead."
        ),
        switchable=False,
        order=61,
    ),
]
