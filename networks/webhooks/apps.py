"""networks.webhooks: webhooks of organisations and networks (issue 18 §2, app label ``webhooks``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from networks import mail
        from networks.webhooks import mail_kinds

        mail.register(*mail_kinds.KINDS)
