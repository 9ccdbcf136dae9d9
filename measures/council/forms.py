"""Forms of the council link: the endpoint, the paper search and a link."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from measures.council.models import URL_LENGTH, CouncilConsultation, CouncilPaper, CouncilSystem
from networks import outbound


class EndpointForm(forms.Form):
    system = forms.ModelChoiceField(
        label=_("Council information system from the list"),
        queryset=CouncilSystem.objects.all(),
        required=False,
        empty_label=_("— not in the list: enter the address below —"),
    )
    system_url = forms.URLField(
        label=_("OParl address (system URL)"),
        max_length=URL_LENGTH,
        required=False,
        assume_scheme="https",
        help_text=_("The address of the OParl interface of your council information system, e.g. "
                    "https://ratsinfo.example.de/oparl/v1/system. Your council office or the vendor knows it."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        system, url = data.get("system"), (data.get("system_url") or "").strip()
        if system is not None:
            url = system.system_url
        if not url:
            if "system_url" not in self.errors:
                self.add_error("system_url", _("Please pick a system from the list or enter its OParl address."))
            return data
        try:
            outbound.check_url(url, https_only=getattr(settings, "COUNCIL_HTTPS_ONLY", True))
        except outbound.OutboundRefused as refused:
            self.add_error("system" if system is not None else "system_url", str(refused))
        data["system_url"] = url
        return data


class PaperSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Title or reference number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 2025/123 or Klimaschutzkonzept")}),
    )


class LinkForm(forms.Form):
    paper = forms.ModelChoiceField(queryset=CouncilPaper.objects.none(), widget=forms.HiddenInput)
    consultation = forms.ModelChoiceField(
        label=_("Decision"), queryset=CouncilConsultation.objects.none(), required=False, widget=forms.HiddenInput
    )
    milestone = forms.ModelChoiceField(
        label=_("for the milestone"), queryset=None, required=False, empty_label=_("the measure as a whole")
    )

    def __init__(self, *args, endpoint, measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        papers = CouncilPaper.objects.filter(endpoint=endpoint).current() if endpoint else CouncilPaper.objects.none()
        self.fields["paper"].queryset = papers
        self.fields["consultation"].queryset = CouncilConsultation.objects.filter(paper__in=papers)
        self.fields["milestone"].queryset = measure.milestones.all()

    def clean(self):
        data = super().clean()
        paper, consultation = data.get("paper"), data.get("consultation")
        if paper is not None and consultation is not None and consultation.paper_id != paper.pk:
            self.add_error("consultation", _("The decision belongs to another paper."))
        return data
