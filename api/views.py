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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    created = secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created, secret = tokens.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = TokenForm(user=request.user)
        else:
            status = 400
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created,
        "secret": secret,
        "docs_url": reverse("api:openapi-view"),
        "api_url": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/token_list.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” has been revoked. It no longer works.") % {"name": token.name})
    return redirect("apitokens:token-list")
