"""The one number rule of every form and import: numbers are written the German way, on German and English pages
alike, and a number that could be read two ways is refused with a hint instead of being guessed.

- A comma is the decimal mark: "3,5" is 3.5, "-2,5" is -2.5.
- A dot (or a space) groups thousands and must be followed by exactly three digits: "3.000" is 3000,
  "3.000,5" is 3000.5, "1 234,5" is 1234.5. So "3.5" and "3.00" are refused with a hint (did you mean 3,5 or
  3.500? 3,00 or 300?): read as either they would silently be a wrong number a thousand times too large or small.
- Refused as well: "12,3,4", "1.2.3", "1,234.5" (English grouping), exponents ("1e9"), "inf", "nan", digits of
  other scripts, anything that is not digits, one sign, grouping and one comma.
- A cell a spreadsheet stored as a number (int, float, Decimal) is taken as it is; a float with the 15
  significant digits a spreadsheet program shows (0.1 + 0.2 is 0.3, not 0.30000000000000004).

Plausibility by unit (``bounds_of_unit``): a share (%) lies from 0 to 100; counts, capacities, energy, masses and
emissions are not negative. ``GermanDecimalField`` and ``GermanIntegerField`` are the form fields of this rule;
``parse_number`` and ``check_number`` are what the imports call per cell. Every error is a ValidationError with a
German (translated) message.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

SPACES = "\u00a0\u202f\u2009 "  # no-break, narrow no-break, thin and plain space: grouping as printed
MINUS = "\u2212\u2013-"  # minus sign, en dash (as word processors turn a minus), hyphen-minus last: literal in [...]
NUMBER = re.compile(
    rf"(?P<sign>[+{MINUS}])?"
    r"(?P<whole>[0-9]{1,3}(?:(?P<group>[." + SPACES + r"])[0-9]{3})(?:(?P=group)[0-9]{3})*|[0-9]+)"
    r"(?:,(?P<fraction>[0-9]+))?"
)
AMBIGUOUS_DOT = re.compile(rf"[+{MINUS}]?[0-9]+\.[0-9]+")  # 3.5, 3.00, 1234.5: a decimal dot, or a slip?

SHARE, NOT_NEGATIVE, ANY = "share", "not-negative", "any"
SHARE_UNITS = {"%", "prozent", "percent", "vh", "v h"}
# Units that measure an amount: energy, power, mass, emissions, area, volume, length, counts.
AMOUNT_UNITS = re.compile(
    r"^(?:[kmgtp]?w[hp]?|[kmgtp]?wh\s*/\s*a|[kmgt]?wp|t|kt|mt|kg|g|t\s*co2e?(?:\s*/\s*a)?|co2e?|m2|m²|km2|km²|ha|m3|m³"
    r"|l|km|m|anzahl|stück|stk|st|count|number|zahl|personen|teilnehmende)$"
)
SIGNED_WORDS = re.compile(
    r"°|grad|eur|€|euro|saldo|veränderung|änderung|change|differenz|delta|Δ|\+/-|±|prozentpunkt|percentage point", re.I
)


def _error(message, code: str) -> ValidationError:
    return ValidationError(str(message), code=code)


def parse_number(value) -> Decimal | None:
    """The number of a form value or spreadsheet cell by the German rule; None for an empty one.

    ValidationError (code "invalid" or "ambiguous") for what is not such a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _error(_("“%(value)s” is not a number.") % {"value": value}, "invalid")
    if isinstance(value, float):
        number = Decimal(format(value, ".15g"))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        number = _parse_text(text)
    if not number.is_finite():
        raise _error(_("“%(value)s” is not a number.") % {"value": value}, "invalid")
    return number


def _parse_text(text: str) -> Decimal:
    match = NUMBER.fullmatch(text)
    if match is None:
        if AMBIGUOUS_DOT.fullmatch(text):
            whole, _dot, fraction = text.partition(".")
            raise _error(
                _(
                    "“%(value)s” is ambiguous: the decimal mark is a comma and a dot groups thousands (followed by "
                    "three digits). Write %(decimal)s or %(thousands)s."
                )
                % {"value": text, "decimal": f"{whole},{fraction}", "thousands": f"{whole}{fraction.ljust(3, '0')}"},
                "ambiguous",
            )
        raise _error(
            _("“%(value)s” is not a number. Write numbers like 3.000 or 3,5 or -2,5 (a comma before the decimals).")
            % {"value": text},
            "invalid",
        )
    digits = re.sub(r"[^0-9]", "", match["whole"])
    sign = "-" if match["sign"] and match["sign"] != "+" else ""
    try:
        return Decimal(f"{sign}{digits}.{match['fraction'] or '0'}")
    except InvalidOperation:  # cannot happen for what the pattern allows; refused rather than raised
        raise _error(_("“%(value)s” is not a number.") % {"value": text}, "invalid") from None


def plain_number(value) -> str:
    """A number as the rule writes it (what a form shows and reads back): 45, 12,5, 1.965.000 (no trailing
    zeros); German on every page."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    with override("de"):
        return number_format(value, use_l10n=True, force_grouping=True)


def bounds_of_unit(unit: str) -> str:
    """SHARE (0 to 100), NOT_NEGATIVE, or ANY for the unit of an indicator or column.

    A unit that names an amount (MWh, kWp, t CO2e, m², Anzahl, ...) or counted things by a plain word
    (Ladepunkte, Beratungen) is not negative; money, temperatures and changes may be."""
    text = re.sub(r"\s+", " ", str(unit or "")).strip().casefold()
    if not text:
        return ANY
    if SIGNED_WORDS.search(text):
        return ANY
    if text in SHARE_UNITS or text.startswith("%") or text.endswith("in %"):
        return SHARE
    if AMOUNT_UNITS.match(text) or re.fullmatch(r"[a-zäöüß]+", text):
        return NOT_NEGATIVE
    return ANY


def check_number(
    number: Decimal,
    *,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    unit: str = "",
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """The number if it fits the digits of its field and the plausible range of its unit (and ``minimum`` and
    ``maximum`` where given); ValidationError with a clear message otherwise."""
    if max_digits is not None:
        DecimalValidator(max_digits, decimal_places)(number)
    bounds = bounds_of_unit(unit)
    if bounds == SHARE and not 0 <= number <= 100:
        raise _error(_("%(value)s %% is not plausible: a share lies between 0 and 100 %%.") % _shown(number), "share")
    if bounds == NOT_NEGATIVE and number < 0:
        raise _error(
            _("%(value)s %(unit)s is not plausible: an amount in %(unit)s cannot be negative.")
            % {**_shown(number), "unit": unit},
            "negative",
        )
    if minimum is not None and number < minimum:
        raise _error(_("The number must be at least %(minimum)s.") % {"minimum": plain_number(minimum)}, "min_value")
    if maximum is not None and number > maximum:
        raise _error(_("The number must be at most %(maximum)s.") % {"maximum": plain_number(maximum)}, "max_value")
    return number


def _shown(number: Decimal) -> dict[str, str]:
    return {"value": plain_number(number)}


class GermanNumberInput(forms.TextInput):
    """A text input for a number by the rule: never ``min``, ``max`` or ``step`` (invalid on a text input, and the
    browser must not judge "3.000" by its own rule), also when a form sets them; ``inputmode`` brings up the
    digits keyboard on a phone. The range is checked by the field and said in its help text."""

    NUMBER_ONLY = ("min", "max", "step")

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        for name in self.NUMBER_ONLY:
            attrs.pop(name, None)
        return attrs


class GermanNumberMixin:
    """What both fields share: a text input that keeps what was typed, the rule's parsing and its display."""

    widget = GermanNumberInput

    def __init__(self, *, unit: str = "", **kwargs):
        self.unit = unit
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return plain_number(value)
        return value

    def _number(self, value) -> Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        return parse_number(value)

    def _plausible(self, value):
        if value is not None and self.unit:
            check_number(Decimal(value), unit=str(self.unit))


class GermanDecimalField(GermanNumberMixin, forms.DecimalField):
    """A DecimalField by the one number rule, with the plausible range of its ``unit``."""

    def to_python(self, value):
        return self._number(value)

    def validate(self, value):
        super().validate(value)
        self._plausible(value)


class GermanIntegerField(GermanNumberMixin, forms.IntegerField):
    """An IntegerField by the one number rule ("3.000" is 3000); a number with decimals is refused."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # no grouping: a year stays 2030
        return super().prepare_value(value)

    def to_python(self, value):
        number = self._number(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(_("Please enter a whole number."), code="invalid")
        return int(number)

    def validate(self, value):
        super().validate(value)
        self._plausible(value)


def number_formfield(field, **kwargs):
    """``formfield_callback`` of a ModelForm (or ``fields_for_model``): its DecimalFields and its IntegerFields
    without choices by the rule, with the model's minimum and maximum (a plain Form does not run the model's
    validators)."""
    from django.core.validators import MaxValueValidator, MinValueValidator
    from django.db import models

    if isinstance(field, models.DecimalField):
        form_class = GermanDecimalField
    elif isinstance(field, models.IntegerField) and not field.choices and not field.primary_key:
        form_class = GermanIntegerField
    else:
        return field.formfield(**kwargs)
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
            kwargs.setdefault("min_value", validator.limit_value)
        elif isinstance(validator, MaxValueValidator) and not callable(validator.limit_value):
            kwargs.setdefault("max_value", validator.limit_value)
    return field.formfield(form_class=form_class, **kwargs)
