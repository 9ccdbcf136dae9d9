"""Forms of the reports: asking for a report, and the yearly report of a roadmap."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from events.forms.events import DateInput
from monitoring.models import Report, ReportSchedule


def last_year(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


class ReportRequestForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    title = forms.CharField(
        label=_("Title"),
        max_length=Report._meta.get_field("title").max_length,
        required=False,
        help_text=_("Empty: “Monitoring report <name> <year>”."),
    )

    def __init__(self, *args, today: date, default_title: str, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = last_year(today)
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end
        self.fields["title"].initial = default_title
        self.fields["title"].widget.attrs["placeholder"] = default_title

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class ReportScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["enabled", "publish"]
        help_texts = {
            "enabled": _("Every January, a report of the past calendar year is generated."),
            "publish": _("Otherwise you publish it yourself when you have checked it."),
        }
