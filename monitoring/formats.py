"""Numbers as the monitoring pages, charts and reports show them: in the active language, grouped, with as many
decimals as the value has (at most three): 1.234,5 in German, 1,234.5 in English."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def number(value, decimals: int | None = None, *, empty: str = "–") -> str:
    """``value`` formatted; ``decimals`` fixes the decimal places; ``empty`` stands for None (and "")."""
    if value is None or value == "":
        return empty
    amount = Decimal(str(value))
    if decimals is None:
        amount = amount.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
        decimals = max(0, -amount.as_tuple().exponent)
    return number_format(amount, decimals, use_l10n=True, force_grouping=True)
