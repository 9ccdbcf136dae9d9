"""networks.announcements: Announcements (a room of networks, DESIGN §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.announcements"
    label = "announcements"
    verbose_name = _("Announcements")

    def ready(self) -> None:
        from networks import cache, mail, panels
        from networks.announcements import digest, mail_kinds, search, services
        from networks.announcements import panels as own_panels
        from networks.announcements.models import Announcement
        from networks.models import Network

        mail.register(*mail_kinds.KINDS)
        panels.register("network_space", own_panels.LATEST)
        panels.register("working_group", own_panels.GROUP_LATEST)
        panels.register_personal_data("announcements", services.personal_data)
        panels.register_account_delete("announcements", services.before_account_delete)
        digest.register()
        search.register()

        def of_announcement(announcement) -> tuple[str, ...]:  # the latest ones in the network's space
            slug = Network.objects.filter(pk=announcement.network_id).values_list("slug", flat=True).first()
            return cache.of_network(slug)

        cache.watch(Announcement, of_announcement)
