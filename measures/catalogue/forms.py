"""Forms of the measure library: a curated entry, the editors' switch, and "Copy into my roadmap"."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.catalogue.models import MARKDOWN_PROFILE, MILESTONES_MAX, LibraryEntry
from networks.markdown import MarkdownValidator

MILESTONE_LINE = re.compile(r"^\s*(\d{1,3})\s*[:|]\s*(\S.{0,199})$")


def milestones_text(template: list[dict]) -> str:
    return "\n".join(f"{step.get('months', 0)}: {step.get('title', '')}" for step in template or [])


class EntryForm(forms.ModelForm):
    """A curated entry (from no roadmap). The milestones are written one a line: "months after the start: title"."""

    milestones = forms.CharField(
        label=_("Milestones as a template"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line: months after the start, a colon, the milestone. For example: 3: Beschluss im Rat"),
    )

    class Meta:
        model = LibraryEntry
        fields = [
            "title",
            "summary",
            "description",
            "sector",
            "target_groups",
            "participation_level",
            "cost_low",
            "cost_high",
            "funding",
            "effect_low",
            "effect_expected",
            "effect_high",
            "effect_method",
            "effect_source",
            "published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 10}), "summary": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"description": _("Markdown: **bold**, lists with -, links as [text](https://…).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].validators.append(MarkdownValidator(MARKDOWN_PROFILE))
        if self.instance.pk and not self.is_bound:
            self.initial["milestones"] = milestones_text(self.instance.milestone_template)

    def clean_milestones(self) -> list[dict]:
        lines = [line for line in self.cleaned_data["milestones"].splitlines() if line.strip()]
        if len(lines) > MILESTONES_MAX:
            raise forms.ValidationError(_("At most %(n)s milestones.") % {"n": MILESTONES_MAX})
        template = []
        for number, line in enumerate(lines, start=1):
            match = MILESTONE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(n)s is not “months: milestone” (for example “3: Beschluss im Rat”).") % {"n": number}
                )
            months = int(match.group(1))
            if months > 240:
                raise forms.ValidationError(_("Line %(n)s: at most 240 months.") % {"n": number})
            template.append({"title": match.group(2).strip(), "months": months})
        return template

    def save(self, commit: bool = True):
        entry = super().save(commit=False)
        entry.milestone_template = self.cleaned_data["milestones"]
        return entry


class OfferForm(forms.Form):
    """The editors' switch: in the library or not."""

    offer = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class AdoptForm(forms.Form):
    roadmap = forms.ModelChoiceField(label=_("Into which roadmap?"), queryset=None, empty_label=None)

    def __init__(self, *args, roadmaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = roadmaps
        self.fields["roadmap"].label_from_instance = lambda r: f"{r.title} ({r.organisation.name})"
