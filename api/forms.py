from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {
            "scope": _("Read: what you may see in the portal. Read and write: also change what you edit as an editor."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from api.tokens import MAX_TOKENS

        data = super().clean()
        if ApiToken.objects.active().filter(user=self.user).count() >= MAX_TOKENS:
            raise forms.ValidationError(
                _("You have %(count)s active tokens. Please revoke one you no longer use first.")
                % {"count": MAX_TOKENS}
            )
        return data
