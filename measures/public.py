"""The one place that decides what of a measure is public.

Public pages, the open-data CSV/JSON and any feed get measures only as ``PublicMeasure``:
a read-only view that knows nothing of ``internal_note`` and hides every field group an
editor marked internal. A template asking for anything else gets nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from measures.models import Measure, Sector

# Field groups an editor can mark internal (Measure.internal_fields) and the fields they cover.
GROUPS = {
    "responsible_person": ("responsible_person",),
    "responsible_body": ("responsible_body",),
    "cost_estimate": ("cost_estimate",),
    "funding": ("funding_programme", "funding_amount", "funding_status", "funding_deadline"),
    "effect": ("effect_expected", "effect_low", "effect_high", "effect_method", "effect_source"),
    "partners": ("partners",),
    "objectives": ("objectives",),
    "target_groups": ("target_groups",),
}

ALWAYS_PUBLIC = (
    "pk",
    "code",
    "slug",
    "title",
    "summary",
    "summary_en",
    "description",
    "sector",
    "status",
    "lead_organisation",
    "start",
    "end",
    "continuous",
    "priority",
    "participation_level",
    "qualitative_effect",
    "how_to_take_part",
    "citizen_cost",
    "plain_language_summary",
    "origin",
    "origin_event",
    "origin_proposal",
    "roadmap",
    "updated_at",
    "shows_late",
)
MAYBE_PUBLIC = tuple(name for names in GROUPS.values() for name in names)
DISPLAYS = ("sector", "status", "priority", "participation_level", "origin", "funding_status", "citizen_cost")


class PublicMeasure:
    """Read-only public face of a measure; internal field groups read as None (or an empty list)."""

    def __init__(self, measure: Measure, *, percent: int | None = None):
        self._measure = measure
        hidden = set()
        for group in measure.internal_fields or []:
            hidden.update(GROUPS.get(group, ()))
        self._hidden = frozenset(hidden)
        self.percent = percent if percent is not None else getattr(measure, "latest_percent", None)

    def __getattr__(self, name: str):
        if name.startswith("get_") and name.endswith("_display"):
            field = name[4:-8]
            if field in DISPLAYS and field not in self._hidden:
                return getattr(self._measure, name)
            return lambda: ""
        if name in ALWAYS_PUBLIC:
            return getattr(self._measure, name)
        if name in MAYBE_PUBLIC:
            if name in self._hidden:
                return [] if name == "partners" else None
            if name == "partners":
                return list(self._measure.partners.all())
            return getattr(self._measure, name)
        raise AttributeError(name)

    def is_hidden(self, group: str) -> bool:
        return any(name in self._hidden for name in GROUPS.get(group, ()))

    def get_absolute_url(self) -> str:
        return self._measure.get_absolute_url()


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


# The open-data columns: (key, header with unit, getter). The JSON uses the keys; the CSV the headers.
OPEN_DATA_COLUMNS = (
    ("code", "code", lambda m: m.code),
    ("title", "title", lambda m: m.title),
    ("url", "url", lambda m: settings.SITE_URL.rstrip("/") + m.get_absolute_url()),
    ("sector", "sector", lambda m: m.sector),
    ("status", "status", lambda m: m.status),
    ("late", "late (true/false)", lambda m: m.shows_late),
    ("percent_complete", "percent_complete (%)", lambda m: m.percent),
    ("summary", "summary", lambda m: m.summary),
    ("lead_organisation", "lead_organisation", lambda m: m.lead_organisation.name if m.lead_organisation else None),
    ("responsible_body", "responsible_body", lambda m: m.responsible_body or None),
    ("start", "start (YYYY-MM-DD)", lambda m: m.start.isoformat() if m.start else None),
    ("end", "end (YYYY-MM-DD)", lambda m: m.end.isoformat() if m.end else None),
    ("continuous", "continuous (true/false)", lambda m: m.continuous),
    ("priority", "priority", lambda m: m.priority),
    ("cost_estimate_eur", "cost_estimate (EUR)", lambda m: _number(m.cost_estimate)),
    ("funding_programme", "funding_programme", lambda m: m.funding_programme or None),
    ("funding_amount_eur", "funding_amount (EUR)", lambda m: _number(m.funding_amount)),
    ("funding_status", "funding_status", lambda m: m.funding_status or None),
    ("effect_expected_t_co2e_per_year", "effect_expected (t CO2e/a)", lambda m: _number(m.effect_expected)),
    ("effect_low_t_co2e_per_year", "effect_low (t CO2e/a)", lambda m: _number(m.effect_low)),
    ("effect_high_t_co2e_per_year", "effect_high (t CO2e/a)", lambda m: _number(m.effect_high)),
    ("effect_method", "effect_method", lambda m: m.effect_method or None),
    ("effect_source", "effect_source", lambda m: m.effect_source or None),
    ("participation_level", "participation_level", lambda m: m.participation_level or None),
    ("origin", "origin", lambda m: m.origin),
    ("updated_at", "updated_at (ISO 8601)", lambda m: m.updated_at.isoformat()),
)

# Documentation of the JSON fields, served with the data (key → meaning).
OPEN_DATA_FIELDS = {
    "code": "the roadmap's own code of the measure",
    "title": "title",
    "url": "public page of the measure",
    "sector": "sector (Handlungsfeld): " + ", ".join(Sector.values),
    "status": "status: " + ", ".join(Measure.Status.values),
    "late": "true when the measure is behind its end date or a milestone",
    "percent_complete": "percent complete according to the latest public progress update (0–100) or null",
    "summary": "short summary",
    "lead_organisation": "name of the lead organisation",
    "responsible_body": "responsible committee or official",
    "start": "start date (YYYY-MM-DD)",
    "end": "end date (YYYY-MM-DD); null for continuous tasks",
    "continuous": "true for a continuous task without end",
    "priority": "priority: high, medium, low",
    "cost_estimate_eur": "estimated cost in euros",
    "funding_programme": "funding programme",
    "funding_amount_eur": "funding amount in euros",
    "funding_status": "funding status: planned, applied, granted, rejected",
    "effect_expected_t_co2e_per_year": "expected greenhouse-gas reduction in tonnes CO2 equivalent per year",
    "effect_low_t_co2e_per_year": "lower end of the estimate (t CO2e/a)",
    "effect_high_t_co2e_per_year": "upper end of the estimate (t CO2e/a)",
    "effect_method": "how the effect was estimated",
    "effect_source": "source of the estimate",
    "participation_level": "citizen participation: information, consultation, codecision",
    "origin": "where the measure came from: administration, workshop, proposal",
    "updated_at": "last change (ISO 8601)",
}


def open_data_rows(measures) -> list[dict]:
    """One dict per public measure, with the open-data keys; internal fields are null."""
    return [{key: getter(m) for key, _header, getter in OPEN_DATA_COLUMNS} for m in measures]
