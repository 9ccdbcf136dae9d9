"""The configuration of a page's passkey button for static/js/passkeys.js, as a JSON block (no inline script)."""

from django import template
from django.utils.html import json_script

register = template.Library()


@register.simple_tag
def passkey_config(kind: str, data=None, **ids: str) -> str:
    """``{% passkey_config "addForm" data=js_data add="…" credential="…" %}``: allauth's form helper ``kind``
    (allauth.webauthn.forms), the ids of its elements and the server's options (``js_data`` of allauth's views)."""
    return json_script({"kind": kind, "ids": ids, "data": data or {}}, "passkey-config")
