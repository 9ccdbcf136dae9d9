"""Forms of citizen participation (proposals, comments, moderation) and of pledges."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from measures.models import (
    Comment,
    Feedback,
    Frequency,
    Measure,
    ParticipationPhase,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalState,
    Sector,
)
from networks.numbers import number_formfield

MARKDOWN_HELP = _("You can use Markdown: **bold**, *italic*, lists with “-” and links. No images or scripts.")
NETIQUETTE_LABEL = _("I accept the participation rules.")


def netiquette_field(*, required: bool = True) -> forms.BooleanField:
    """The participation rules, accepted once at the first contribution (the template links the rules)."""
    return forms.BooleanField(
        label=NETIQUETTE_LABEL,
        required=required,
        error_messages={"required": _("Please accept the participation rules.")},
    )


class NetiquetteMixin:
    """Adds the netiquette checkbox while the person has not accepted the rules yet (``netiquette=True`` asks)."""

    def _add_netiquette(self, ask: bool) -> None:
        self.asks_netiquette = ask
        if ask:
            self.fields["netiquette"] = netiquette_field()


class ProposalForm(NetiquetteMixin, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "sector", "text"]
        labels = {"title": _("Title of your proposal"), "sector": _("Sector"), "text": _("Your proposal")}
        help_texts = {
            "title": _("At most 150 characters."),
            "text": MARKDOWN_HELP,
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, netiquette: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "id_proposal_%s")  # the list page also has the filter's sector field
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Please choose a sector")), *Sector.choices]
        self._add_netiquette(netiquette)


class CommentForm(NetiquetteMixin, forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**53)

    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        help_texts = {"text": MARKDOWN_HELP}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, netiquette: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_netiquette(netiquette)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Emails"), choices=Frequency.choices, required=False)


class FeedbackForm(forms.ModelForm):
    netiquette = netiquette_field()

    class Meta:
        model = Feedback
        fields = ["name", "email", "text"]
        labels = {"name": _("Your name (optional)"), "email": _("Your email address"), "text": _("Your feedback")}
        help_texts = {
            "name": _("Shown with your feedback if it is published; leave it empty to stay anonymous."),
            "email": _("Never shown. We send you a link to confirm it; only then your feedback reaches the editors."),
            "text": MARKDOWN_HELP,
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_feedback_%s")
        super().__init__(*args, **kwargs)


class ProposalAnswerForm(forms.Form):
    """The editors' state and official answer of a proposal."""

    state = forms.ChoiceField(label=_("State"), choices=ProposalState.choices)
    answer = forms.CharField(
        label=_("Official answer"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown prominently on the proposal, dated, with your organisation. Required when not taken up."),
    )
    merged_into_proposal = forms.ModelChoiceField(
        label=_("Merged into the proposal"), queryset=Proposal.objects.none(), required=False
    )
    merged_into_measure = forms.ModelChoiceField(
        label=_("Merged into the measure"), queryset=Measure.objects.none(), required=False
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "state": proposal.state,
                "answer": proposal.answer,
                "merged_into_proposal": proposal.merged_into_proposal_id,
                "merged_into_measure": proposal.merged_into_measure_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["merged_into_proposal"].queryset = (
            Proposal.objects.published().filter(roadmap_id=proposal.roadmap_id).exclude(pk=proposal.pk)
        )
        self.fields["merged_into_measure"].queryset = Measure.objects.filter(roadmap_id=proposal.roadmap_id).order_by(
            "code"
        )


class PhaseForm(forms.ModelForm):
    class Meta:
        model = ParticipationPhase
        fields = ["title", "starts", "ends", "collecting", "description"]
        widgets = {"starts": forms.DateInput(attrs={"type": "date"}), "ends": forms.DateInput(attrs={"type": "date"})}


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
    state = django_filters.ChoiceFilter(label=_("State"), choices=ProposalState.choices, empty_label=_("All states"))
    order = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("supports", _("most supported first"))],
        empty_label=_("newest first"),
        method="order_by",
    )

    class Meta:
        model = Proposal
        fields = ["sector", "state", "order"]

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
