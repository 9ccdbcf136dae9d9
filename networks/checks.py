"""System checks of the portal's own settings (registered in NetworksConfig.ready(); they run at start-up with
``manage.py check``, ``migrate`` and ``runserver``).

SITE_URL is the address every link in an email and every URL in an .ics file starts with: mails and calendars
are read elsewhere, so a production that leaves it at the development default (http://127.0.0.1:8000) sends
links nobody can open. With DEBUG off it must name the public address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.checks import Error

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}  # noqa: S104 # nosec B104 (names, not a bind)


def register() -> None:
    checks.register(site_url_check)


def site_url_check(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    if parts.scheme in ("http", "https") and host and host not in LOCAL_HOSTS and not host.endswith(".localhost"):
        return []
    return [
        Error(
            f"SITE_URL is {site_url or 'not set'!r}: links in emails and calendar files would not open for anyone.",
            hint="Set the environment variable SITE_URL to the portal's public address, e.g. https://klimanetz.example.",
            obj="settings.SITE_URL",
            id="klimanetz.E001",
        )
    ]
