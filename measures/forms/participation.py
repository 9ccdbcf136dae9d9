"""Forms of citizen participation (proposals, comments, moderation) and of pledges."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from measures.models import Comment, Pledge, PledgeReport, Proposal, Sector
from networks.numbers import number_formfield

MARKDOWN_HELP = _("You can use Markdown: **bold**, *italic*, lists with “-” and links. No images or scripts.")


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "sector", "text"]
        labels = {"title": _("Title of your proposal"), "sector": _("Sector"), "text": _("Your proposal")}
        help_texts = {
            "title": _("At most 150 characters."),
            "text": MARKDOWN_HELP,
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_proposal_%s")  # the list page also has the filter's sector field
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Please choose a sector")), *Sector.choices]


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        help_texts = {"text": MARKDOWN_HELP}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class ModerationForm(forms.Form):
    """Publish, or reject with a reason the author will read."""

    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("reject", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting; the author reads it in an email."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            raise ValidationError(_("Please give a reason for rejecting; the author will read it."))
        return data

    @property
    def publish(self) -> bool:
        return self.cleaned_data["decision"] == "publish"


class ProposalToMeasureForm(forms.Form):
    code = forms.CharField(label=_("Code of the new measure"), max_length=20, help_text=_("For example: M-12 or GW-03"))


class ProposalFilter(django_filters.FilterSet):
    """Sector and order of the published proposals of one roadmap (the queryset is already scoped)."""

    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("All sectors"))
    order = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("supports", _("most supported first"))],
        empty_label=_("newest first"),
        method="order_by",
    )

    class Meta:
        model = Proposal
        fields = ["sector", "order"]

    def order_by(self, queryset, name, value):
        """``supports``: by the ``support_count`` the view annotates."""
        if value == "supports":
            return queryset.order_by("-support_count", "-created_at", "-pk")
        return queryset


class PledgeForm(forms.ModelForm):
    class Meta:
        model = Pledge
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = ["target_year", "baseline_year", "baseline_emissions", "commitments"]
        help_texts = {
            "target_year": _("The year by which your organisation wants to be climate-neutral."),
            "baseline_emissions": _("Greenhouse-gas emissions in the baseline year, in tonnes CO2 equivalent."),
            "commitments": _("What your organisation commits to, for example: green electricity from 2026."),
        }
        widgets = {"commitments": forms.Textarea(attrs={"rows": 6})}


class PledgeReportForm(forms.ModelForm):
    class Meta:
        model = PledgeReport
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = ["year", "emissions", "progress"]
        labels = {"progress": _("What has happened this year")}
        widgets = {"progress": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, pledge: Pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pledge = pledge

    def clean_year(self):
        year = self.cleaned_data["year"]
        if PledgeReport.objects.filter(pledge=self.instance.pledge, year=year).exists():
            raise ValidationError(
                _("There is already a report for %(year)s. Each year is reported once."), params={"year": year}
            )
        return year
