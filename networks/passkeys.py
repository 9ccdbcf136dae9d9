"""Passkeys (WebAuthn, issue 19 §5): allauth's forms with the portal's labels (settings.MFA_FORMS).

A passkey added here signs in without the password unless its owner says otherwise: that needs a key the device
keeps (resident) and unlocks with its screen lock, which allauth then requires (user verification)."""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    LoginWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django import forms
from django.utils.translation import gettext_lazy as _

# What fido2 raises for a credential of the wrong shape (a list, a missing rawId) where allauth catches only some:
# the form says the passkey was not accepted instead of a 500.
MALFORMED = (AttributeError, KeyError, TypeError, ValueError)


def name_field(**kwargs) -> forms.CharField:
    return forms.CharField(label=_("Name of the passkey"), max_length=100, **kwargs)


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("passwordless", True)
        super().__init__(*args, **kwargs)
        self.fields["name"] = name_field(
            required=False, help_text=_("So that you can tell your passkeys apart, e.g. “Laptop” or “Phone”.")
        )
        self.fields["passwordless"].label = _("Also sign in with this passkey alone, without the password")
        self.fields["passwordless"].help_text = _(
            "The device then asks for its screen lock (fingerprint, face or PIN). Leave it off for a security key "
            "without a PIN: it is then only the second factor after your password."
        )

    def clean(self) -> dict:
        try:
            return super().clean()
        except MALFORMED as error:
            raise get_adapter().validation_error("incorrect_code") from error


class RenamePasskeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"] = name_field(required=True)


class _Malformed:
    """A passkey's answer of the wrong shape is a wrong answer (allauth's message), not a 500."""

    def clean_credential(self):
        try:
            return super().clean_credential()
        except MALFORMED as error:
            raise get_adapter().validation_error("incorrect_code") from error


class LoginPasskeyForm(_Malformed, LoginWebAuthnForm):
    pass


class ReauthenticatePasskeyForm(_Malformed, ReauthenticateWebAuthnForm):
    pass


class AuthenticatePasskeyForm(_Malformed, AuthenticateWebAuthnForm):
    pass
