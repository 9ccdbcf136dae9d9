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
        self.fields["attended"].choices = [(r.pk, r.person.name) for r in registrations]


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
