"""networks.inbound: Inbound email (a room of networks, DESIGN §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.inbound"
    label = "inbound"
    verbose_name = _("Inbound email")

    def ready(self) -> None:
        from networks import mail
        from networks.inbound import mail_kinds

        mail.register(*mail_kinds.KINDS)
