"""Forms of the public roadmap pages: the base form of the measure list's filters."""

from __future__ import annotations

from django import forms


class MeasureFilterForm(forms.Form):
    """The base form of measures.filters.MeasureFilter: the search is a search field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "suche" in self.fields:
            self.fields["suche"].widget = forms.TextInput(attrs={"type": "search", "maxlength": 100})
