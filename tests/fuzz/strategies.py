"""Hypothesis strategies for hostile form input: what a browser, a script or a confused person can send.

Every field of a form is described by its kind (text, number, date, choice, ...), worked out from the form
field class (``field_kind``). A submission is drawn in one of three ways:

- ``one_bad``: every field valid except (usually) one, which gets a hostile value of its kind or of any kind;
  this reaches the form's own checks and the service behind it, and sometimes a valid change.
- ``chaos``: every field independently valid, hostile, random text, missing or repeated.
- ``raw``: a url-encoded body of arbitrary bytes (invalid UTF-8 included), as only a script sends it.
"""

from __future__ import annotations

import string
from urllib.parse import quote_from_bytes

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

HUGE = 100_000

TEXT = [
    "",
    " ",
    "\t\n \u00a0\u2003\u3000",  # whitespace only, including no-break and ideographic spaces
    "\x00",
    "Wärme\x00planung",
    "\u202eKlima\u202c",  # right-to-left override
    "مرحبا بالعالم",  # Arabic (RTL)
    "שלום",  # Hebrew (RTL)
    "👩‍👩‍👧‍👦🏳️‍🌈🇩🇪" * 5,  # emoji sequences
    "Z̸̢̛̛a̴l̷g̵o̶",  # combining marks
    "\ufeff\u200b\u200d",  # BOM, zero-width
    "\U0010ffff\U000e0001",  # last code point, tag character
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE networks_network; --',
    "%s %d %(name)s {0} {{ x }} {% if %}",
    "../../etc/passwd",
    "a\r\nSet-Cookie: x=1",
    "\\N",
    "x" * 1_000,
]
HUGE_TEXT = ["x" * HUGE, "ä" * HUGE, "€\x00" * (HUGE // 2), "\n" * HUGE]
NUMBERS = [
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-inf",
    "-0",
    "0",
    "-1",
    "1.234,5",
    "1,234.5",
    "1.234.567,89",
    "1,5",
    "0,0001",
    "9" * 40,
    "-" + "9" * 40,
    "0." + "0" * 40 + "1",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "１２３",  # full-width digits
    "١٢٣",  # Arabic-Indic digits
    "½",
    "1_000",
    "0x10",
    "+5",
    "--5",
    "5-",
    "12 345",
    "1e3",
    "3.0000000001",
]
DATES = [
    "2026-02-30",
    "0000-00-00",
    "31.12.99999",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-13-01",
    "2026-00-10",
    "1900-02-29",
    "2024-02-29",
    "12/31/2026",
    "31.12.2026",
    "2026-1-1",
    "-2026-01-01",
    "2026-06-01T10:00",
    "٢٠٢٦-٠١-٠١",
    "today",
]
DATETIMES = [
    "2026-02-30T10:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2030-06-01T25:00",
    "2030-06-01T10:00:00+14:00",
    "2030-03-31T02:30",  # does not exist in Europe/Berlin (clocks jump)
    "2030-10-27T02:30",  # exists twice in Europe/Berlin
    "2030-06-01",
    "2030-06-01T10:00:61",
]
TIMES = ["25:00", "23:59:60", "24:00", "-1:00", "10:00:00.9999999999", "1000", "10:60", "10h"]
PKS = ["0", "-1", "999999", "9" * 30, "1.5", "1e3", "abc", " 1", "1\x00", "[1]"]
BOOLS = ["on", "off", "true", "false", "0", "1", "", "yes", "None"]


def nasty_values(kind: str) -> list[str]:
    return {
        "number": NUMBERS,
        "date": DATES,
        "datetime": DATETIMES + DATES[:4],
        "time": TIMES,
        "model": PKS,
        "multi_model": PKS,
        "multi": PKS + ["nonsense"],
        "choice": ["nonsense", "0", "-1", "ÄÖÜ"],
        "bool": BOOLS,
        "email": ["a@b", "@example.org", "x@" + "a" * 300 + ".de", "ä@ö.de", "a b@c.de"],
        "url": ["javascript:alert(1)", "http://", "https://" + "a" * 3000 + ".de", "ftp://x", "//evil.example"],
        "yearlines": ["2030: 1e309", "1989: 5", "2030: 5\n2030: 6", "2030 NaN", "x: 1", "2030: " + "9" * 40],
        "file": [],
    }.get(kind, [])


def field_kind(field: forms.Field) -> str:
    """The kind of value a form field expects (the order matters: subclasses first)."""
    from monitoring.forms import YearLinesField

    checks = [
        (forms.FileField, "file"),
        (forms.ModelMultipleChoiceField, "multi_model"),
        (forms.ModelChoiceField, "model"),
        (forms.MultipleChoiceField, "multi"),
        (forms.ChoiceField, "choice"),
        (forms.NullBooleanField, "bool"),
        (forms.BooleanField, "bool"),
        (forms.DateTimeField, "datetime"),
        (forms.DateField, "date"),
        (forms.TimeField, "time"),
        (forms.DecimalField, "number"),
        (forms.FloatField, "number"),
        (forms.IntegerField, "number"),
        (forms.EmailField, "email"),
        (forms.URLField, "url"),
        (YearLinesField, "yearlines"),
        (forms.CharField, "text"),
    ]
    for cls, kind in checks:
        if isinstance(field, cls):
            return kind
    if isinstance(field.widget, forms.MultipleHiddenInput):
        return "multi"
    return "text"


# --- Files ------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 40  # looks like a .docx/.xlsx to a sniffer, but is none


def file_strategy(valid: bytes | None, name: str = "datei.pdf"):
    names = st.sampled_from(
        [
            name,
            "",
            "x" * 300 + ".pdf",
            "rechnung.pdf.exe",
            "../../../etc/passwd",
            "datei\x00.pdf",
            "ümlaut 😀.pdf",
            "noext",
            ".htaccess",
        ]
    )
    contents = st.one_of(
        st.sampled_from([b"", PDF, PNG, ZIP, b"<script>alert(1)</script>", b"\xff\xfe\x00\x00" * 100]),
        st.binary(max_size=200),
    )
    if valid is not None:
        contents = st.one_of(st.just(valid), contents)
    return st.builds(
        lambda n, c: SimpleUploadedFile(n or "datei", c, content_type="application/octet-stream"), names, contents
    )


# --- Values of one field ----------------------------------------------------------------------------


def hostile(kind: str):
    """A hostile value: of the field's kind, of any kind, or random text."""
    own = nasty_values(kind)
    anything = TEXT + NUMBERS + DATES + PKS
    parts = [st.sampled_from(anything), st.sampled_from(HUGE_TEXT), st.text(max_size=40)]
    if own:
        parts.insert(0, st.sampled_from(own))
    if kind in ("number", "date", "datetime", "model"):
        parts.append(st.integers(min_value=-(10**20), max_value=10**20).map(str))
    return st.one_of(*parts)


def value_for(field_spec, *, bad: bool):
    """One value (or a list of values for multiple fields) for a field spec."""
    kind, valid = field_spec.kind, field_spec.valid
    if kind == "file":
        return file_strategy(valid if not bad else None)
    if not bad:
        return st.just(valid)
    value = hostile(kind)
    if isinstance(valid, str):  # the valid value with a NUL byte or padding: passes a quick look, not the database
        value = st.one_of(value, st.sampled_from([valid + "\x00", "\x00" + valid, f" {valid} ", valid * 50]))
    if kind in ("multi", "multi_model"):
        return st.lists(st.one_of(value, st.sampled_from(field_spec.choices or ["1"])), max_size=4)
    return value


PRESENCE = ["once", "once", "once", "once", "missing", "repeated", "empty"]


@st.composite
def submission(draw, specs: list, extra_hook=None):
    """A dict name → value or list of values (repeated fields), as the test client posts it."""
    mode = draw(st.sampled_from(["one_bad", "one_bad", "one_bad", "chaos", "chaos", "raw"]))
    if mode == "raw" and not any(spec.kind == "file" for spec in specs):
        return draw(raw_body(specs))
    data: dict = {}
    if mode == "one_bad":
        victim = draw(st.sampled_from([None, *range(len(specs))])) if specs else None
        for index, spec in enumerate(specs):
            if index == victim:
                presence = draw(st.sampled_from(PRESENCE))
                if presence == "missing":
                    continue
                if presence == "empty":
                    data[spec.name] = ""
                    continue
                value = draw(value_for(spec, bad=True))
                data[spec.name] = [value, draw(value_for(spec, bad=True))] if presence == "repeated" else value
            elif spec.valid is not None or spec.kind == "file":
                data[spec.name] = draw(value_for(spec, bad=False))
    else:
        for spec in specs:
            presence = draw(st.sampled_from(PRESENCE))
            if presence == "missing":
                continue
            if presence == "empty":
                data[spec.name] = ""
                continue
            bad = spec.valid is None or draw(st.booleans())
            value = draw(value_for(spec, bad=bad))
            data[spec.name] = [value, draw(value_for(spec, bad=True))] if presence == "repeated" else value
        if draw(st.integers(0, 9)) == 0:  # a field nobody asked for
            data[draw(st.sampled_from(["id", "pk", "network", "organisation", "csrfmiddlewaretoken", "x" * 300]))] = (
                draw(hostile("text"))
            )
    if extra_hook is not None:
        data = extra_hook(data, draw)
    return data


@st.composite
def raw_body(draw, specs: list):
    """bytes: a url-encoded body whose values are arbitrary bytes (also invalid UTF-8, %00, lone %ED%A0%80)."""
    pieces = []
    for spec in specs:
        if draw(st.integers(0, 4)) == 0:
            continue
        raw = draw(
            st.one_of(
                st.binary(max_size=60),
                st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"%", b"&&==", b"\x00" * 10]),
                st.just(str(spec.valid if spec.valid is not None else "").encode()),
            )
        )
        pieces.append(quote_from_bytes(spec.name.encode()) + "=" + quote_from_bytes(raw))
    if draw(st.booleans()):
        pieces.append(draw(st.text(alphabet=string.printable, max_size=30)).replace(" ", "+"))
    return "&".join(pieces).encode("ascii")
