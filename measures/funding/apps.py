"""measures.funding: the funding radar (issue 17 §3): programmes, calls, matching, reminders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures.funding"
    label = "funding"
    verbose_name = _("Funding radar")

    def ready(self) -> None:
        from measures.funding import digest, mail_kinds, panels
        from networks import mail

        mail.register(*mail_kinds.KINDS)
        panels.register()
        digest.register()
