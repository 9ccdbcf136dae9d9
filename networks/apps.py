from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from networks import cache
        from networks.models import Membership, Network, Organisation, Person, Topic

        # Shown on many public pages (names, profiles, membership counts); rarely changed: every page.
        for model in (Organisation, Network, Membership, Person, Topic):
            cache.watch(model, cache.everything)
