"""Numbers on the monitoring editors' pages: grouped in the page's language, without trailing zeros (1.234,5)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from monitoring.formats import number

register = template.Library()


@register.filter
def num(value) -> str:
    """1234.500 → "1.234,5" in German, "1,234.5" in English; None → ""."""
    return number(value, empty="")


@register.filter
def signed(value) -> str:
    """A difference with its sign: +1.234,5 or −56,2."""
    if value is None or value == "":
        return ""
    text = num(abs(Decimal(str(value))))
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text
