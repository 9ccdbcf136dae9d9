"""The kinds of reminder the monitoring app sends (networks.mail's registry; registered in MonitoringConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.mail import MailKind, has_duties

KINDS = [
    MailKind(
        "monitoring_indicator_due",
        "monitoring",
        _("Indicator values due"),
        _(
            "You receive this email because you are responsible for these indicators on Klimanetz, edit the "
            "organisation's monitoring data, or coordinate its network when nobody else is named. It is sent once "
            "per due date. To stop it, enter the values and the next due date, or ask the organisation's editors to "
            "name another responsible person."
        ),
        help=_("When the values of indicators you look after are due within two weeks or overdue; once per due date."),
        order=10,
        audience=lambda person: has_duties(person) or person.responsible_indicators.exists(),
    ),
    MailKind(
        "monitoring_measure_stale",
        "monitoring",
        _("Measures without a progress report"),
        _(
            "You receive this email because you are responsible for these measures on Klimanetz, or edit the "
            "roadmap when nobody is named. It comes at most once a month. It stops when the measure has a new "
            "progress report, or is completed or dropped."
        ),
        help=_("When measures you look after have had no progress report for months; at most once a month."),
        order=20,
        audience=lambda person: has_duties(person) or person.responsible_measures.exists(),
    ),
]
