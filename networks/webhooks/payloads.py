"""Pieces every payload shares. Payloads carry only what the public pages show: never internal fields, never a
person's name or address (the apps' builders: measures/webhooks.py, monitoring/webhooks.py, events/webhooks.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def absolute(path_of) -> str:
    """The full address of ``path_of()`` (e.g. ``obj.get_absolute_url``) on the German pages, the same for every
    receiver whatever language the request that caused the event was in."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + path_of()


def organisation_data(organisation) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "ags": organisation.ags or None}


def network_data(network) -> dict:
    return {"slug": network.slug, "name": network.name, "url": absolute(network.get_absolute_url)}
