from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.inbound"
    label = "inbound"
    verbose_name = _("Inbound email")
