"""Writes of the embeds."""

from __future__ import annotations

from django.db import transaction

from measures.models import Roadmap
from monitoring.embeds.models import EmbedSettings


@transaction.atomic
def embed_origins_set(*, roadmap: Roadmap, origins: list[str], by) -> EmbedSettings:
    """Allow exactly ``origins`` (checked by monitoring.embeds.origins.parse_origins) to frame the embeds."""
    row, _created = EmbedSettings.objects.select_for_update().get_or_create(roadmap=roadmap)
    text = "\n".join(origins)
    if row.allowed_origins != text:
        row.allowed_origins = text
        row.updated_by = by if by.is_authenticated else None
        row.save(update_fields=["allowed_origins", "updated_by", "updated_at"])
    return row
