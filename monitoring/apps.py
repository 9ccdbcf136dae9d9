from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("monitoring")

    def ready(self) -> None:
        from measures.opendata import register_resources
        from monitoring import exports, mail_kinds, panels, personal_data
        from networks import mail
        from networks.panels import register_personal_data

        mail.register(*mail_kinds.KINDS)
        panels.register_all()  # charts and reports on the roadmap pages, links on the network and personal pages
        register_personal_data("monitoring", personal_data.export)
        register_resources(exports.roadmap_resources)  # indicator values and balance in a roadmap's datapackage.json
        from measures.catalogue import effects as library_effects
        from monitoring import catalogue_effects

        library_effects.register(catalogue_effects.latest_values)  # the measure library's adoption table
        _watch_for_page_cache()


def _watch_for_page_cache() -> None:
    """The public roadmap page shows indicators, balances, planning status and published reports
    (networks.cache): any change of them renews every cached page (they change seldom)."""
    from django.apps import apps

    from monitoring.models import Reminder
    from networks import cache

    for model in apps.get_app_config("monitoring").get_models():
        if model is not Reminder and not model.__name__.startswith("Historical"):
            cache.watch(model, cache.everything)
