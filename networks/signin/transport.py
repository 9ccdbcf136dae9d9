"""allauth's requests to identity providers go through networks.outbound, the portal's one way to addresses that
people enter (staff enter a provider's issuer and metadata URLs in the admin).

- OpenID Connect (discovery, token, user info, keys): allauth asks its adapter for a requests.Session
  (networks.adapters.SocialAccountAdapter.get_requests_session); ``OutboundTransport`` is mounted on it for http and
  https, so every request and every redirect hop is checked there: public addresses only, the address checked is
  the one connected to, a deadline and a size limit.
- SAML 2.0 metadata: allauth reads it with python3-saml's ``parse_remote`` (urllib, unchecked);
  ``fetch_metadata_config`` replaces allauth's one function that calls it and parses what outbound fetched, cached as
  allauth caches it. Replaced by ``read_saml_metadata_through_outbound`` when the first SAML app is built
  (networks.signin.selectors.social_app: allauth builds no SAML settings without one), not at start-up: the SAML
  modules (python3-saml, xmlsec) take 35 ms to import, which a worker or a command without SAML never needs.

Production takes https only (``SIGNIN_HTTPS_ONLY``); the tests' providers serve http on 127.0.0.1.
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.cache import cache
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from networks import outbound

MAX_BYTES = 2_000_000  # a provider's discovery document, keys, token or metadata
DEFAULT_TIMEOUT = 10.0
METADATA_CACHE_SECONDS = 4 * 60 * 60  # allauth's default
# hop-by-hop or set by outbound itself (it asks for identity encoding: nothing is decompressed)
DROPPED_HEADERS = {"accept-encoding", "connection", "content-length", "host"}


def _seconds(timeout) -> float:
    if isinstance(timeout, tuple):  # requests' (connect, read)
        return float(sum(t for t in timeout if t)) or DEFAULT_TIMEOUT
    return float(timeout or DEFAULT_TIMEOUT)


class OutboundTransport(BaseAdapter):
    """A requests transport that sends through networks.outbound.fetch."""

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body or b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in DROPPED_HEADERS}
        try:
            answer = outbound.fetch(
                request.method,
                request.url,
                body=body.encode() if isinstance(body, str) else body,
                headers=headers,
                timeout=_seconds(timeout),
                max_bytes=MAX_BYTES,
                https_only=settings.SIGNIN_HTTPS_ONLY,
            )
        except outbound.OutboundTimeout as exc:
            raise requests.Timeout(str(exc), request=request) from exc
        except outbound.OutboundFailure as exc:
            raise requests.ConnectionError(str(exc), request=request) from exc
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(answer.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = answer.body
        response.url = request.url
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        pass


def through_outbound(session: requests.Session) -> requests.Session:
    """``session`` with every http and https request sent through outbound."""
    transport = OutboundTransport()
    session.mount("https://", transport)
    session.mount("http://", transport)
    return session


def read_saml_metadata_through_outbound() -> None:
    """Let allauth read SAML metadata with ``fetch_metadata_config`` (idempotent, cheap after the first call)."""
    from allauth.socialaccount.providers.saml import utils as saml_utils

    saml_utils.fetch_metadata_url_config = fetch_metadata_config


def fetch_metadata_config(idp_config: dict) -> dict:
    """allauth's ``fetch_metadata_url_config``, through outbound: the identity provider's settings parsed from its
    metadata, kept in the cache as allauth keeps them. Raises outbound.OutboundFailure (refused, unreachable, too
    large) or ValueError (not a 200 answer)."""
    url, entity_id = idp_config["metadata_url"], idp_config["entity_id"]
    key = f"signin:saml-metadata:{url}:{entity_id}"
    config = cache.get(key)
    if config is None:
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        answer = outbound.fetch(
            "GET",
            url,
            headers={"Accept": "application/samlmetadata+xml, application/xml"},
            timeout=float(idp_config.get("metadata_request_timeout", DEFAULT_TIMEOUT)),
            max_bytes=MAX_BYTES,
            https_only=settings.SIGNIN_HTTPS_ONLY,
        )
        if answer.status != 200:
            raise ValueError(f"the identity provider's metadata answered {answer.status}")
        config = OneLogin_Saml2_IdPMetadataParser.parse(answer.body, entity_id=entity_id)
        cache.set(key, config, idp_config.get("metadata_cache_timeout", METADATA_CACHE_SECONDS))
    return config
