from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Depends on every app; no app depends on it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")
