"""Forms of the public measure page: the contact form; and the editors' form of the measure's links."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import ContactMessage, Measure, MeasureLink


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["text", "reply_to_sender"]
        labels = {
            "text": _("Your message"),
            "reply_to_sender": _("The contact person may answer me by email (they then see my email address)"),
        }
        help_texts = {
            "text": _("Between 20 and 3,000 characters. Your name is shown to the contact person."),
            "reply_to_sender": _("Without this tick your address stays hidden; the answer may then come in public."),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class MeasureLinkForm(forms.ModelForm):
    class Meta:
        model = MeasureLink
        fields = ["kind", "label", "url", "order"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://") and not url.lower().startswith("http://"):
            raise forms.ValidationError(_("Enter an address that starts with https://."))
        return url


MeasureLinkFormSet = forms.inlineformset_factory(
    Measure, MeasureLink, form=MeasureLinkForm, extra=2, can_delete=True, max_num=20, validate_max=True
)
