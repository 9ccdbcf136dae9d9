"""The kinds of email of reply by email (networks.mail's registry; registered in InboundConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind

KINDS = [
    MailKind(
        "inbound_refused",
        "discussions",
        _("Your reply by email could not be posted"),
        _(
            "You receive this email because an email from this address to a reply address of Klimanetz could not "
            "be posted. It is sent once per email, never in answer to automatic emails, and cannot be switched off."
        ),
        switchable=False,
        order=90,
    ),
    MailKind(
        "inbound_attachments_refused",
        "discussions",
        _("Attachments of your reply by email were not taken"),
        _(
            "You receive this email because your reply by email was posted without some of its attachments. It is "
            "sent once per email and cannot be switched off."
        ),
        switchable=False,
        order=91,
    ),
]
