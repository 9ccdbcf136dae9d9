from django import forms
from django.utils.translation import gettext_lazy as _

from networks.webhooks import kinds as event_types
from networks.webhooks.models import Endpoint
from networks.webhooks.services import check_target

MAX_ENDPOINTS = 10  # per organisation or network


class EndpointForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Event types"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event type.")},
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "kinds"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        if self.instance.pk is None:  # the model's clean() checks the kinds against the owner's
            setattr(self.instance, "network" if owner.is_network else "organisation", owner.obj)
        self.fields["kinds"].choices = [(t.code, t.label) for t in event_types.of_scope(owner.scope)]
        self.kind_help = {t.code: t.help for t in event_types.of_scope(owner.scope)}

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        check_target(url)
        return url

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and self.owner.endpoints().count() >= MAX_ENDPOINTS:
            raise forms.ValidationError(
                _("At most %(n)s endpoints per organisation or network. Delete one you no longer use first.")
                % {"n": MAX_ENDPOINTS}
            )
        return cleaned
