"""The report as an HTML document (also the source of the PDF): the snapshot made ready to read.

Numbers and dates are formatted here, in the report's language, so the template only places them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from monitoring.charts import Chart
from monitoring.reporting.text import day, has_activity, moment, num, period, sections

TEMPLATE = "monitoring/report/document.html"


@dataclass
class ChartView:
    """A frozen chart: its server-side drawing and its data table, formatted."""

    title: str
    caption: str
    unit: str
    svg: SafeString
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    is_empty: bool


def chart_view(data: dict, decimals: int | None = None) -> ChartView:
    chart = Chart.from_dict(data)
    rows = [(label, [num(v, decimals) for v in values]) for label, values in chart.table()]
    return ChartView(
        title=chart.title,
        caption=chart.caption,
        unit=chart.unit,
        svg=chart.svg() if not chart.is_empty else SafeString(""),
        headers=[s.label for s in chart.series],
        rows=rows,
        is_empty=chart.is_empty,
    )


def _measures(sectors: list[dict]) -> list[dict]:
    out = []
    for sector in sectors:
        measures = [
            {
                **m,
                "percent_text": f"{num(m['percent'], 0)} %" if m["percent"] is not None else "–",
                "effect_text": num(m["effect_expected"]),
                "span": _span(m),
            }
            for m in sector["measures"]
        ]
        out.append({**sector, "measures": measures})
    return out


def _span(measure: dict) -> str:
    start, end = day(measure["start"]), day(measure["end"])
    if measure["continuous"]:
        return _("from %(start)s, continuous") % {"start": start} if start else _("continuous")
    if start and end:
        return f"{start} – {end}"
    return start or end or "–"


def _indicators(indicators: list[dict]) -> list[dict]:
    return [
        {
            **i,
            "latest_text": num(i["latest_value"]),
            "chart_view": chart_view(i["chart"]),
        }
        for i in indicators
    ]


def _heat_planning(part: dict | None) -> dict | None:
    if part is None:
        return None
    rows = [
        {
            **row,
            "deadline_text": day(row["deadline"]),
            "council_text": day(row["council_decision_on"]),
            "update_due_text": day(row["update_due"]),
            "concept_text": day(row["concept_adopted_on"]),
            "neutrality_decided_text": day(row["neutrality_decided_on"]),
            "days_left_text": num(abs(row["days_left"]), 0) if row["days_left"] is not None else "",
            "obliged": row.get("obliged", True),
            "steps": [{**s, "date_text": day(s["date"])} for s in row["steps"]],
        }
        for row in part["rows"]
    ]
    out = {**part, "rows": rows, "as_of_text": day(part["as_of"])}
    for key in ("stages_chart", "target_years_chart"):
        if part.get(key):
            out[key] = chart_view(part[key], 0)
    return out


def _activity(part: dict) -> dict:
    met = [n for n in part["networks"] if n["meetings"]]  # text.active_networks: no "0 meetings" lines
    networks = [{**n, "events": [{**e, "date_text": day(e["date"])} for e in n["events"]]} for n in met]
    return {**part, "networks": networks}


def context(snapshot: dict, *, for_pdf: bool) -> dict:
    """Everything the document template shows (call with the report's language active)."""
    summary = snapshot["summary"]
    emissions = snapshot["emissions"]
    return {
        "s": snapshot,
        "for_pdf": for_pdf,
        "sections": sections(snapshot),
        "period_text": period(snapshot, long=True),
        "generated_text": moment(snapshot["generated_at"]),
        "summary": summary,
        "n": {key: num(value) for key, value in summary.items() if isinstance(value, int | float)},
        "sectors": _measures(snapshot["sectors"]),
        "indicators": _indicators(snapshot["indicators"]),
        "emissions": emissions,
        "disagreements": [
            {**d, "indicator_text": num(d["indicator_value"]), "balance_text": num(d["balance"])}
            for d in (emissions or {}).get("disagreements", [])
        ],
        "emissions_chart": chart_view(emissions["chart"], 1) if emissions else None,
        "heat_planning": _heat_planning(snapshot["heat_planning"]),
        "members": [{**m, "population_text": num(m["population"])} for m in snapshot["members"] or []],
        "activity": _activity(snapshot["activity"]),
        "has_activity": has_activity(snapshot),
    }


def render_document(snapshot: dict, *, for_pdf: bool) -> str:
    with translation.override(snapshot["language"]):
        return render_to_string(TEMPLATE, context(snapshot, for_pdf=for_pdf))


def render_html(snapshot: dict) -> bytes:
    return render_document(snapshot, for_pdf=False).encode("utf-8")
