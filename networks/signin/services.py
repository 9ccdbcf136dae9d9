"""Writes: a provider and its domains; the first sign-in's decision (link, accept an invitation, or refuse)."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import Invitation
from networks.signin.models import Domain, Provider


class SignInRefused(Exception):
    """The identity provider's answer is not linked to any account; ``code`` names why (templates/signin/refused)."""

    def __init__(self, code: str, provider: Provider | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.provider = provider


@transaction.atomic
def provider_save(*, provider: Provider, domains: list[str]) -> Provider:
    """Save the provider and make ``domains`` exactly its domains (a domain belongs to one provider: unique)."""
    provider.full_clean(exclude=["organisation"] if provider.organisation_id else None)
    provider.save()
    wanted = sorted({d.strip().lower() for d in domains if d.strip()})
    provider.domains.exclude(domain__in=wanted).delete()
    have = set(provider.domains.values_list("domain", flat=True))
    Domain.objects.bulk_create([Domain(provider=provider, domain=d) for d in wanted if d not in have])
    return provider


def email_of(sociallogin: SocialLogin) -> str:
    email = (sociallogin.user.email or "").strip()
    if not email and sociallogin.email_addresses:
        email = sociallogin.email_addresses[0].email.strip()
    return email


def open_invitations(email: str):
    return Invitation.objects.open().filter(email__iexact=email)


def first_sign_in(*, request, sociallogin: SocialLogin, provider: Provider | None) -> None:
    """allauth's pre_social_login: decide who this identity provider's answer is.

    A known link signs in its account. Otherwise the address must lie in the provider's domains (only then does it
    count as verified), and then it links to the account with that address if that account's address is confirmed
    and it has no other identity at this provider, or, with no account, it may sign up when an invitation to the
    address is open (adapters.SocialAccountAdapter.save_user accepts it). Everything else: SignInRefused."""
    if sociallogin.is_existing:
        return  # linked before: that account (allauth refuses it if deactivated)
    if provider is None:
        raise SignInRefused("unknown")
    email = email_of(sociallogin)
    if not email or "@" not in email:
        raise SignInRefused("no_email", provider)
    domain = email.rpartition("@")[2].lower()
    if not provider.domains.filter(domain=domain).exists():
        raise SignInRefused("other_domain", provider)
    # Covered by the organisation's domains: the identity provider vouches for the address.
    sociallogin.user.email = email
    sociallogin.email_addresses = [EmailAddress(email=email, verified=True, primary=True)]
    # The account whose address (its primary one or another of its addresses) this is; a confirmed one first
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").order_by("-verified").first()
    user = address.user if address else get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        if not open_invitations(email).exists():
            raise SignInRefused("no_account", provider)
        return  # allauth signs up (is_open_for_signup), save_user accepts the invitations
    if address is None or not address.verified:
        raise SignInRefused("unverified", provider)
    if SocialAccount.objects.filter(user=user, provider=provider.slug).exists():
        raise SignInRefused("other_identity", provider)  # another person at the provider, or a changed identity
    sociallogin.connect(request, user)


def saml_metadata_parse(xml: str) -> dict:
    """Entity ID, single sign-on URL (HTTP-Redirect) and signing certificate from an IdP's metadata XML."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        idp = OneLogin_Saml2_IdPMetadataParser.parse(xml.encode()).get("idp", {})
    except Exception as exc:  # noqa: BLE001  # lxml's and the parser's errors: the form says so
        raise ValueError(_("This is not readable SAML metadata.")) from exc
    parsed = {
        "entity_id": idp.get("entityId", ""),
        "sso_url": (idp.get("singleSignOnService") or {}).get("url", ""),
        "certificate": idp.get("x509cert", "") or next(iter((idp.get("x509certMulti") or {}).get("signing", [])), ""),
    }
    if not all(parsed.values()):
        raise ValueError(_("The metadata lacks an entity ID, a single sign-on URL (HTTP-Redirect) or a certificate."))
    return parsed
