"""The hosts that may show a roadmap's embeds in a frame: what editors may enter and how CSP names them.

An entry is an origin: ``https://www.kreis-dueren.de``, with a port where needed (``https://cms.example:8443``),
or every subdomain of one host with a leading ``*.`` (``https://*.kreis-dueren.de``; the host itself is then not
included, as CSP reads it). Nothing else: no path, query or user, no other wildcard (``*``, ``https://*``,
``https://www.*.de``), no IP address but the loopback. Only https, except for localhost and 127.0.0.1, where
editors try a page out on their own machine (browsers treat these as secure too). Stored in lower case,
one per line, without duplicates; CSP's frame-ancestors then lists exactly these.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ORIGINS = 20
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _host_is_valid(host: str) -> bool:
    labels = host.split(".")
    return len(host) <= 253 and len(labels) >= 2 and all(LABEL.match(label) for label in labels)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def normalise_origin(text: str) -> str:
    """The origin as stored and sent (lower case, no trailing slash), or ValidationError with a German reason."""
    entry = text.strip().lower().rstrip("/")
    if "://" not in entry:
        raise ValidationError(_("“%(entry)s”: give the full address with https://.") % {"entry": text.strip()})
    scheme, _sep, rest = entry.partition("://")
    if any(c in rest for c in "/?#@ \\\"';,"):
        raise ValidationError(
            _("“%(entry)s”: only the address of the website, without a path (e.g. https://www.kreis-dueren.de).")
            % {"entry": text.strip()}
        )
    try:
        parts = urlsplit(entry)
        port = parts.port
    except ValueError:
        raise ValidationError(_("“%(entry)s” is not a web address.") % {"entry": text.strip()}) from None
    host = parts.hostname or ""
    if scheme in ("http", "https") and host in LOOPBACK_HOSTS:
        return entry
    if scheme != "https":
        raise ValidationError(_("“%(entry)s”: only https:// addresses can be allowed.") % {"entry": text.strip()})
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if _is_ip(name) or "*" in name or not _host_is_valid(name):
        raise ValidationError(
            _("“%(entry)s”: give a host name; a “*.” is allowed only at its start (https://*.kreis-dueren.de).")
            % {"entry": text.strip()}
        )
    if port is not None and not 0 < port < 65536:
        raise ValidationError(_("“%(entry)s” is not a web address.") % {"entry": text.strip()})
    return entry


def parse_origins(text: str) -> list[str]:
    """The origins of a text of one per line (or separated by spaces or commas), each checked; every error named."""
    entries = [e for e in re.split(r"[\s,]+", text or "") if e]
    origins: list[str] = []
    errors: list[ValidationError] = []
    for entry in entries:
        try:
            origin = normalise_origin(entry)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        errors.append(ValidationError(_("At most %(n)d websites.") % {"n": MAX_ORIGINS}))
    if errors:
        raise ValidationError(errors)
    return origins
