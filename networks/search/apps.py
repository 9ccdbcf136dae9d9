from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from networks.search import sources_networks

        sources_networks.register_sources()
