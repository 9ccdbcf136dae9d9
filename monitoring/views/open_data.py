"""Open data of a public roadmap's monitoring: indicator values and the greenhouse-gas balance as CSV (German
Excel), XLSX and JSON (machine codes); see measures.opendata and monitoring.exports. Who may download: whoever
may read the roadmap (measures.access.access_roadmap: everyone for a published roadmap, its editors otherwise)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from measures import opendata
from measures.access import access_roadmap
from monitoring import exports
from monitoring.selectors import emissions_overview, indicator_series

FORMATS = ("csv", "xlsx", "json")


def _number(value):
    return None if value is None else float(value)


@require_safe  # HEAD too: data portals check their resource links with it
def indicator_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    roadmap = access_roadmap(request.user, slug)
    series_list = indicator_series(exports.public_indicators(roadmap))
    rows = exports.indicator_rows(series_list)
    if fmt != "json":
        columns = exports.indicator_columns()
        return opendata.table_response(
            roadmap, name="indikatoren", title="Indikatoren", columns=columns, items=rows, fmt=fmt
        )
    data = {
        "roadmap": opendata.roadmap_json(roadmap),
        "indicators": [
            {
                "code": s.indicator.code,
                "name": s.indicator.name,
                "unit": s.indicator.unit,
                "direction": s.indicator.direction,
                "source": s.indicator.source,
                "source_licence": s.indicator.source_licence,
                "values": [
                    {"year": r["year"], "kind": r["kind"], "value": _number(r["value"])}
                    for r in rows
                    if r["indicator"] is s.indicator
                ],
            }
            for s in series_list
        ],
    }
    return opendata.json_response(roadmap, data, "indikatoren")


@require_safe
def balance_data(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    roadmap = access_roadmap(request.user, slug)
    overview = emissions_overview(roadmap.organisation)
    rows = exports.balance_rows(overview)
    if fmt != "json":
        columns = exports.balance_columns()
        return opendata.table_response(
            roadmap, name="treibhausgasbilanz", title="Treibhausgasbilanz", columns=columns, items=rows, fmt=fmt
        )
    data = {
        "roadmap": opendata.roadmap_json(roadmap),
        "unit": "t CO2e",
        "balance": [
            {"year": r["year"], "sector": r["sector"], "emissions": _number(r["emissions"])}
            for r in rows
            if r["series"] == "balance"
        ],
        "target_path": [
            {"year": r["year"], "emissions": _number(r["emissions"])} for r in rows if r["series"] == "target_path"
        ],
    }
    return opendata.json_response(roadmap, data, "treibhausgasbilanz")
