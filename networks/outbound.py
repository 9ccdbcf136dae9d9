"""The one way the portal makes HTTP requests to addresses that people enter.

Webhook endpoints, OParl systems and whatever comes next call only this module; nothing
else in the portal opens a connection to a user-supplied URL.

Interface::

    check_url(url: str, *, https_only: bool = True) -> None
        Refuses (raises OutboundRefused, a ValueError) a URL that is not http(s) (https only
        unless https_only=False), carries user:password@, has no host, or whose host does not
        resolve or resolves to any address that is not public. Forms call it to validate.

    fetch(method, url, *, body: bytes = b"", headers: dict | None = None, timeout: float = 10.0,
          max_bytes: int = 5_000_000, https_only: bool = True) -> OutboundResponse(status, headers, body)
        Raises OutboundRefused, OutboundTimeout, OutboundTooLarge or OutboundError, all
        subclasses of OutboundFailure. Any HTTP status is an answer, not an exception.

What it guarantees:

- The host is resolved once; every address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved, unspecified, shared or documentation space,
  IPv4 or IPv6, nor an IPv6 address carrying such an IPv4 address: IPv4-mapped, 6to4,
  Teredo, NAT64). The connection goes to a checked address (the next one only if it cannot
  be reached), never through a second lookup, so a DNS answer that changes between the
  check and the connection (DNS rebinding) cannot steer it elsewhere.
- HTTPS verifies the certificate for the host name (SNI and the hostname match use the
  name, the TCP connection the checked address) against the system's CAs, or the bundle in
  the setting ``OUTBOUND_CA_BUNDLE`` (tests trust their own CA that way).
- ``timeout`` bounds the whole request: connecting (at most ``OUTBOUND_CONNECT_TIMEOUT``),
  waiting and reading; the deadline is re-applied to the socket before every read.
- The body is read in chunks and reading stops past ``max_bytes`` (a Content-Length above
  it stops before reading). Content is not decompressed (``Accept-Encoding: identity``).
- Redirects: GET and HEAD follow up to ``MAX_REDIRECTS``, each target checked like the
  first URL (same ``https_only``); other methods return the 3xx answer as it is.
- ``OUTBOUND_ALLOW_PRIVATE = False`` in the settings; True only in tests that talk to
  servers on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError

MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
USER_AGENT = "Klimanetz (+https://klimanetz.example/)"
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class OutboundFailure(Exception):
    """Every way a request can fail; str() is a sentence for people."""


class OutboundRefused(OutboundFailure, ValueError):
    """The URL or an address it leads to is not allowed."""


class OutboundTimeout(OutboundFailure):
    pass


class OutboundTooLarge(OutboundFailure):
    pass


class OutboundError(OutboundFailure):
    """Connection, TLS, DNS or protocol error."""


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as in the URL, without brackets
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def check_url(url: str, *, https_only: bool = True) -> None:
    try:
        _target(url, https_only=https_only)
    except OutboundRefused:
        raise
    except OutboundFailure as exc:
        raise OutboundRefused(str(exc)) from exc


def fetch(
    method: str,
    url: str,
    *,
    body: bytes = b"",
    headers: dict | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    https_only: bool = True,
) -> OutboundResponse:
    method = method.upper()
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        target = _target(url, https_only=https_only)
        response = _request(target, method, body, headers or {}, deadline, max_bytes)
        location = response.headers.get("location")
        if method not in ("GET", "HEAD") or response.status not in _REDIRECT_STATUSES or not location:
            return response
        url = urljoin(url, location)
    raise OutboundError(_("Too many redirects."))


def address_refusal(address: str) -> str | None:
    """Why a connection to this IP address is refused, or None when it is allowed."""
    ip = ipaddress.ip_address(address)
    if getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False):
        return None
    if ip.version == 6:
        embedded = ip.ipv4_mapped or (ip.teredo[1] if ip.teredo else None) or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and (reason := address_refusal(str(embedded))):
            return reason
    if ip.is_loopback:
        return _("The address %(ip)s is this machine itself (loopback).") % {"ip": ip}
    if ip.is_unspecified or ip.is_multicast or ip.is_link_local or ip in _SHARED:
        return _("The address %(ip)s is not a public address.") % {"ip": ip}
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return _("The address %(ip)s is a private or reserved address.") % {"ip": ip}
    return None


def _target(url: str, *, https_only: bool) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(_("The address is not a valid URL.")) from exc
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme not in allowed:
        if https_only:
            raise OutboundRefused(_("Only addresses starting with https:// are allowed."))
        raise OutboundRefused(_("Only http and https addresses are allowed."))
    if not parts.hostname:
        raise OutboundRefused(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(_("The address must not contain a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(parts.hostname, port)
    for address in addresses:
        if reason := address_refusal(address):
            raise OutboundRefused(reason)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(parts.scheme, parts.hostname, port, path, addresses)


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundError(_("The host name %(host)s cannot be resolved.") % {"host": host}) from exc
    addresses = tuple(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    if not addresses:
        raise OutboundError(_("The host name %(host)s cannot be resolved.") % {"host": host})
    return addresses


def _pool(target: _Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    common = {"port": target.port, "timeout": timeout, "retries": False, "maxsize": 1}
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(address, **common)
    return urllib3.HTTPSConnectionPool(
        address,
        cert_reqs="CERT_REQUIRED",
        ca_certs=getattr(settings, "OUTBOUND_CA_BUNDLE", None) or None,
        server_hostname=target.host,
        assert_hostname=target.host,
        **common,
    )


def _request(target, method, body, headers, deadline, max_bytes) -> OutboundResponse:
    sent = {"User-Agent": USER_AGENT, **headers, "Host": target.host_header, "Accept-Encoding": "identity"}
    last_error: Exception | None = None
    for address in target.addresses:
        remaining = _remaining(deadline)
        connect = min(remaining, getattr(settings, "OUTBOUND_CONNECT_TIMEOUT", 5.0))
        pool = _pool(target, address, urllib3.Timeout(connect=connect, read=remaining))
        try:
            raw = pool.urlopen(
                method, target.path, body=body or None, headers=sent, redirect=False,
                preload_content=False, decode_content=False, assert_same_host=False,
            )  # fmt: skip
            try:
                return OutboundResponse(raw.status, _headers(raw), _read(raw, deadline, max_bytes))
            finally:
                raw.release_conn()
        except NewConnectionError as exc:
            last_error = exc  # this address cannot be reached: the next checked one
        except Urllib3TimeoutError as exc:
            raise OutboundTimeout(_("No answer within the time limit.")) from exc
        except (Urllib3HTTPError, OSError) as exc:
            raise OutboundError(_error_text(exc)) from exc
        finally:
            pool.close()
    raise OutboundError(_error_text(last_error))


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutboundTimeout(_("No answer within the time limit."))
    return remaining


def _headers(raw) -> dict[str, str]:
    return {name.lower(): value for name, value in raw.headers.items()}


def _read(raw, deadline: float, max_bytes: int) -> bytes:
    length = raw.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise OutboundTooLarge(_("The answer is larger than %(n)s bytes.") % {"n": max_bytes})
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = _remaining(deadline)
        if (sock := _socket_of(raw)) is not None:
            sock.settimeout(remaining)
        chunk = raw.read1(CHUNK_SIZE, decode_content=False)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise OutboundTooLarge(_("The answer is larger than %(n)s bytes.") % {"n": max_bytes})
        chunks.append(chunk)


def _socket_of(raw) -> socket.socket | None:
    """The response's socket, to shorten its timeout to what is left of the deadline. http.client lets go of the
    connection's socket when the server says it will close; the response's file still reads from it."""
    sock = getattr(raw.connection, "sock", None)
    if sock is None:
        sock = getattr(getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _error_text(exc: Exception | None) -> str:
    if isinstance(exc, urllib3.exceptions.SSLError):
        return _("TLS error: %(error)s") % {"error": str(exc)[:300]}
    if isinstance(exc, NewConnectionError):
        return _("No connection to the server: %(error)s") % {"error": str(exc)[:300]}
    return _("Connection error: %(error)s") % {"error": str(exc)[:300]}
