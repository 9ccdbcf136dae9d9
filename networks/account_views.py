"""Account pages around allauth's: sending the address-confirmation email again (FINDINGS, Citizens: the "check
your mail" page offers "E-Mail erneut senden")."""

from __future__ import annotations

from allauth.account.internal.flows.email_verification import consume_email_verification_rate_limit
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods


class ResendForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)


@require_http_methods(["GET", "POST"])
def verification_resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation email of an unconfirmed address again, through allauth (its rate limit: one per
    address every three minutes). The answer is the same whether or not the address has an account."""
    form = ResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = (
            EmailAddress.objects.filter(email__iexact=form.cleaned_data["email"], verified=False)
            .select_related("user")
            .first()
        )
        # allauth's confirmation with its rate limit, without its message naming the address (no account is told)
        if (
            address is not None
            and address.user.is_active
            and consume_email_verification_rate_limit(request, address.email)
        ):
            address.send_confirmation(request)
        messages.info(
            request,
            _(
                "If this address belongs to an account that is not confirmed yet, we have sent the email again. "
                "Please also look in your spam folder."
            ),
        )
        return redirect("networks:verification-resend")
    return render(request, "account/verification_resend.html", {"form": form}, status=400 if form.errors else 200)
