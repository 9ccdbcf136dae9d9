"""The profile's page of personal API tokens: create (the token shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens
from api.forms import TokenForm
from api.models import ApiToken

NEW_TOKEN = "api_token_shown_once"  # noqa: S105 (a session key, not a secret); session key: the new token's id and secret, until the next page shows it


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The person's tokens and the form for a new one. A created token is shown on the next page, once: its secret
    waits in the session until that page takes it out (post, redirect, get: a reload does not create another)."""
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = tokens.token_create(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        request.session[NEW_TOKEN] = [token.pk, secret]
        messages.success(request, _("The token “%(name)s” has been created.") % {"name": token.name})
        return redirect("apitokens:token-list")
    pk, secret = request.session.pop(NEW_TOKEN, [None, None])
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": ApiToken.objects.filter(pk=pk, user=request.user).first() if pk else None,
        "secret": secret,
        "docs_url": reverse("api:openapi-view"),
        "api_url": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/token_list.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” has been revoked. It no longer works.") % {"name": token.name})
    return redirect("apitokens:token-list")
