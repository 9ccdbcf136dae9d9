from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """The DCAT-AP.de catalogue of the public roadmaps' open data (issue 18 §3); after monitoring."""

    name = "opendata"
    verbose_name = _("Open-data catalogue")
    default_auto_field = "django.db.models.BigAutoField"
