"""Journeys: a climate manager signs in with her organisation's own identity provider (issue 19 §5), once through
OpenID Connect (Kreis Düren: django-oauth-toolkit's provider) and once through SAML 2.0 (Stadt Aachen: pysaml2's
identity provider), each a real provider in a process of its own on loopback (tests/idp). Login page → "Mit der
Anmeldung Ihrer Organisation anmelden" → the work address → "Anmelden mit …" → the provider's own login form → back
in the portal, signed in, the existing account linked. The refusals: tests/signin/test_signin.py."""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings

from networks.signin import selectors, services
from networks.signin.models import Provider
from tests import idp
from tests.browser.helpers import assert_clean, submit
from tests.networks import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

ANNA = "anna.schmitz@kreis-dueren.de"
JONAS = "jonas.weber@mail.aachen.de"
IDP_PASSWORD = "Kreis-Passwort-1"  # noqa: S105  # nosec: the test providers' users


class Started(dict):
    """The providers' base URLs, each waited for on first use: they start while the browser and the database are
    set up for the first journey."""

    def __init__(self, procs: dict) -> None:
        super().__init__()
        self.procs = procs

    def __missing__(self, name: str) -> str:
        self[name] = idp.ready(self.procs[name])
        return self[name]


@pytest.fixture(autouse=True)
def _loopback_providers(settings):
    """The test providers serve http on 127.0.0.1: networks.outbound, which the portal's requests to them go through,
    refuses both in production."""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.SIGNIN_HTTPS_ONLY = False


@pytest.fixture(scope="module")
def providers(chromium_required, live_server):
    """Both identity providers, started side by side (each a second or more: Python, pysaml2's schemas, a key),
    stopped after the module."""
    if shutil.which("xmlsec1") is None:  # the SAML identity provider signs with it
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but xmlsec1 is missing (apt-get install xmlsec1)", pytrace=False)
        pytest.skip("the test SAML identity provider needs xmlsec1 (apt-get install xmlsec1)")
    base = live_server.url.rstrip("/")
    started = []
    try:
        oidc_proc = idp.launch(
            "tests.idp.oidc.serve",
            "--redirect-uri", f"{base}/konto/oidc/kreis-dueren/login/callback/",
            "--user", f"{ANNA}:{IDP_PASSWORD}:Anna Schmitz",
        )  # fmt: skip
        started.append(oidc_proc)
        saml_proc = idp.launch(
            "tests.idp.saml.serve",
            "--sp-entity-id", settings.SITE_URL + selectors.sp_metadata_path("stadt-aachen"),
            "--sp-acs", f"{base}/konto/saml/stadt-aachen/acs/",
            "--user", f"{JONAS}:{IDP_PASSWORD}:Jonas Weber",
        )  # fmt: skip
        started.append(saml_proc)
        yield Started({"oidc": oidc_proc, "saml": saml_proc})
    finally:
        for proc in started:
            idp.stop(proc)


def _allow(browsing, url: str) -> None:
    """Let the tab reach the identity provider (the browsing fixture aborts every other host)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    browsing.page.route(f"{origin}/**", lambda route: route.continue_())


def _journey(browsing, *, email: str, label: str, fill) -> None:
    page = browsing.page
    page.goto(browsing.url("/konto/login/"))
    submit(page, page.get_by_role("link", name="Mit der Anmeldung Ihrer Organisation anmelden"))
    page.get_by_label("Ihre dienstliche E-Mail-Adresse").fill(email)
    submit(page, page.get_by_role("button", name="Weiter"))
    button = page.get_by_role("button", name=f"Anmelden mit {label}")
    assert button.count() == 1, f"no sign-in button on {page.url}: {page.inner_text('main')[:400]}"
    button.click()
    page.wait_for_url(lambda url: not url.startswith(browsing.base_url))  # at the provider's login form
    fill(page)
    page.wait_for_url(lambda url: url.startswith(browsing.base_url + "/") and "/konto/" not in url)
    assert page.get_by_role("button", name="Abmelden", exact=True).is_visible()


def _clean(browsing, *idp_urls: str) -> None:
    origins = tuple("{0.scheme}://{0.netloc}/".format(urlsplit(url)) for url in idp_urls)
    browsing.foreign_requests[:] = [url for url in browsing.foreign_requests if not url.startswith(origins)]
    assert_clean(browsing)


def test_sign_in_with_kreis_dueren_through_openid_connect(browsing, providers):
    kreis = f.OrganisationFactory(name="Kreis Düren", slug="kreis-dueren", kind="county")
    anna = f.PersonFactory(user=f.UserFactory(email=ANNA), name="Anna Schmitz", organisation=kreis).user
    provider = Provider(organisation=kreis, protocol=Provider.Protocol.OIDC, slug="kreis-dueren",
                        server_url=providers["oidc"], client_id="klimanetz", secret="klimanetz-secret")  # fmt: skip
    services.provider_save(provider=provider, domains=["kreis-dueren.de"])
    _allow(browsing, providers["oidc"])

    def fill(page):
        page.get_by_label("Benutzername").fill("anna.schmitz")
        page.get_by_label("Passwort").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Einloggen").click()

    _journey(browsing, email=ANNA, label="Kreis Düren", fill=fill)
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (anna, "kreis-dueren")
    _clean(browsing, providers["oidc"])


def test_sign_in_with_stadt_aachen_through_saml(browsing, providers):
    aachen = f.OrganisationFactory(name="Stadt Aachen", slug="stadt-aachen", kind="city")
    jonas = f.PersonFactory(user=f.UserFactory(email=JONAS), name="Jonas Weber", organisation=aachen).user
    metadata = providers["saml"] + "/metadata"  # its entity ID too
    provider = Provider(organisation=aachen, protocol=Provider.Protocol.SAML, slug="stadt-aachen",
                        entity_id=metadata, metadata_url=metadata)  # fmt: skip
    services.provider_save(provider=provider, domains=["mail.aachen.de"])
    _allow(browsing, providers["saml"])

    def fill(page):
        page.get_by_label("E-Mail-Adresse").fill(JONAS)
        page.get_by_label("Kennwort").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Einloggen").click()

    _journey(browsing, email=JONAS, label="Stadt Aachen", fill=fill)
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (jonas, "stadt-aachen", "u-jonas.weber")
    _clean(browsing, providers["saml"])
