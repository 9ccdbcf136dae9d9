"""networks.channel: Discussions (a room of networks, DESIGN §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.channel"
    label = "channel"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from networks import mail
        from networks import panels as extension_points
        from networks.channel import digest, mail_kinds, panels, search

        mail.register_area(mail_kinds.AREA)
        mail.register(*mail_kinds.KINDS)
        extension_points.register("network_space", panels.NETWORK_SPACE)
        extension_points.register("working_group", panels.WORKING_GROUP)
        extension_points.register("dashboard", panels.DASHBOARD)
        extension_points.register_personal_data("channel", panels.personal_data)
        extension_points.register_account_delete("channel", panels.before_account_delete)
        digest.register_section()
        search.register_sources()
        _watch_for_page_cache()


def _watch_for_page_cache() -> None:
    """The network space (cached per network and role) lists the latest threads: a thread's change bumps it."""
    from networks import cache
    from networks.channel.models import Category, Thread

    def of_network(row) -> list[str]:
        return [f"network:{row.network.slug}"]

    cache.watch(Thread, of_network)
    cache.watch(Category, of_network)
