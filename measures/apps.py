from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = _("measures")

    def ready(self) -> None:
        from measures import panels, pledge_panel
        from networks import panels as extension_points

        extension_points.register("home", panels.HOME_ROADMAPS)
        extension_points.register("dashboard", panels.MY_ROADMAPS)
        extension_points.register("network_detail", pledge_panel.NETWORK_PLEDGES)
