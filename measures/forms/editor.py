"""Forms of the editor pages: roadmap, measure sheet, milestones, progress updates, bulk status, table filter."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.forms.events import DateInput
from events.models import Event
from measures.models import MARKABLE_INTERNAL, Measure, MeasureUpdate, Milestone, Proposal, Roadmap, Sector
from measures.models.participation import Moderation
from measures.services.roadmap import slugify_de
from networks.access import group_allows_q
from networks.models import Membership, NetworkRole, Organisation, Person
from networks.numbers import number_formfield

# Slugs that the URL patterns already use below klima-roadmaps/.
RESERVED_ROADMAP_SLUGS = frozenset({"neu"})

# Plain labels for the field groups an editor can keep internal (Measure.internal_fields).
INTERNAL_LABELS = {
    "responsible_person": _("Responsible person internal"),
    "responsible_body": _("Responsible committee or official internal"),
    "cost_estimate": _("Costs internal"),
    "funding": _("Funding internal"),
    "effect": _("Effect estimate internal"),
    "partners": _("Partners internal"),
    "objectives": _("Objectives internal"),
    "target_groups": _("Target groups internal"),
}
INTERNAL_CHOICES = [(name, INTERNAL_LABELS[name]) for name in MARKABLE_INTERNAL]

# Events offered as a measure's origin: from this many years back up to one year ahead.
ORIGIN_EVENT_YEARS = 6


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- Roadmap ------------------------------------------------------------------------------------------


class RoadmapForm(forms.ModelForm):
    """A roadmap's frame. The organisation is chosen once, when the roadmap is created."""

    class Meta:
        model = Roadmap
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            "organisation",
            "title",
            "slug",
            "target_year",
            "baseline_year",
            "baseline_emissions",
            "description",
            "licence",
            "published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "slug": _(
                "Part of the web address: lower-case letters, digits and hyphens, for example kreis-dueren. "
                "Left empty, it is made from the title."
            ),
            "baseline_emissions": _("Greenhouse-gas emissions in the baseline year, in tonnes CO2 equivalent."),
            "licence": _("The open data (CSV and JSON of the measures) carry this licence."),
            "published": _("Only published roadmaps are visible to the public."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = None if len(organisations) == 1 else "---------"
        self.fields["slug"].required = False

    def clean_slug(self) -> str:
        title = self.cleaned_data.get("title", "")
        slug = self.cleaned_data.get("slug") or slugify_de(title)[:80].strip("-")
        slug = slug.lower()
        if not slug:
            raise ValidationError(_("Please give a short address."))
        if slug in RESERVED_ROADMAP_SLUGS:
            raise ValidationError(_("This address is reserved; please choose another one."))
        return slug


# --- Measure ------------------------------------------------------------------------------------------


class MeasureForm(forms.ModelForm):
    """The whole measure sheet. Rules of the model (dates, effect range, continuous) come through its clean()."""

    internal_fields = forms.MultipleChoiceField(
        label=_("Keep internal"),
        choices=INTERNAL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked fields stay on the editors' pages: never on public pages, in feeds or in open data."),
    )
    show_on_time = forms.BooleanField(
        label=_("Show as on time although the dates have passed"),
        required=False,
        help_text=_("Only tick this with a written reason below; otherwise the measure is shown as late."),
    )

    class Meta:
        model = Measure
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            # Basics
            "code",
            "title",
            "sector",
            "summary",
            "summary_en",
            "description",
            "objectives",
            "target_groups",
            # Timing and status
            "status",
            "priority",
            "start",
            "end",
            "continuous",
            "late_override_reason",
            # Responsibility
            "lead_organisation",
            "responsible_person",
            "responsible_body",
            "partners",
            # Funding and costs
            "cost_estimate",
            "funding_programme",
            "funding_amount",
            "funding_status",
            "funding_deadline",
            # Effect
            "effect_expected",
            "effect_low",
            "effect_high",
            "effect_method",
            "effect_source",
            "qualitative_effect",
            # Participation
            "participation_level",
            "how_to_take_part",
            "citizen_cost",
            "plain_language_summary",
            # Origin
            "origin",
            "origin_event",
            "origin_proposal",
            # Visibility
            "published",
            "internal_fields",
            "internal_note",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "qualitative_effect": forms.Textarea(attrs={"rows": 3}),
            "how_to_take_part": forms.Textarea(attrs={"rows": 3}),
            "plain_language_summary": forms.Textarea(attrs={"rows": 4}),
            "internal_note": forms.Textarea(attrs={"rows": 3}),
            "late_override_reason": forms.Textarea(attrs={"rows": 2}),
            "start": DateInput(),
            "end": DateInput(),
            "funding_deadline": DateInput(),
            "partners": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "end": _("Leave empty for a continuous task."),
            "late_override_reason": _(
                "Required when the measure should be shown as on time although its end date or a milestone "
                "has passed, for example: “The council moved the deadline to next year.”"
            ),
            "funding_deadline": _("The responsible person is reminded by email two weeks before."),
            "effect_expected": _("Expected greenhouse-gas reduction per year once the measure works."),
            "effect_low": _("Optional range: lower ≤ expected ≤ upper."),
            "origin_event": _("Only with the origin “stakeholder workshop”."),
            "origin_proposal": _("Only with the origin “citizen proposal”; published proposals of this roadmap."),
            "published": _("Published measures of a published roadmap are visible to the public."),
            "responsible_person": _(
                "People of the roadmap's organisation and of the lead and partner organisations who allow in their "
                "profile to be named publicly."
            ),
        }

    def __init__(self, *args, roadmap: Roadmap, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap
        self.instance.roadmap = roadmap
        self.fields["show_on_time"].initial = bool(self.instance.late_override_reason)
        organisations = Organisation.objects.order_by("name")
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["responsible_person"].queryset = self._people()
        self.fields["responsible_person"].label_from_instance = _person_label
        self.fields["origin_event"].queryset = self._events(user)
        self.fields["origin_event"].label_from_instance = _event_label
        self.fields["origin_proposal"].queryset = self._proposals()

    def _people(self):
        """Who may be named as the measure's (public) contact: people of the roadmap's organisation and its
        editors, and of the lead and partner organisations (saved, or chosen in the same step), who let themselves
        be named in public (Person.objects.publicly_named). The current choice stays, so that saving other fields
        does not fail; the public page names it only while the person allows it."""
        organisation_ids = {self.roadmap.organisation_id, self.instance.lead_organisation_id}
        if self.is_bound:  # a lead or partner chosen in the same step brings its people along
            organisation_ids.update(self._posted_ids("lead_organisation"), self._posted_ids("partners"))
        organisation_ids -= {None}
        chosen = Q(organisation__in=organisation_ids) | Q(organisation_roles__organisation=self.roadmap.organisation_id)
        if self.instance.pk:
            chosen |= Q(organisation__in=self.instance.partners.values("pk"))
        condition = Q(pk__in=Person.objects.publicly_named().filter(chosen).values("pk"))
        if self.instance.responsible_person_id:
            condition |= Q(pk=self.instance.responsible_person_id)
        return Person.objects.filter(condition).select_related("organisation").order_by("name")

    def _posted_ids(self, name: str) -> set[int]:
        """The ids posted for an organisation field, as far as they are ids at all (ASCII digits, at most 18: a
        longer one overflows SQLite's integers); the field itself then says whether they are valid choices."""
        key = self.add_prefix(name)
        values = self.data.getlist(key) if hasattr(self.data, "getlist") else self.data.get(key)
        values = values if isinstance(values, list | tuple) else [values]
        return {int(value) for value in values if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value)}

    def _events(self, user):
        """Bounded: events of the networks the organisation belongs to or hosts and of the editor's own
        networks, not cancelled, from a few years back to one year ahead; plus the current choice."""
        today = timezone.now()
        organisation = self.roadmap.organisation_id
        networks = Membership.objects.filter(organisation=organisation).current().values("network")
        mine = NetworkRole.objects.filter(person__user=user).values("network") if user.is_authenticated else []
        window = Q(
            starts_at__gte=today - timedelta(days=365 * ORIGIN_EVENT_YEARS),
            starts_at__lte=today + timedelta(days=365),
        )
        condition = window & (Q(network__in=networks) | Q(network__host=organisation) | Q(network__in=mine))
        condition &= ~Q(status=Event.Status.CANCELLED) & group_allows_q(user)  # not closed groups' meetings
        if self.instance.origin_event_id:
            condition |= Q(pk=self.instance.origin_event_id)
        return Event.objects.filter(condition).select_related("network").order_by("-starts_at")

    def _proposals(self):
        condition = Q(status=Moderation.PUBLISHED)
        if self.instance.origin_proposal_id:
            condition |= Q(pk=self.instance.origin_proposal_id)
        return Proposal.objects.filter(condition, roadmap=self.roadmap).order_by("-created_at")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if self.roadmap.measures.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another measure of this roadmap already has the code %(code)s."), params={"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        reason = (data.get("late_override_reason") or "").strip()
        if data.get("show_on_time") and not reason:
            self.add_error(
                "late_override_reason", _("Please explain in writing why the measure is on time although it is late.")
            )
        data["late_override_reason"] = reason if data.get("show_on_time") else ""
        origin = data.get("origin")
        if data.get("origin_event") and origin != Measure.Origin.WORKSHOP:
            self.add_error("origin_event", _("An event can only be given with the origin “stakeholder workshop”."))
        if data.get("origin_proposal") and origin != Measure.Origin.PROPOSAL:
            self.add_error("origin_proposal", _("A proposal can only be given with the origin “citizen proposal”."))
        return data


def _person_label(person: Person) -> str:
    return f"{person.name} ({person.organisation})" if person.organisation_id else person.name


def _event_label(event: Event) -> str:
    return f"{event.network.short_name}: {event}"


# --- Milestones and progress updates ------------------------------------------------------------------


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_date"]
        widgets = {"due_date": DateInput(), "done_date": DateInput()}

    def clean_done_date(self):
        done = self.cleaned_data.get("done_date")
        if done and done > timezone.localdate():
            raise ValidationError(_("A milestone cannot be reached in the future."))
        return done


MilestoneFormSet = forms.inlineformset_factory(
    Measure,
    Milestone,
    form=MilestoneForm,
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
    absolute_max=60,  # a forged TOTAL_FORMS builds (and renders) no more forms than that, not 1,060
)


class UpdateForm(forms.ModelForm):
    """A progress report (Sachstand); saved through services.update_add."""

    class Meta:
        model = MeasureUpdate
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = ["date", "text", "percent", "public"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "percent": _("Optional, from 0 to 100."),
            "public": _("Public reports appear on the measure's public page; internal ones only here."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].min_value = 0
        self.fields["percent"].max_value = 100

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("A progress report cannot be dated in the future."))
        return day

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Please describe the progress."))
        return text


# --- Dashboard: bulk status and table filter ----------------------------------------------------------


class IdListField(forms.Field):
    """Several integer ids from checkboxes of the same name."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Unknown measures were chosen.")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkStatusForm(forms.Form):
    measures = IdListField(error_messages={"required": _("Please tick at least one measure.")})
    status = forms.ChoiceField(
        label=_("New status"), choices=Measure.Status.choices, error_messages={"required": _("Please choose a status.")}
    )


class MeasureTableFilter(forms.Form):
    """Narrows the dashboard's table of all measures (GET)."""

    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Measure.Status.choices], required=False
    )
    q = forms.CharField(label=_("Code or title"), max_length=100, required=False)

    def apply(self, measures):
        if not self.is_valid():
            return measures
        data = self.cleaned_data
        if data["sector"]:
            measures = measures.filter(sector=data["sector"])
        if data["status"]:
            measures = measures.filter(status=data["status"])
        if data["q"].strip():
            text = data["q"].strip()
            measures = measures.filter(Q(code__icontains=text) | Q(title__icontains=text))
        return measures
