"""Reads of the embeds: what a frame may show and who may frame it."""

from __future__ import annotations

from measures.models import Roadmap
from monitoring.embeds.models import EmbedSettings


def frame_ancestors(roadmap: Roadmap) -> list[str]:
    """The origins allowed to frame the roadmap's embeds (1 query); [] for none."""
    row = EmbedSettings.objects.filter(roadmap=roadmap).values_list("allowed_origins", flat=True).first()
    return [line for line in (row or "").splitlines() if line]
