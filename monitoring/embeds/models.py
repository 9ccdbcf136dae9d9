from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import Roadmap


class EmbedSettings(models.Model):
    """Where a roadmap's embeds may be framed: the origins its editors list (monitoring.embeds.origins), one per
    line. Without a row, or with no origin, no site may frame them (CSP frame-ancestors 'none')."""

    roadmap = models.OneToOneField(Roadmap, on_delete=models.CASCADE, related_name="embed_settings")
    allowed_origins = models.TextField(_("websites that may show the embeds"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("embed settings")
        verbose_name_plural = _("embed settings")

    def __str__(self) -> str:
        return f"{self.roadmap}: {self.origins}"

    @property
    def origins(self) -> list[str]:
        return [line for line in self.allowed_origins.splitlines() if line]
