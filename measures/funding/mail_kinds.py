"""The funding radar's kind of email (networks.mail registry; registered in FundingConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind

KINDS = [
    MailKind(
        "funding_call_reminder",
        "measures",
        _("Deadlines of funding programmes that fit my measures"),
        _("You receive this email because you are responsible for a measure on Klimanetz whose funding is open."),
        help=_(
            "Six weeks and two weeks before the deadline of a funding call that fits a measure you are responsible for."
        ),
        order=31,
        audience=lambda person: person.responsible_measures.exists(),
    ),
]
