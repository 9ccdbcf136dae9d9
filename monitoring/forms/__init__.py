"""Forms of the monitoring editors' pages. Numbers are typed as people write them: 1234,5 or 1.234,5 or 1234.5."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from measures.importing import CellError, parse_decimal

YEAR_MIN, YEAR_MAX = 1990, 2100
GROUPED = {"de": re.compile(r"[+-]?\d{1,3}(\.\d{3})+"), "en": re.compile(r"[+-]?\d{1,3}(,\d{3})+")}


def parse_number(value, *, language: str = "de") -> Decimal | None:
    """A number as people type it (measures.importing.parse_decimal), except that only grouping in the
    language's way counts as grouping: in German "1.234" is 1234 (and "1,234" is 1.234), in English the reverse."""
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f']", "", value)
        pattern = GROUPED.get((language or "de")[:2], GROUPED["de"])
        if pattern.fullmatch(text):
            return Decimal(re.sub(r"[.,]", "", text))
    return parse_decimal(value)


def plain_number(value: Decimal | None) -> str:
    """A stored number as an editor types it in the page's language: 45, 12,5, 1.965.000 (no trailing zeros)."""
    if value is None:
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)


class NumberField(forms.DecimalField):
    """A DecimalField that accepts a decimal comma and thousands separators (German and English spelling)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.pop("step", None)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = parse_number(value, language=get_language())
        except CellError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return plain_number(Decimal(str(value)))
        return value


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
            value = parse_number(match.group(2), language=get_language())
        except CellError as error:
            errors.append(_("Line %(line)s: %(error)s") % {"line": number, "error": error})
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
