"""measures.catalogue: the measure library (issue 17 §1), entries that travel from one roadmap to the next.

An entry is offered from a published measure by its editors (the travelling fields only, kept in step by
``services.entry_sync``) or curated by staff and network coordinators from no roadmap; "Copy into my roadmap"
makes a draft measure through measures' own service and records the lineage (``Adoption``).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures.catalogue"
    label = "catalogue"
    verbose_name = _("Measure library")

    def ready(self) -> None:
        from measures.catalogue import panels, search, signals

        panels.register()
        search.register_sources()
        signals.connect()
