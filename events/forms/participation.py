"""Forms of registration, attendance, office-hour questions and the FAQ search."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Question, Registration
from networks.filters import SEARCH_MAX_LENGTH
from networks.markdown import PROFILES, MarkdownValidator
from networks.models import Topic


class AttendanceForm(forms.Form):
    """Who attended: ids of registrations holding a place (anything else is a form error)."""

    attended = forms.TypedMultipleChoiceField(
        label=_("Attended"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations: list[Registration], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name) for r in registrations]


class QuestionForm(forms.ModelForm):
    """A member's question before an office hour (the partial renders these fields by hand)."""

    class Meta:
        model = Question
        fields = ["text", "topic", "anonymous"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        self.fields["topic"].empty_label = _("No particular topic")


class QuestionRemoveForm(forms.Form):
    """The coordination removes a question (spam, a duplicate); the reason stays with it in the admin."""

    removed_reason = forms.CharField(
        label=_("Reason for the removal"),
        max_length=300,
        help_text=_("For example “spam” or “duplicate of the question about the heat planning”. Kept in the admin."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=PROFILES["answer"].max_length,
        validators=[MarkdownValidator("answer")],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Members see the answer with the question; answered questions appear in the network's FAQ."),
    )


class FaqFilter(django_filters.FilterSet):
    """Search the answered questions of one network (the queryset is already scoped)."""

    q = django_filters.CharFilter(
        label=_("Search in questions and answers"), method="search", max_length=SEARCH_MAX_LENGTH
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.order_by("name"), empty_label=_("All topics")
    )

    class Meta:
        model = Question
        fields = ["q", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(text__icontains=value) | Q(answer__icontains=value))


def mode_field(*, required: bool = True) -> forms.ChoiceField:
    """'On site or online' of a hybrid event: the participant list counts both."""
    return forms.ChoiceField(
        label=_("How will you take part?"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": _("Please choose whether you come on site or take part online.")},
    )


class ModeForm(forms.Form):
    """A member's registration for a hybrid event: on site or online."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.format == "hybrid":
            self.fields["mode"] = mode_field()

    @property
    def chosen_mode(self) -> str:
        return self.cleaned_data.get("mode", "")


class GuestRegistrationForm(ModeForm):
    """Registration for a public event without an account: a name, an email address (confirmed by a link) and the
    consent to keep them for the event."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send you a link to confirm it; the place is yours once you have confirmed."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Klimanetz keeps my name and email address for this event: the organisers see them in the "
            "list of participants; they are deleted three months after the event."
        ),
        error_messages={"required": _("Without this consent we cannot register you.")},
    )

    field_order = ["name", "email", "mode", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name


class WalkInForm(forms.Form):
    """Someone who came without registering: a name, or one of the network's people."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    person = forms.ModelChoiceField(
        label=_("or a person of the network"), queryset=None, required=False, empty_label=_("(not linked)")
    )

    def __init__(self, *args, event, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if event.format == "hybrid":
            self.fields["mode"] = mode_field(required=False)
            self.fields["mode"].label = _("Took part")

    def clean(self):
        data = super().clean()
        if not data.get("name", "").strip() and not data.get("person"):
            raise forms.ValidationError(_("Please give a name or choose a person."))
        return data
