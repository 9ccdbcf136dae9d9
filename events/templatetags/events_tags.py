"""Template helpers of the events app."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def soft_breaks(text) -> str:
    """Escape, then allow line breaks after dots, slashes and hyphens (“Klima.Taten.Talk” in a narrow cell)."""
    # Safe: escaped first, only <wbr> added.
    return mark_safe(re.sub(r"([./-])(?=\S)", r"\1<wbr>", str(conditional_escape(text))))  # noqa: S308  # nosec
