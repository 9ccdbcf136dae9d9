"""Forms for minutes, outcomes, documents and the action-item list."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events import services
from events.models import Document, Event, Outcome
from networks.library.uploads import check_upload
from networks.markdown import PROFILES, MarkdownValidator
from networks.models import Network, Organisation, Person

MINUTES_MAX_LENGTH = PROFILES["minutes"].max_length


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MinutesForm(forms.Form):
    """The minutes text, and publishing (first time) or withdrawing them (once published)."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=MINUTES_MAX_LENGTH,
        validators=[MarkdownValidator("minutes")],
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: ## heading, **bold**, *italic*, - list item, 1. numbered item, [text](https://…) for a link, "
            "> quotation, tables with | columns |. Scripts, styles and images are removed."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish and notify participants"),
        required=False,
        help_text=_("Members see the minutes on the event page; registered participants get an email once."),
    )
    unpublish = forms.BooleanField(
        label=_("Withdraw publication"),
        required=False,
        help_text=_("Members no longer see the minutes until you publish them again. Nobody is notified again."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        kwargs.setdefault("initial", {"minutes": event.minutes})
        super().__init__(*args, **kwargs)
        self.event = event
        if event.minutes_published_at:
            del self.fields["publish"]
        else:
            del self.fields["unpublish"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("publish") and not (data.get("minutes") or "").strip():
            self.add_error("minutes", _("Write the minutes before publishing them."))
        return data


def _person_label(person: Person) -> str:
    return f"{person.name} ({person.organisation.name})" if person.organisation_id else person.name


class OutcomeForm(forms.ModelForm):
    """A decision, idea or action item; Outcome.clean's rules come back as form errors.

    A new action item due in the past needs a tick in ``confirm_past_due`` (the box is only offered
    once such a date was sent); an existing overdue item is never blocked.
    """

    confirm_past_due = forms.BooleanField(
        label=_("Yes, the due date lies in the past"),
        required=False,
        help_text=_("For example an action item that was already due at the meeting."),
    )

    class Meta:
        model = Outcome
        fields = ["kind", "text", "owner_person", "owner_organisation", "due_date", "working_group"]
        widgets = {"due_date": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "owner_person": _("Action items only: a person with a role in this network, or …"),
            "owner_organisation": _("… a current member organisation of the network, not both."),
            "due_date": _("Only for action items."),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [("", _("Please choose")), *Outcome.Kind.choices]
        people = self.fields["owner_person"]
        people.queryset = (
            Person.objects.filter(network_roles__network=network).select_related("organisation").order_by("name")
        )
        people.label_from_instance = _person_label
        people.empty_label = _("(no person)")
        organisations = self.fields["owner_organisation"]
        organisations.queryset = Organisation.objects.filter(
            pk__in=network.memberships.current().values("organisation")
        ).order_by("name")
        organisations.empty_label = _("(no organisation)")
        groups = self.fields["working_group"]
        groups.queryset = network.working_groups.filter(is_active=True).order_by("name")
        groups.empty_label = _("(no working group)")
        if not self._past_due_sent():
            del self.fields["confirm_past_due"]

    def _past_due_sent(self) -> bool:
        if not self.is_bound or self.instance.pk:
            return False
        try:
            due = self.fields["due_date"].clean(self.data.get(self.add_prefix("due_date")))
        except ValidationError:
            return False
        return bool(due and due < timezone.localdate())

    def clean(self) -> dict:
        """Outcome.clean's rules on the fields they concern.

        A field error keeps the field out of the model's own check and out of the database
        constraints' check, so each mistake is reported once, next to its field; the model's
        clean() still reports a missing owner.
        """
        data = super().clean()
        kind = data.get("kind") if "kind" in self.fields else self.instance.kind
        if kind == Outcome.Kind.ACTION:
            if data.get("owner_person") and data.get("owner_organisation"):
                self.add_error("owner_organisation", _("An action item has one owner: a person or an organisation."))
            due = data.get("due_date")
            if "confirm_past_due" in self.fields and due and not data.get("confirm_past_due"):
                self.add_error(
                    "due_date",
                    _("%(date)s lies in the past. Choose a later date, or confirm the date below.")
                    % {"date": date_format(due, "SHORT_DATE_FORMAT")},
                )
        elif kind:
            for name in ("owner_person", "owner_organisation", "due_date"):
                if data.get(name):
                    self.add_error(name, _("Only action items have an owner and a due date."))
        return data


class OutcomeEditForm(OutcomeForm):
    """Changing an outcome: its text, owner, due date, group and (action items) status; the history keeps each
    change. The kind stays: a decision that should have been an action item is deleted and recorded anew."""

    class Meta(OutcomeForm.Meta):
        fields = ["text", "owner_person", "owner_organisation", "due_date", "status", "working_group"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, network=network, **kwargs)
        if self.instance.kind != Outcome.Kind.ACTION:
            for name in ("owner_person", "owner_organisation", "due_date", "status"):
                del self.fields[name]


class ActionItemForm(OutcomeForm):
    """A new action item of the network without an event (e.g. taken from a discussion thread)."""

    class Meta(OutcomeForm.Meta):
        fields = ["text", "owner_person", "owner_organisation", "due_date", "working_group"]


class TaskCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=PROFILES["post"].max_length,
        validators=[MarkdownValidator("post")],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italic*, - list item, [text](https://…) for a link."),
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_(
            "Optional. Stored in the network's document library. PDF, images, Office and OpenDocument files, CSV, "
            "TXT or ZIP; 20 MB at most."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload.name, upload)  # the one upload rule: its error is the field's
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and "file" not in self.errors:
            self.add_error("text", _("Write a comment or attach a file."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the file name.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices, initial=Document.Kind.SLIDES)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, images (PNG, JPEG, WebP), Word, Excel, PowerPoint, OpenDocument, CSV, TXT or ZIP; 20 MB at most."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.document_check(upload)  # type by content, size: a ValidationError becomes the field's error
        return upload


class ActionItemFilterForm(forms.Form):
    """The list's filters; invalid values are ignored rather than reported (it is a GET form)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Outcome.Status.choices)
    )
    mine = forms.BooleanField(label=_("Only mine and my organisation's"), required=False)

    def filter(self, queryset, person: Person | None):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["mine"]:
            queryset = queryset.of_person(person) if person else queryset.none()
        return queryset


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Outcome.Status.choices)
