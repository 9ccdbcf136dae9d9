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
        from measures.funding.matching import INDEX_SCOPE
        from measures.funding.models import FundingCall, FundingProgramme
        from networks import cache, mail

        mail.register(*mail_kinds.KINDS)
        panels.register()
        digest.register()

        # the programme index of the day (matching.programme_index) is rebuilt after every change of either
        cache.watch(FundingProgramme, lambda _row: (INDEX_SCOPE,))
        cache.watch(FundingCall, lambda _row: (INDEX_SCOPE,))
