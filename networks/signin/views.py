"""The step before an organisation's sign-in: the address decides which identity provider is offered."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from networks.signin.forms import StartForm
from networks.signin.models import Provider


def login_url(provider: Provider) -> str:
    """allauth's login address of the provider, unprefixed: its callback and the SAML addresses are the same in
    every language (the addresses given to the organisation's IT, README)."""
    with translation.override(settings.LANGUAGE_CODE):
        if provider.protocol == Provider.Protocol.OIDC:
            return reverse("openid_connect_login", kwargs={"provider_id": provider.slug})
        return reverse("saml_login", kwargs={"organization_slug": provider.slug})


def start(request: HttpRequest) -> HttpResponse:
    """Ask for the address (no JavaScript), then offer “Sign in with <organisation>” as a button (allauth wants a
    POST to start a sign-in)."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = StartForm(request.POST if request.method == "POST" else None)  # an empty POST: the form's error
    provider = None
    if request.method == "POST" and form.is_valid():
        provider = form.provider
    context = {
        "form": form,
        "provider": provider,
        "provider_login_url": login_url(provider) if provider else "",
        "next": next_url,
    }
    response = render(request, "signin/start.html", context, status=400 if form.errors else 200)
    if provider is not None:
        # The button's POST is answered by a redirect to the provider: CSP's form-action covers redirect targets.
        response._csp_update = {"form-action": provider_origins(provider)}
    return response


def provider_origins(provider: Provider) -> list[str]:
    """The hosts staff configured for the provider (its issuer, metadata, sign-on addresses)."""
    urls = (provider.server_url, provider.metadata_url, provider.sso_url)
    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in urls if url})
