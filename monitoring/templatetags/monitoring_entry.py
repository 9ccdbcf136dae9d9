"""Numbers on the monitoring editors' pages: grouped in the page's language, without trailing zeros (1.234,5)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value) -> str:
    """1234.500 → "1.234,5" in German, "1,234.5" in English; None → ""."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def signed(value) -> str:
    """A difference with its sign: +1.234,5 or −56,2."""
    if value is None or value == "":
        return ""
    text = num(abs(Decimal(str(value))))
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text
