from django import forms
from django.utils.translation import gettext_lazy as _

from networks.signin import selectors


class StartForm(forms.Form):
    """The address whose domain says which organisation's sign-in to offer."""

    email = forms.EmailField(label=_("Your email address at work"), max_length=254)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.provider = selectors.provider_for_email(email)
        if self.provider is None:
            raise forms.ValidationError(
                _("No organisation has set up its own sign-in for this address. Please sign in with your password."),
                code="no_provider",
            )
        return email
