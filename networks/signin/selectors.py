"""Reads: which provider serves an address, and allauth's apps built from the providers (never stored)."""

from allauth.socialaccount.models import SocialApp
from django.conf import settings

from networks.signin import transport
from networks.signin.models import Provider

PROTOCOLS = {Provider.Protocol.OIDC.value, Provider.Protocol.SAML.value}
# allauth's addresses of a provider (allauth.urls under /konto/, config/urls.py): unprefixed, the same in every language
OIDC_PATH, SAML_PATH = "/konto/oidc/", "/konto/saml/"


def provider_for_email(email: str) -> Provider | None:
    """The active provider whose domains cover ``email``, or None (one query)."""
    if "@" not in (email or ""):
        return None
    return Provider.objects.for_email(email).first()


def provider_by_slug(slug: str) -> Provider | None:
    return Provider.objects.active().select_related("organisation").filter(slug=slug).first()


def sp_metadata_path(slug: str) -> str:
    """The SAML service provider's metadata address (its entity ID too): unprefixed, the same in every language."""
    return f"{SAML_PATH}{slug}/metadata/"


def oidc_callback_path(slug: str) -> str:
    return f"{OIDC_PATH}{slug}/login/callback/"


def social_app(provider: Provider) -> SocialApp:
    """allauth's app for a provider: the one place its settings are turned into allauth's."""
    common = {"hidden": True}  # never listed on allauth's pages: the address decides (views.start)
    if provider.protocol == Provider.Protocol.OIDC:
        return SocialApp(
            provider=provider.protocol,
            provider_id=provider.slug,
            name=provider.display_name,
            client_id=provider.client_id,
            secret=provider.secret,
            settings={**common, "server_url": provider.server_url, "oauth_pkce_enabled": True},
        )
    if provider.metadata_url:
        transport.read_saml_metadata_through_outbound()  # allauth's metadata fetch, before it can run
        idp = {"entity_id": provider.entity_id, "metadata_url": provider.metadata_url}
    else:
        idp = {"entity_id": provider.entity_id, "sso_url": provider.sso_url, "x509cert": provider.certificate}
    return SocialApp(
        provider=provider.protocol,
        provider_id=provider.slug,
        name=provider.display_name,
        client_id=provider.slug,  # allauth's SAML addresses name the app by client_id (/konto/saml/<slug>/…)
        settings={
            **common,
            "idp": idp,
            "sp": {"entity_id": settings.SITE_URL + sp_metadata_path(provider.slug)},
            "advanced": {"strict": True, "want_assertion_signed": True, "reject_deprecated_algorithm": True},
        },
    )


def social_apps(*, provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """What allauth's adapter.list_apps asks for: an app by its provider id (our slug), or by protocol and client
    id. Never all of them: nothing lists the portal's providers (one query, by a unique column)."""
    rows = Provider.objects.active().select_related("organisation")
    if provider in PROTOCOLS:
        if not client_id:
            return []
        rows = rows.filter(
            protocol=provider, **({"slug": client_id} if provider == "saml" else {"client_id": client_id})
        )
    elif provider:
        rows = rows.filter(slug=provider)
        if client_id:
            rows = rows.filter(client_id=client_id)
    else:
        return []
    return [social_app(row) for row in rows[:2]]
