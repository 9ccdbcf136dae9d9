"""Forms for creating and changing events and series (coordinators)."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventSeries, Registration
from networks.models import Topic
from networks.numbers import number_formfield

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


VENUE_FIELDS = (
    "venue",
    "room",
    "street",
    "postcode",
    "town",
    "step_free",
    "hearing_loop",
    "accessibility_notes",
    "transit_notes",
)


class StepFreeSelect(forms.Select):
    """Step-free access: not stated, yes or no (a missing answer is not a "no")."""

    def __init__(self, attrs=None):
        choices = (("unknown", _("not stated")), ("true", _("yes")), ("false", _("no")))
        super().__init__(attrs, choices)

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "unknown")

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False}.get(data.get(name))


class VenueMixin:
    def _venue_fields(self):
        self.fields["step_free"].widget = StepFreeSelect()
        self.fields["transit_notes"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["accessibility_notes"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["postcode"].error_messages["invalid"] = _("Please enter a postcode such as 52351.")


class TopicChoiceMixin:
    def _topics_field(self):
        field = self.fields["topics"]
        field.queryset = Topic.objects.order_by("name")
        field.widget = forms.CheckboxSelectMultiple()
        field.widget.choices = field.choices
        field.label_from_instance = lambda topic: topic.label


class EventForm(VenueMixin, TopicChoiceMixin, forms.ModelForm):
    """One event. New events cannot start in the past; the capacity cannot drop below the places already taken."""

    class Meta:
        model = Event
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            "title",
            "kind",
            "format",
            "starts_at",
            "ends_at",
            *VENUE_FIELDS,
            "online_url",
            "capacity",
            "registration_deadline",
            "visibility",
            "description",
            "topics",
            "working_group",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "registration_deadline": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"registration_deadline": _("Optional. Without a deadline, registration is open until the start.")}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self._topics_field()
        self._venue_fields()
        groups = self.fields["working_group"]  # the network's own groups (a meeting of one is on its page)
        groups.queryset = network.working_groups.filter(is_active=True).order_by("name")
        groups.empty_label = _("(the whole network)")
        if not self.instance.pk:  # a new event: the invitation to the members (events.announcements)
            self.fields["invite_members"] = forms.BooleanField(
                label=_("Invite the members"),
                required=False,
                help_text=_(
                    "Every member of the network gets one email with the details, the registration link and the "
                    "date for the calendar (.ics); those who have not answered get one reminder a week before the "
                    "registration deadline."
                ),
            )
        if self.instance.pk:  # a change: a few words for the email the participants get about it
            self.fields["note"] = forms.CharField(
                label=_("Note to the participants"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Optional. Sent with the email about a new date, time, place or link, for example why the date "
                    "moved. Nobody is notified about other changes."
                ),
            )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        moved = self.instance.pk is None or starts_at != self.instance.starts_at
        if moved and starts_at < timezone.now():
            raise forms.ValidationError(_("The start cannot be in the past."))
        return starts_at

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and self.instance.pk:
            taken = self.instance.registrations.filter(status__in=Registration.TAKES_A_PLACE).count()
            if capacity < taken:
                raise forms.ValidationError(
                    _("%(taken)s people already hold a place; the capacity cannot be lower.") % {"taken": taken}
                )
        return capacity

    def clean(self):
        data = super().clean()
        starts_at, deadline = data.get("starts_at"), data.get("registration_deadline")
        if starts_at and deadline and deadline > starts_at:
            self.add_error("registration_deadline", _("The registration deadline must be before the start."))
        return data


class AgendaItemForm(forms.Form):
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    title = forms.CharField(label=_("Agenda item"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("time") or data.get("note")) and not data.get("title"):
            self.add_error("title", _("Please name the agenda item."))
        return data


# absolute_max: a forged TOTAL_FORMS builds (and renders) at most 30 forms, not Django's default 1,030.
AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3, max_num=30, validate_max=True, absolute_max=30)


def agenda_items(formset) -> list[dict]:
    """The filled rows of a valid agenda formset, sorted by time; a row without a time stays after the row
    it followed."""
    rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("title")]
    keys, last = [], None
    for row in rows:
        last = row.get("time") or last
        keys.append(last)
    order = sorted(range(len(rows)), key=lambda i: (keys[i] is not None, keys[i] or time.min, i))
    return [rows[i] for i in order]


def agenda_check(formset, *, starts_at, ends_at) -> bool:
    """The agenda's times lie within a one-day event (on several days a time alone does not say which day);
    a time outside is an error on its row. Returns whether all are inside."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        return True
    inside = True
    for form in formset.forms:
        moment = form.cleaned_data.get("time") if form.cleaned_data.get("title") else None
        if moment and not start.time() <= moment <= end.time():
            form.add_error(
                "time",
                _("%(time)s lies outside the event (%(start)s–%(end)s).")
                % {"time": moment.strftime("%H:%M"), "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
            )
            inside = False
    return inside


def cancel_reason_field() -> forms.CharField:
    """The reason of a cancelled event or series: required, as it goes to everyone registered or waiting."""
    return forms.CharField(
        label=_("Reason (goes to the participants)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give a reason: it goes to everyone registered or waiting.")},
    )


class EventCancelForm(forms.Form):
    reason = cancel_reason_field()


class SeriesForm(VenueMixin, TopicChoiceMixin, forms.ModelForm):
    class Meta:
        model = EventSeries
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            "title",
            "kind",
            "format",
            "frequency",
            "interval",
            "weekday",
            "ordinal",
            "first_date",
            "start_time",
            "end_time",
            "until",
            "count",
            *VENUE_FIELDS,
            "online_url",
            "capacity",
            "registration_closes_hours",
            "visibility",
            "description",
            "topics",
        ]
        widgets = {
            "first_date": DateInput(),
            "until": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "first_date": _("The series starts on the first matching weekday from this date on."),
            "until": _("Optional. Without a last date or number of dates, the series runs until you end it."),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self._topics_field()
        self._venue_fields()
        self.fields["ordinal"].required = False

    def clean_first_date(self):
        first = self.cleaned_data["first_date"]
        if self.instance.pk is None and first < timezone.localdate():
            raise forms.ValidationError(_("The first date cannot be in the past."))
        return first


class SeriesChangeForm(SeriesForm):
    """Edit a series from a date on: earlier dates keep their details."""

    from_date = forms.DateField(
        label=_("Apply the changes from"),
        widget=DateInput(),
        help_text=_("Dates before this day stay as they are. Dates you changed one by one are not touched."),
    )

    def clean_from_date(self):
        from_date = self.cleaned_data["from_date"]
        if from_date < timezone.localdate():
            raise forms.ValidationError(_("Changes can only apply from today on."))
        return from_date


class SeriesCancelForm(forms.Form):
    from_date = forms.DateField(
        label=_("End the series from"),
        widget=DateInput(),
        help_text=_(
            "Dates from this day on are removed; dates with registrations are cancelled and participants told."
        ),
    )
    reason = cancel_reason_field()

    def clean_from_date(self):
        from_date = self.cleaned_data["from_date"]
        if from_date < timezone.localdate():
            raise forms.ValidationError(_("A series can only be ended from today on."))
        return from_date


def agenda_stored(formset) -> list[dict]:
    """A valid agenda formset as a series stores it (JSON): sorted like an event's, times as HH:MM."""
    return [
        {"time": row["time"].strftime("%H:%M") if row.get("time") else "", "title": row["title"], "note": row["note"]}
        for row in agenda_items(formset)
    ]


def agenda_initial(series) -> list[dict]:
    return series.agenda_items() if series is not None else []
