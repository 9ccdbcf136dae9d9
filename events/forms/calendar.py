"""Forms of the calendar pages: the event list's filter form and the calendar's view switch."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


FILTER_YEARS = (2000, 2100)


class EventFilterForm(forms.Form):
    """The base form of events.filters.EventFilter: a date range whose end is not before its start."""

    def clean(self):
        cleaned = super().clean()
        for name in ("von", "bis"):  # 0001-01-01 or 9999-12-31 overflow when made aware or moved a day on
            day = cleaned.get(name)
            if day is not None and not (FILTER_YEARS[0] <= day.year <= FILTER_YEARS[1]):
                self.add_error(name, _("Please choose a date between 2000 and 2100."))
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("The end of the period must not be before its start."))
        return cleaned


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class CalendarViewForm(forms.Form):
    """The network calendar's query string: ?ansicht=monat&monat=2026-12 or ?zeitraum=vergangen."""

    ansicht = forms.ChoiceField(choices=[("liste", _("list")), ("monat", _("month"))], required=False)
    zeitraum = forms.ChoiceField(choices=[("kommend", _("upcoming")), ("vergangen", _("past"))], required=False)
    monat = forms.CharField(label=_("Month"), required=False, max_length=7)

    def clean_monat(self) -> date | None:
        value = self.cleaned_data["monat"].strip()
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        if not match:
            raise forms.ValidationError(_("Please give the month as year and month, for example 2026-12."))
        year, month = int(match[1]), int(match[2])
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Please choose a month between January 2000 and December 2100."))
        return date(year, month, 1)
