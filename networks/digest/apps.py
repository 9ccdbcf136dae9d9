"""networks.digest: Digests and delivery (a room of networks, DESIGN §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.digest"
    label = "digest"
    verbose_name = _("Digests and delivery")

    def ready(self) -> None:
        from networks import mail, panels
        from networks.digest import mail_kinds, personal_data

        mail.register(*mail_kinds.KINDS)
        panels.register(
            "network_space",
            panels.Panel("digest-settings", "digest/panels/network_space.html", personal_data.space_panel, order=900),
        )
        panels.register_personal_data("digest", personal_data.export)
        panels.register_account_delete("digest", personal_data.before_delete)
