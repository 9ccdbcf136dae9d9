"""One behaviour for every filtered list and its exports: an unknown filter value is ignored with a note.

A link kept from last year (a status that was renamed, an organisation that left, a typo in a hand-written query
string) should still show the list, filtered by what is known, and say what was left out:
"Unbekannter Filterwert ignoriert: Status „fertig“". ``ignore_unknown`` takes such values out of a django-filter
FilterSet's (or a plain filter form's) data before its form is validated; a list page shows the notes with
``partials/filter_notes.html`` and answers 200; an export applies the same FilterSet and reports the same notes
(the JSON in its ``notes``, CSV and XLSX in an ``X-Filter-Notes`` header). What is not a choice (a search that
is too long, a date that is no date) stays a form error (400), as before.

Model choices are checked in one query per field, whatever the number of values (at most ``MAX_VALUES`` per
field are read; more are ignored with a note as well).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_VALUES = 20


def _note(label, value: str) -> str:
    shown = value if len(value) <= 40 else value[:39] + "…"
    return _("Unknown filter value ignored: %(filter)s “%(value)s”") % {"filter": label, "value": shown}


def _known_model_values(field: forms.ModelChoiceField, values: list[str]) -> set[str]:
    key = field.to_field_name or "pk"
    model_field = field.queryset.model._meta.get_field("id" if key == "pk" else key)
    typed = {}
    for value in values:
        try:
            typed[value] = model_field.to_python(value)
        except (ValidationError, ValueError, TypeError):
            continue
    if not typed:
        return set()
    found = {str(v) for v in field.queryset.filter(**{f"{key}__in": list(typed.values())}).values_list(key, flat=True)}
    return {value for value, typed_value in typed.items() if str(typed_value) in found}


def _known_choices(field: forms.ChoiceField, values: list[str]) -> set[str]:
    return {value for value in values if field.valid_value(value)}


def ignore_unknown(filterset) -> list[str]:
    """Take the values no choice of the FilterSet (or plain filter form) knows out of its data (before
    validation); the notes, in the order of the form's fields. Call it right after creating it."""
    data = filterset.data
    if not filterset.is_bound or data is None:
        return []
    cleaned = data.copy()  # a mutable QueryDict (or dict copy)
    notes: list[str] = []
    form = getattr(filterset, "form", filterset)
    for name, field in form.fields.items():
        if not isinstance(field, forms.ChoiceField) or name not in data:
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        values = [str(value) for value in values]
        given = [value for value in values if value != ""]
        if not given:
            continue
        checked, extra = given[:MAX_VALUES], given[MAX_VALUES:]
        if isinstance(field, forms.ModelChoiceField):
            known = _known_model_values(field, checked)
        else:
            known = _known_choices(field, checked)
        unknown = [value for value in checked if value not in known] + extra
        if not unknown:
            continue
        notes += [_note(field.label, value) for value in unknown]
        kept = [value for value in checked if value in known]
        if hasattr(cleaned, "setlist"):
            cleaned.setlist(name, kept)
        elif kept:
            cleaned[name] = kept[0]
        else:
            cleaned.pop(name, None)
    if notes:  # the form is bound but not validated yet: it reads the cleaned data when it is
        filterset.data = form.data = cleaned
        form._errors = None
    return notes


def notes_header(notes: list[str]) -> str:
    """The notes as one HTTP header value (ASCII only: non-ASCII letters are escaped as \\uXXXX)."""
    text = " | ".join(notes)
    return text.encode("ascii", "backslashreplace").decode("ascii")[:1000]
