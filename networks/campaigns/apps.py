"""networks.campaigns: a campaign's key figures (issue 17 §5, a room of networks, app label ``campaignfigures``).

The coordinators define the figures (name, unit, period: month, quarter or year); the participating
municipalities' editors and the coordinators enter them per organisation and period; the page sums and charts
them and links the campaign's events, documents and announcements (``links``: a registry other apps add sources
to); CSV and XLSX for the funder through networks.tabular.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignFiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.campaigns"
    label = "campaignfigures"
    verbose_name = _("Campaign figures")

    def ready(self) -> None:
        from networks.campaigns import links

        links.register_rooms()
