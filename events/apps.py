from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("events")

    def ready(self) -> None:
        from events import panels, personal_data
        from networks import panels as extension_points

        panels.register()
        extension_points.register_personal_data("events", personal_data.export)
        extension_points.register_account_delete("events", personal_data.before_delete)
