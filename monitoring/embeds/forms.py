from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.embeds.origins import MAX_ORIGINS, parse_origins


class AllowedOriginsForm(forms.Form):
    origins = forms.CharField(
        label=_("Websites that may show the embeds"),
        help_text=_(
            "One address per line, with https://, e.g. https://www.kreis-dueren.de. “https://*.kreis-dueren.de” "
            "allows every subdomain. Leave empty to allow no website."
        ),
        required=False,
        max_length=MAX_ORIGINS * 120,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_origins(self) -> list[str]:
        return parse_origins(self.cleaned_data["origins"])
