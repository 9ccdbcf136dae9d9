from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("monitoring")

    def ready(self) -> None:
        from monitoring import panels, personal_data
        from networks.panels import register_personal_data

        panels.register_all()  # charts and reports on the roadmap pages, links on the network and personal pages
        register_personal_data("monitoring", personal_data.export)
