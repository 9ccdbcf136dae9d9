"""Bands the library filters by: cost, effect and the municipality size class.

``SIZE_CLASSES`` is the one place that says which populations form a size class (the BBSR's
Stadt- und Gemeindetypen by population). The comparison (issue 17 §2, monitoring.comparison) derives the
size class of an organisation too; when it lands, point ``size_classes()`` at its table so both agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CostBand(models.TextChoices):
    LOW = "low", _("up to 10,000 euros")
    MEDIUM = "medium", _("10,000 to 100,000 euros")
    HIGH = "high", _("100,000 to 1 million euros")
    VERY_HIGH = "vhigh", _("over 1 million euros")


class EffectBand(models.TextChoices):
    SMALL = "small", _("under 10 t CO2e a year")
    MEDIUM = "medium", _("10 to 100 t CO2e a year")
    LARGE = "large", _("100 to 1,000 t CO2e a year")
    VERY_LARGE = "vlarge", _("over 1,000 t CO2e a year")


COST_LIMITS = ((CostBand.LOW, 10_000), (CostBand.MEDIUM, 100_000), (CostBand.HIGH, 1_000_000))
EFFECT_LIMITS = ((EffectBand.SMALL, 10), (EffectBand.MEDIUM, 100), (EffectBand.LARGE, 1_000))


def middle(low: Decimal | None, high: Decimal | None) -> Decimal | None:
    if low is None and high is None:
        return None
    if low is None or high is None:
        return low if high is None else high
    return (low + high) / 2


def cost_band(low: Decimal | None, high: Decimal | None) -> str:
    value = middle(low, high)
    if value is None:
        return ""
    for band, limit in COST_LIMITS:
        if value <= limit:
            return band
    return CostBand.VERY_HIGH


def effect_band(expected: Decimal | None) -> str:
    if expected is None:
        return ""
    for band, limit in EFFECT_LIMITS:
        if expected < limit:
            return band
    return EffectBand.VERY_LARGE


def effect_per_keur(expected: Decimal | None, low: Decimal | None, high: Decimal | None) -> float | None:
    """Expected reduction (t CO2e a year) per 1,000 euros of typical cost; None without both."""
    cost = middle(low, high)
    if expected is None or not cost:
        return None
    return float(expected) * 1000 / float(cost)


# --- Municipality size class ------------------------------------------------------------------------------

SIZE_CLASSES = (
    # key, label, population from, population below (None: open)
    ("landgemeinde", _("rural municipality (under 5,000)"), 0, 5_000),
    ("kleinstadt-klein", _("small town (5,000 to 10,000)"), 5_000, 10_000),
    ("kleinstadt-gross", _("larger small town (10,000 to 20,000)"), 10_000, 20_000),
    ("mittelstadt-klein", _("medium-sized town (20,000 to 50,000)"), 20_000, 50_000),
    ("mittelstadt-gross", _("larger medium-sized town (50,000 to 100,000)"), 50_000, 100_000),
    ("grossstadt", _("city or county (100,000 and more)"), 100_000, None),
)


def size_classes():
    """(key, label, population from, population below) of every size class, smallest first."""
    return SIZE_CLASSES


def size_class_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _low, _high in size_classes()]


def size_class_of(population: int | None) -> str:
    if population is None:
        return ""
    for key, _label, low, high in size_classes():
        if population >= low and (high is None or population < high):
            return key
    return ""


def size_class_q(keys, field: str = "population") -> Q:
    """Organisations (``field``: the path to their population) in any of the size classes ``keys``."""
    q = Q(pk__in=[])
    for key, _label, low, high in size_classes():
        if key in keys:
            part = Q(**{f"{field}__gte": low})
            if high is not None:
                part &= Q(**{f"{field}__lt": high})
            q |= part
    return q
