from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from networks import cache, mail, panels
        from networks.models import Membership, Network, Organisation, Person, Topic

        # networks.mail registers networks' own kinds of email on import; the opt-outs are personal data.
        panels.register_personal_data("mail", mail.export)
        panels.register_account_delete("mail", mail.before_delete)

        # Shown on many public pages (names, profiles, membership counts); rarely changed: every page.
        for model in (Organisation, Network, Membership, Person, Topic):
            cache.watch(model, cache.everything)
