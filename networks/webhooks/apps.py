"""networks.webhooks: webhooks of organisations and networks (issue 18 §2, app label ``webhooks``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from measures import webhooks as measure_hooks
        from measures.models import Roadmap
        from networks import mail
        from networks.webhooks import mail_kinds

        mail.register(*mail_kinds.KINDS)
        # A roadmap unpublished by its form: measure.withdrawn for its published measures
        pre_save.connect(measure_hooks.roadmap_pre_save, sender=Roadmap, dispatch_uid="webhooks-roadmap-pre")
        post_save.connect(measure_hooks.roadmap_post_save, sender=Roadmap, dispatch_uid="webhooks-roadmap-post")
