"""measures.council: council decisions through OParl (issue 18 §5).

An organisation's editors name the OParl endpoint of their council information system; a Celery task reads
System → Body → Paper / Meeting / AgendaItem / Consultation / File into the database; editors link a paper
(Drucksache) or a decision to a measure or milestone, and the public measure page shows the decision.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures.council"
    label = "council"
    verbose_name = _("Council decisions (OParl)")

    def ready(self) -> None:
        from measures.council import digest, panels, signals

        panels.register()
        digest.register()
        signals.register()
