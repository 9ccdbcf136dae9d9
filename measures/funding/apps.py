"""measures.funding: the funding radar (issue 17 §3): programmes, calls, matching, reminders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures.funding"
    label = "funding"
    verbose_name = _("Funding radar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from measures.funding import digest, mail_kinds, panels
        from measures.funding.matching import INDEX_SCOPE, MEASURES_SCOPE
        from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding
        from measures.models import Measure
        from networks import cache, mail

        mail.register(*mail_kinds.KINDS)
        panels.register()
        digest.register()

        # the programme index of the day (matching.programme_index) is rebuilt after every change of either
        cache.watch(FundingProgramme, lambda _row: (INDEX_SCOPE,))
        cache.watch(FundingCall, lambda _row: (INDEX_SCOPE,))
        # the cached Förderradar pages show the member organisations' open-funding measures (Measure is watched for
        # its roadmap's pages already: one more receiver of its own, as networks.cache.watch would connect it)
        cache.watch(MeasureFunding, lambda _row: (MEASURES_SCOPE,))

        def measure_changed(sender, instance, raw=False, **kwargs):
            if not raw and cache.enabled():
                cache.bump_now_and_on_commit([MEASURES_SCOPE])

        post_save.connect(measure_changed, sender=Measure, weak=False, dispatch_uid="funding-radar-measure")
        post_delete.connect(measure_changed, sender=Measure, weak=False, dispatch_uid="funding-radar-measure")
