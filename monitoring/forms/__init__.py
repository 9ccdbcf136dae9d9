"""Forms of the monitoring editors' pages. Numbers follow the one German number rule (networks.numbers): 1234,5 or
1.234,5 on every page."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext_lazy as _

from networks.numbers import parse_number, plain_number

YEAR_MIN, YEAR_MAX = 1990, 2100


YEAR_LINE = re.compile(r"^\s*(\d{4})\s*(?:[:;=\t]|\s)\s*(.+?)\s*$")


def parse_year_lines(text: str, *, max_digits: int, decimal_places: int) -> dict[int, Decimal]:
    """Lines like "2030: 45,0" (also "2030;45,0" or tab-separated, as pasted from a spreadsheet) → {year: value}.

    ValidationError lists every bad line with its number."""
    values: dict[int, Decimal] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = YEAR_LINE.match(line)
        if not match:
            errors.append(
                _("Line %(line)s: write the year, a colon and the value, e.g. 2030: 45,5.") % {"line": number}
            )
            continue
        year = int(match.group(1))
        try:
            value = parse_number(match.group(2))
        except ValidationError as error:
            errors.append(_("Line %(line)s: %(error)s") % {"line": number, "error": " ".join(error.messages)})
            continue
        if not YEAR_MIN <= year <= YEAR_MAX:
            errors.append(
                _("Line %(line)s: the year must lie between %(min)s and %(max)s.")
                % {"line": number, "min": YEAR_MIN, "max": YEAR_MAX}
            )
        elif year in values:
            errors.append(_("Line %(line)s: the year %(year)s is given twice.") % {"line": number, "year": year})
        elif value is None or not _fits(value, max_digits, decimal_places):
            errors.append(_("Line %(line)s: the value is too large or has too many decimal places.") % {"line": number})
        else:
            values[year] = value
    if errors:
        raise ValidationError([str(e) for e in errors])
    return values


def _fits(value: Decimal, max_digits: int, decimal_places: int) -> bool:
    try:
        DecimalValidator(max_digits, decimal_places)(value)
    except ValidationError:
        return False
    return True


def year_lines(values: dict[int, Decimal]) -> str:
    return "\n".join(f"{year}: {plain_number(value)}" for year, value in sorted(values.items()))


class YearLinesField(forms.CharField):
    """A textarea of "year: value" lines; cleans to {year: Decimal}."""

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return year_lines(value) if isinstance(value, dict) else value

    def clean(self, value):
        text = super().clean(value)
        return parse_year_lines(text or "", max_digits=self.max_digits, decimal_places=self.decimal_places)


class YearForm(forms.Form):
    """The ?jahr= of a page: a year from 1990 up to ``max_year``."""

    def __init__(self, *args, max_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"] = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=max_year)


class UploadForm(forms.Form):
    """The file of an import (values or balance); ``table`` holds what was read."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx); 5 MB at most."),
    )
    digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, columns: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns

    def clean_file(self):
        from monitoring import importing

        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB. Please split it."))
        try:
            self.table = importing.read_table(upload.name, upload.read())
            importing.map_headers(self.table.headers, self.columns)
        except importing.ImportFileError as error:
            raise ValidationError(str(error)) from error
        return upload
