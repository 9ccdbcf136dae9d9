"""Sign-in with an organisation's identity provider (networks.signin, issue 19 §5): the address step, allauth's apps
built from the providers, and the first sign-in's rule through allauth's own flow (complete_social_login with the
provider's answer as allauth parses it): link a confirmed account, accept an invitation, refuse everything else.
The journeys against real identity providers: tests/browser/test_signin_journey.py."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from networks.models import NetworkRole
from networks.signin import selectors, services
from networks.signin.models import Provider
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kreis():
    return f.OrganisationFactory(name="Kreis Düren", slug="kreis-dueren", kind="county")


@pytest.fixture
def oidc(kreis):
    provider = Provider(
        organisation=kreis,
        protocol=Provider.Protocol.OIDC,
        slug="kreis-dueren",
        server_url="http://127.0.0.1:9/o",
        client_id="klimanetz",
        secret="s3cret-value-1234",
    )
    return services.provider_save(provider=provider, domains=["kreis-dueren.de", "Dueren.de "])


def _request(path="/konto/oidc/kreis-dueren/login/callback/"):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def sign_in(provider: Provider, *, email: str, sub: str = "idp-1", name: str = "Anna Schmitz"):
    """What allauth does with the provider's userinfo at the callback: the answer and the request after it."""
    request = _request()
    request.resolver_match = None
    app = selectors.social_app(provider)
    sociallogin = app.get_provider(request).sociallogin_from_response(
        request, {"userinfo": {"sub": sub, "email": email, "email_verified": True, "name": name}}
    )
    sociallogin.state = {"process": "login", "next": "/"}
    with context.request_context(request):  # what allauth's middleware sets for its adapters
        return complete_social_login(request, sociallogin), request


def test_links_the_account_with_the_same_confirmed_address(oidc):
    user = f.UserFactory(email="anna.schmitz@kreis-dueren.de")
    response, request = sign_in(oidc, email="Anna.Schmitz@kreis-dueren.de")
    assert response.status_code == 302
    assert request.user == user
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (user, "kreis-dueren", "idp-1")
    # the next sign-in finds the link (same subject)
    response, request = sign_in(oidc, email="anna.schmitz@kreis-dueren.de")
    assert request.user == user and SocialAccount.objects.count() == 1


def test_links_the_account_that_has_the_address_as_its_second_confirmed_one(oidc):
    user = f.UserFactory(email="anna@privat.example")
    EmailAddress.objects.create(user=user, email="anna.schmitz@dueren.de", verified=True, primary=False)
    response, request = sign_in(oidc, email="anna.schmitz@dueren.de")
    assert response.status_code == 302 and request.user == user


def test_accepts_a_pending_invitation_without_an_account(oidc):
    invitation = f.InvitationFactory(email="dora.klein@dueren.de", role=NetworkRole.Role.MEMBER)
    response, request = sign_in(oidc, email="dora.klein@dueren.de", sub="idp-4", name="Dora Klein")
    assert response.status_code == 302
    user = request.user
    assert user.is_authenticated and user.email == "dora.klein@dueren.de"
    assert EmailAddress.objects.get(user=user).verified  # vouched for by the provider of its domain
    assert user.person.name == "Dora Klein"
    invitation.refresh_from_db()
    assert invitation.used_by == user.person
    # the role is the invitation's, nothing from the provider
    assert list(NetworkRole.objects.filter(person=user.person).values_list("network", "role")) == [
        (invitation.network_id, "member")
    ]


@pytest.mark.parametrize(
    ("email", "setup", "code", "message"),
    [
        ("carla@anderswo.de", "account", "other_domain", "außerhalb der Domains"),
        ("ben.wolf@kreis-dueren.de", "unverified", "unverified", "noch nicht bestätigt"),
        ("anna.schmitz@kreis-dueren.de", "linked", "other_identity", "bereits mit einer anderen Anmeldung"),
        ("emil@kreis-dueren.de", None, "no_account", "noch kein Konto"),
        ("", None, "no_email", "keine E-Mail-Adresse"),
    ],
)
def test_refuses_and_says_why(oidc, email, setup, code, message):
    """Another domain (even with an account there), an unconfirmed account, an account linked to another identity
    at the provider, no account and no invitation, no address: nobody is signed in, nothing is linked."""
    if setup == "account":
        f.UserFactory(email=email)
    elif setup == "unverified":
        f.UserFactory(email=email, verified=False)
    elif setup == "linked":
        SocialAccount.objects.create(user=f.UserFactory(email=email), provider="kreis-dueren", uid="idp-1")
    before = SocialAccount.objects.count()
    response, request = sign_in(oidc, email=email, sub="idp-2")
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not request.user.is_authenticated
    assert SocialAccount.objects.count() == before


def test_an_inactive_provider_signs_nobody_in(oidc):
    f.UserFactory(email="anna.schmitz@kreis-dueren.de")
    oidc.active = False
    oidc.save(update_fields=["active"])
    assert selectors.social_apps(provider="kreis-dueren") == []
    assert selectors.provider_for_email("anna.schmitz@kreis-dueren.de") is None


def test_apps_come_from_the_providers_and_are_never_listed(oidc, django_assert_num_queries):
    with django_assert_num_queries(1):  # the provider by its slug, with its organisation
        (app,) = selectors.social_apps(provider="kreis-dueren")
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect",
        "kreis-dueren",
        "klimanetz",
        "s3cret-value-1234",
    )
    assert app.settings["server_url"] == "http://127.0.0.1:9/o" and app.settings["oauth_pkce_enabled"]
    with django_assert_num_queries(0):  # allauth's list of providers (login page): none, whatever is configured
        assert selectors.social_apps() == []
        assert selectors.social_apps(provider="openid_connect") == []


def test_login_page_offers_the_organisation_step(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("signin:start") in page
    assert "Mit der Anmeldung Ihrer Organisation" in page


def test_address_step_offers_the_organisations_sign_in(client, oidc, django_assert_num_queries):
    with django_assert_num_queries(1):  # the provider of the address's domain (no session yet)
        response = client.post(reverse("signin:start"), {"email": "anna.schmitz@kreis-dueren.de", "next": "/profil/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Anmelden mit Kreis Düren" in page
    assert 'action="/konto/oidc/kreis-dueren/login/"' in page
    assert 'name="next" value="/profil/"' in page
    # in English too, the sign-in goes to the unprefixed address (the callback given to the IdP's operators)
    response = client.post("/en/konto/organisation/", {"email": "anna.schmitz@kreis-dueren.de"})
    assert "Sign in with Kreis Düren" in response.content.decode()
    assert 'action="/konto/oidc/kreis-dueren/login/"' in response.content.decode()


@pytest.mark.parametrize("email", ["someone@anderswo.de", "not-an-address", "x" * 300 + "@kreis-dueren.de", ""])
def test_address_step_refuses_other_addresses_with_a_form_error(client, oidc, email):
    response = client.post(reverse("signin:start"), {"email": email, "next": "https://evil.example/"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Anmelden mit" not in page and "evil.example" not in page


def test_provider_settings_are_validated(kreis):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.provider_save(provider=Provider(organisation=kreis, protocol="saml", slug="x-saml"), domains=["a.de"])
    assert {"entity_id", "metadata_url"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.provider_save(
            provider=Provider(organisation=kreis, protocol="openid_connect", slug="x-oidc"), domains=["a.de"]
        )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/konto/oidc/nope/login/"),
        ("post", "/konto/oidc/nope/login/"),
        ("get", "/konto/oidc/nope/login/callback/?code=x&state=y"),
        ("get", "/konto/saml/nope/login/"),
        ("get", "/konto/saml/nope/metadata/"),
        ("get", "/konto/saml/nope/acs/finish/"),
    ],
)
def test_a_provider_that_does_not_exist_is_not_found(client, oidc, method, path):
    assert getattr(client, method)(path).status_code == 404


def test_saml_service_provider_metadata_names_the_fixed_entity_id(client, kreis, settings):
    provider = Provider(organisation=kreis, protocol=Provider.Protocol.SAML, slug="kreis-saml",
                        entity_id="https://idp.kreis-dueren.de/saml", sso_url="https://idp.kreis-dueren.de/sso",
                        certificate=CERTIFICATE)  # fmt: skip
    services.provider_save(provider=provider, domains=["kreis-dueren.de"])
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    body = client.get("/en/konto/saml/kreis-saml/metadata/", HTTP_HOST="portal.example.org").content.decode()
    assert f'entityID="{settings.SITE_URL}/konto/saml/kreis-saml/metadata/"' in body  # the same in every language
    assert 'WantAssertionsSigned="true"' in body


CERTIFICATE = """MIIBszCCAVmgAwIBAgIUSfb0zHn0FGaRPvS3pUNTz2H+u0EwCgYIKoZIzj0EAwIw
LzEtMCsGA1UEAwwkVGVzdC1JZFAgS3JlaXMgRMO8cmVuIChub3QgYSByZWFsIGtl
eSkwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAvMS0wKwYDVQQDDCRU
ZXN0LUlkUCBLcmVpcyBEw7xyZW4gKG5vdCBhIHJlYWwga2V5KTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABB8Ud8bJf7lHNL2R1XQv1sTp7kpgEbG8kGvgsG1UVfYw
8P9F9ZtSj3H7YBhK4E0xr0D9bC5mG4eTY5vY2mO0Qp2jUzBRMB0GA1UdDgQWBBQ0
x8FqY4tq2Z7fQ3FfZzA8vJmWZDAfBgNVHSMEGDAWgBQ0x8FqY4tq2Z7fQ3FfZzA8
vJmWZDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDh"""


@pytest.fixture
def staff_client(client):
    from tests.helpers import login_with_second_factor

    login_with_second_factor(client, f.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_never_shows_the_secret_and_keeps_it_when_left_empty(staff_client, oidc):
    url = reverse("admin:signin_provider_change", args=[oidc.pk])
    page = staff_client.get(url).content.decode()
    assert "s3cret-value-1234" not in page
    assert "••••••••1234" in page  # its last four characters name it
    assert "/konto/oidc/kreis-dueren/login/callback/" in page  # the redirect URI for the organisation's IT
    data = {
        "organisation": oidc.organisation_id, "protocol": "openid_connect", "slug": "kreis-dueren", "label": "",
        "active": "on", "server_url": "https://login.kreis-dueren.de/realms/kd", "client_id": "klimanetz",
        "secret": "", "domains": "kreis-dueren.de\nkreis-dueren.com", "entity_id": "", "metadata_url": "",
        "metadata_xml": "", "sso_url": "", "certificate": "",
    }  # fmt: skip
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    oidc.refresh_from_db()
    assert oidc.secret == "s3cret-value-1234" and oidc.server_url.endswith("/realms/kd")
    assert sorted(oidc.domains.values_list("domain", flat=True)) == ["kreis-dueren.com", "kreis-dueren.de"]


def test_admin_refuses_a_domain_of_another_provider_and_bad_metadata(staff_client, oidc):
    other = f.OrganisationFactory(name="Stadt Düren", slug="stadt-dueren")
    data = {
        "organisation": other.pk, "protocol": "saml", "slug": "stadt-dueren", "active": "on",
        "domains": "dueren.de", "entity_id": "", "metadata_url": "", "metadata_xml": "<not metadata", "sso_url": "",
        "certificate": "", "server_url": "", "client_id": "", "secret": "", "label": "",
    }  # fmt: skip
    response = staff_client.post(reverse("admin:signin_provider_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schon einem anderen Identitätsanbieter zugeordnet: dueren.de" in page
    assert "keine lesbaren SAML-Metadaten" in page
    assert not Provider.objects.filter(slug="stadt-dueren").exists()


def test_saml_metadata_xml_gives_entity_id_sign_on_url_and_certificate():
    xml = f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
        xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.kreis-dueren.de/saml">
      <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{CERTIFICATE}
        </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
            Location="https://idp.kreis-dueren.de/sso"/>
      </md:IDPSSODescriptor></md:EntityDescriptor>"""
    parsed = services.saml_metadata_parse(xml)
    assert parsed["entity_id"] == "https://idp.kreis-dueren.de/saml"
    assert parsed["sso_url"] == "https://idp.kreis-dueren.de/sso"
    assert parsed["certificate"].startswith("MIIBszCCAVmg")
    with pytest.raises(ValueError):
        services.saml_metadata_parse(xml.replace("IDPSSODescriptor", "SPSSODescriptor"))


def test_the_data_export_names_the_linked_logins(oidc):
    from networks.services import person_export

    anna = f.PersonFactory(user=f.UserFactory(email="anna.schmitz@kreis-dueren.de"))
    sign_in(oidc, email="anna.schmitz@kreis-dueren.de")
    assert person_export(person=anna)["account"]["linked_logins"] == [{"provider": "kreis-dueren", "uid": "idp-1"}]
