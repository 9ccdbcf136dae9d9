"""The kinds of email the measures app sends (networks.mail's registry; registered in MeasuresConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind

KINDS = [
    MailKind(
        "proposal_moderated",
        "measures",
        _("Decision on my proposal"),
        _("You receive this email because you submitted a proposal on Klimanetz."),
        help=_("When the editorial team publishes your proposal for a roadmap or decides not to."),
        order=10,
    ),
    MailKind(
        "comment_moderated",
        "measures",
        _("Decision on my comment"),
        _("You receive this email because you wrote a comment on Klimanetz."),
        help=_("When the editorial team publishes your comment on a measure or decides not to."),
        order=20,
    ),
    MailKind(
        "funding_deadline",
        "measures",
        _("Funding application deadlines"),
        _("You receive this email because you are the responsible person for this measure on Klimanetz."),
        help=_("Two weeks before the application deadline for the funding of a measure you are responsible for."),
        order=30,
        audience=lambda person: person.responsible_measures.exists(),
    ),
    MailKind(
        "measure_contact",
        "measures",
        _("Messages about a measure I am the contact person for"),
        _("You receive this email because you are named in public as the contact person for this measure."),
        switchable=False,
        help=_("A citizen wrote to you through the contact form of the measure's public page."),
        order=40,
        audience=lambda person: person.responsible_measures.exists(),
    ),
    MailKind(
        "follow_update",
        "measures",
        _("News of what I follow"),
        _("You receive this email because you follow this on Klimanetz and chose to hear of it immediately."),
        help=_("A new status, a progress report or an official answer on a roadmap, measure or proposal you follow."),
        order=40,
    ),
    MailKind(
        "follow_weekly",
        "measures",
        _("Weekly summary of what I follow"),
        _("You receive this email because you follow roadmaps, measures or proposals on Klimanetz weekly."),
        help=_("Once a week, when something happened in what you follow with weekly emails."),
        order=50,
    ),
    MailKind(
        "feedback_verify",
        "measures",
        _("Confirmation of feedback on a measure"),
        _("You receive this email because someone sent feedback on a measure with this address."),
        switchable=False,
        order=60,
    ),
]
