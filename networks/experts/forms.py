from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.experts.models import Question, QuestionMessage


class QuestionForm(forms.Form):
    subject = Question._meta.get_field("subject").formfield(label=pgettext_lazy("email", "Subject"))
    body = QuestionMessage._meta.get_field("body").formfield(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe your situation briefly (municipality, stage, what you have tried). The person receives it by "
            "email and can answer by email; neither of you sees the other's address."
        ),
    )


class MessageForm(forms.Form):
    body = QuestionMessage._meta.get_field("body").formfield(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5})
    )
