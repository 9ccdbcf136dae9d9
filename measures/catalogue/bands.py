"""Bands the library filters by: cost, effect and the municipality size class.

The size classes are networks.municipal's (the BBSR's Stadt- und Gemeindetypen by population), the same the
comparison (monitoring.comparison) groups by.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks import municipal


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
# One rule with the comparison: networks.municipal's BBSR size classes (keys "11" … "50", and "county").


def size_class_choices() -> list[tuple[str, str]]:
    """Smallest first, counties last."""
    classes = [(key, municipal.SIZE_CLASS_LABELS[key]) for key, _lowest, _label in reversed(municipal.SIZE_CLASSES)]
    return [*classes, (municipal.COUNTY_CLASS, municipal.SIZE_CLASS_LABELS[municipal.COUNTY_CLASS])]


def size_class_q(keys, prefix: str = "") -> Q:
    """Organisations (``prefix``: the path to them) in any of the size classes ``keys``."""
    q = Q(pk__in=[])
    for key in keys:
        q |= municipal.size_class_filter(key, prefix=prefix)
    return q
