"""A link made or removed changes its measure's public page: the page cache's roadmap scope is bumped."""

from __future__ import annotations

from measures.council.models import CouncilLink
from measures.models import Measure
from networks import cache


def of_link(link: CouncilLink) -> tuple[str, ...]:
    slug = Measure.objects.filter(pk=link.measure_id).values_list("roadmap__slug", flat=True).first()
    return cache.of_roadmap(slug)


def register() -> None:
    cache.watch(CouncilLink, of_link)
