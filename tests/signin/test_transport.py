"""allauth's requests to identity providers go through networks.outbound (networks.signin.transport): the OpenID
Connect calls through the adapter's requests session, the SAML metadata through the replaced allauth function.
Against a small http server on 127.0.0.1: allowed only where the tests allow private addresses and http, as the
sign-in journeys do; refused as in production otherwise. Redirects are outbound's (each hop checked: tests/outbound)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from allauth.socialaccount.providers.saml import utils as saml_utils
from django.core.cache import cache

from networks import outbound
from networks.adapters import SocialAccountAdapter
from networks.signin import transport

METADATA = b"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://idp.test/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>MIIBdGVzdA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="http://idp.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


class Handler(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Handler.seen.append(("GET", self.path, self.headers.get("Accept-Encoding")))
        body = METADATA if self.path == "/metadata" else json.dumps({"issuer": "http://idp.test"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml" if self.path == "/metadata" else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        data = self.rfile.read(int(self.headers["Content-Length"]))
        Handler.seen.append(("POST", self.path, data.decode()))
        body = json.dumps({"access_token": "t", "token_type": "Bearer"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def idp():
    Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.SIGNIN_HTTPS_ONLY = False


def test_the_adapters_session_sends_through_outbound(idp, loopback_allowed):
    with SocialAccountAdapter().get_requests_session() as session:
        discovery = session.get(f"{idp}/.well-known/openid-configuration")
        token = session.post(f"{idp}/token", data={"grant_type": "authorization_code", "code": "abc"})
    assert discovery.status_code == 200 and discovery.json() == {"issuer": "http://idp.test"}
    assert token.json()["access_token"] == "t"
    assert Handler.seen[0] == ("GET", "/.well-known/openid-configuration", "identity")  # outbound's, not gzip
    assert Handler.seen[1] == ("POST", "/token", "grant_type=authorization_code&code=abc")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/o/.well-known/openid-configuration", "http://idp.example/o"])
def test_production_refuses_private_addresses_and_plain_http(url):
    with SocialAccountAdapter().get_requests_session() as session, pytest.raises(requests.ConnectionError):
        session.get(url)


def _saml_app(metadata_url: str) -> None:
    """allauth's app of a SAML provider with a metadata URL, as allauth gets it before it reads the metadata."""
    from networks.models import Organisation
    from networks.signin import selectors
    from networks.signin.models import Provider

    aachen = Organisation(name="Stadt Aachen")
    selectors.social_app(Provider(organisation=aachen, protocol="saml", slug="aachen", metadata_url=metadata_url))


def test_saml_metadata_is_read_through_outbound_and_kept(idp, loopback_allowed):
    _saml_app(f"{idp}/metadata")
    assert saml_utils.fetch_metadata_url_config is transport.fetch_metadata_config  # allauth calls ours from then on
    cache.clear()
    config = {"metadata_url": f"{idp}/metadata", "entity_id": "http://idp.test/metadata"}
    parsed = saml_utils.fetch_metadata_url_config(config)
    assert parsed["idp"]["singleSignOnService"]["url"] == "http://idp.test/sso"
    assert saml_utils.fetch_metadata_url_config(config) == parsed
    assert [path for _method, path, _ in Handler.seen] == ["/metadata"]  # the second from the cache


def test_saml_metadata_from_a_private_address_is_refused(idp):
    _saml_app(f"{idp}/metadata")
    cache.clear()
    with pytest.raises(outbound.OutboundRefused):
        saml_utils.fetch_metadata_url_config({"metadata_url": f"{idp}/metadata", "entity_id": "x"})
    assert Handler.seen == []


@pytest.mark.django_db
@pytest.mark.parametrize("protocol", ["openid_connect", "saml"])
def test_a_provider_that_cannot_be_reached_gets_a_page_not_a_500(client, protocol):
    from networks.signin import services
    from networks.signin.models import Provider
    from networks.signin.views import login_url
    from tests.networks.factories import OrganisationFactory

    kreis = OrganisationFactory(name="Kreis Düren", slug="kreis-dueren", kind="county")
    address = "https://127.0.0.1:9/o"  # not public: outbound refuses it as it refuses an address that is away
    fields = {"server_url": address, "client_id": "klimanetz", "secret": "s3cret-value-1234"}
    if protocol == "saml":
        fields = {"entity_id": address + "/metadata", "metadata_url": address + "/metadata"}
    provider = Provider(organisation=kreis, protocol=protocol, slug="kreis-dueren", **fields)
    services.provider_save(provider=provider, domains=["kreis-dueren.de"])
    cache.clear()
    response = client.post(login_url(provider), HTTP_HOST="testserver")  # allauth's SAML reads the Host header
    assert response.status_code == 502
    assert "Die Anmeldung von Kreis Düren ist gerade nicht erreichbar" in response.content.decode()
