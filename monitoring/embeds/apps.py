from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    """Embeds for municipal websites (issue 18 §4): a roadmap's progress, a measure's status card and an indicator
    chart as script-free pages to put in an <iframe> on the hosts the roadmap's editors allow, and a badge."""

    name = "monitoring.embeds"
    label = "embeds"
    verbose_name = _("Embeds")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from monitoring.embeds.panels import EDITOR_PANEL
        from networks import panels

        panels.register("roadmap_editor", EDITOR_PANEL)
