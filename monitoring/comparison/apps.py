"""monitoring.comparison: comparison with similar municipalities (issue 17 §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComparisonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring.comparison"
    label = "comparison"
    verbose_name = _("Comparison with similar municipalities")

    def ready(self) -> None:
        from monitoring.comparison import refresh

        refresh.watch_sources()
