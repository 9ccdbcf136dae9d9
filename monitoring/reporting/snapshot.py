"""The frozen data of a report: built once from the database, stored in ``Report.snapshot``, rendered ever after.

Everything is JSON: numbers as floats, dates as ISO strings, texts (labels, chart titles) already in the
report's language (the caller activates it). The renderers read nothing else, so an old report gives the
same numbers after the data changed.

What goes in, by subject:
- a roadmap: its published measures (a roadmap report can be published: drafts stay out; never internal
  fields, internal notes or internal progress reports: the fields come through ``measures.public.PublicMeasure``
  and the percent from public progress reports up to the period's end), its indicators, the organisation's GHG
  balance against the target path, its heat planning and climate strategy, and the activity of the networks
  the organisation belongs to;
- an organisation: the same over all its roadmaps and all its indicators, with the draft measures too, each
  marked (the editors' internal report: it cannot be published);
- a network: the member municipalities (public measures of published roadmaps only, as the coordinators
  are not their editors), the heat-planning board with its charts, and the network's activity.

Network activity for a roadmap or organisation report: the whole activity of each network the organisation
was a member of during the period (meetings, participants, organisations), with the events in which people
of the organisation took part marked. Every figure is as of the end of the period: measures with their status
of that day (their history; a measure entered only later with its first status), heat-planning stages reached by then
(the dates of the stages), indicator values and balance years up to the period's end year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from measures.models import Measure, MeasureUpdate, Sector
from measures.public import PublicMeasure
from measures.selectors import STATUS_ORDER, Progress
from monitoring import builders
from monitoring import network as network_reads
from monitoring.charts import number
from monitoring.models import Indicator, IndicatorValue, Report, Stage
from monitoring.selectors import emissions_overview, indicator_series
from networks.models import Membership, Network, Organisation

SNAPSHOT_VERSION = 1
Scope = Report.Scope


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(report: Report, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    data = {
        "version": SNAPSHOT_VERSION,
        "scope": report.scope,
        "language": report.language,
        "title": report.title,
        "period": {"start": _iso(report.period_start), "end": _iso(report.period_end)},
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "requested_by": report.requested_by.name if report.requested_by else "",
        "scheduled": report.scheduled,
    }
    if report.scope == Scope.NETWORK:
        data.update(_network(report, report.network, today))
    else:
        organisation = report.roadmap.organisation if report.roadmap else report.organisation
        data.update(_organisation_part(report, organisation, today))
    return data


# --- Roadmap and organisation -------------------------------------------------------------------------------


def _organisation_part(report: Report, organisation: Organisation, today: date) -> dict:
    roadmap = report.roadmap
    if roadmap is not None:
        measures = Measure.objects.filter(roadmap=roadmap, published=True)
        indicators = Indicator.objects.filter(roadmap=roadmap)
        subject = {
            "kind": "roadmap",
            "name": roadmap.title,
            "organisation": organisation.name,
            "target_year": roadmap.target_year,
            "baseline_year": roadmap.baseline_year,
            "baseline_emissions": number(roadmap.baseline_emissions),
            "population": organisation.population,
        }
    else:
        measures = Measure.objects.filter(roadmap__organisation=organisation)
        indicators = Indicator.objects.filter(organisation=organisation)
        subject = {"kind": "organisation", "name": organisation.name, "organisation": organisation.name}
        subject["population"] = organisation.population
    measure_part = measures_section(measures, report.period_start, report.period_end)
    indicator_part = indicators_section(indicators.order_by("order", "name", "pk"), report.period_end)
    emissions = emissions_section(organisation, report.period_end)
    if emissions:
        emissions["disagreements"] = balance_disagreements(indicators, emissions.pop("totals"))
    activity = organisation_activity(organisation, report.period_start, report.period_end)
    summary = {
        **measure_part["summary"],
        "indicators": len(indicator_part),
        "indicators_on_track": sum(1 for i in indicator_part if i["on_track"] is True),
        "indicators_off_track": sum(1 for i in indicator_part if i["on_track"] is False),
        "indicators_not_public": sum(1 for i in indicator_part if not i["public"]),
        "emissions_latest_year": emissions["latest_year"] if emissions else None,
        "emissions_latest_total": emissions["latest_total"] if emissions else None,
        "emissions_gap": emissions["gap"] if emissions else None,
        "meetings": sum(n["meetings"] for n in activity["networks"]),
        "meetings_attended": sum(n["attended"] for n in activity["networks"]),
    }
    return {
        "subject": subject,
        "summary": summary,
        "sectors": measure_part["sectors"],
        "indicators": indicator_part,
        "emissions": emissions,
        "heat_planning": heat_planning_section(organisation, as_of(report, today)),
        "members": None,
        "activity": activity,
    }


def _percent_until(end: date) -> Subquery:
    """The same rule as measures.selectors.with_latest_percent (the newest public progress report with a
    percent), but only reports up to the period's end."""
    latest = (
        MeasureUpdate.objects.filter(measure=OuterRef("pk"), public=True, percent__isnull=False, date__lte=end)
        .order_by("-date", "-pk")
        .values("percent")[:1]
    )
    return Subquery(latest, output_field=IntegerField())


def _as_of(measures, end: date):
    """Each measure with its status at the end of ``end`` (``status_then``) from its history: the last change up
    to then, or for a measure entered only later its first recorded status (it may well have existed before)."""
    moment = timezone.make_aware(datetime.combine(end, time.max))
    history = Measure.history.model.objects.filter(id=OuterRef("pk"))
    last_then = history.filter(history_date__lte=moment).order_by("-history_date", "-history_id")
    first = history.order_by("history_date", "history_id")
    return measures.annotate(
        status_then=Coalesce(
            Subquery(last_then.values("status")[:1], CharField()), Subquery(first.values("status")[:1], CharField())
        )
    )


def measures_section(measures, start: date, end: date) -> dict:
    """Measures by sector and status as of the period's end, each with its public fields and its progress (two
    queries)."""
    rows = (
        _as_of(measures, end)
        .select_related("lead_organisation")
        .annotate(
            report_percent=_percent_until(end),
            updates_in_period=Count(
                "updates", filter=Q(updates__public=True, updates__date__gte=start, updates__date__lte=end)
            ),
        )
        .order_by("sector", "code", "pk")
    )
    overall = Progress()
    by_sector: dict[str, list[dict]] = defaultdict(list)
    progress_by_sector: dict[str, Progress] = defaultdict(Progress)
    status_labels = dict(Measure.Status.choices)
    percents, reduction, unpublished, updates = [], Decimal(0), 0, 0
    for measure in rows:
        measure.status = measure.status_then or measure.status
        public = PublicMeasure(measure, percent=measure.report_percent)
        overall.add(measure.status, 1)
        progress_by_sector[measure.sector].add(measure.status, 1)
        effect = public.effect_expected
        if measure.status != Measure.Status.DROPPED:
            if public.percent is not None:
                percents.append(public.percent)
            if effect is not None:
                reduction += effect
        unpublished += not measure.published
        updates += measure.updates_in_period
        by_sector[measure.sector].append(
            {
                "code": public.code,
                "title": public.title,
                "status": public.status,
                "status_label": str(status_labels.get(public.status, public.status)),
                "percent": public.percent,
                "late": bool(public.shows_late),
                "lead_organisation": public.lead_organisation.name if public.lead_organisation else "",
                "start": _iso(public.start),
                "end": _iso(public.end),
                "continuous": public.continuous,
                "effect_expected": number(effect),
                "published": measure.published,
                "updates_in_period": measure.updates_in_period,
            }
        )
    sectors = [
        {
            "sector": value,
            "label": str(label),
            "statuses": _statuses(progress_by_sector[value]),
            "total": progress_by_sector[value].total,
            "measures": by_sector[value],
        }
        for value, label in Sector.choices
        if value in by_sector
    ]
    summary = {
        "measures": overall.total,
        "statuses": _statuses(overall),
        "shares": overall.shares,
        "completed": overall.completed,
        "in_progress": overall.in_progress,
        "not_started": overall.not_started,
        "dropped": overall.dropped,
        "average_percent": round(sum(percents) / len(percents), 1) if percents else None,
        "expected_reduction": number(reduction),
        "measures_unpublished": unpublished,
        "updates_in_period": updates,
    }
    return {"summary": summary, "sectors": sectors}


def _statuses(progress: Progress) -> list[dict]:
    return [{"status": s, "label": str(label), "count": n} for s, label, n in progress.statuses]


def indicators_section(indicators, end: date) -> list[dict]:
    """Each indicator with its chart (values up to the period's end year, targets beyond) — two queries."""
    out = []
    for series in indicator_series(list(indicators)):
        series.measured = {year: v for year, v in series.measured.items() if year <= end.year}
        series.estimated = {year for year in series.estimated if year <= end.year}
        indicator = series.indicator
        latest = series.latest
        chart = builders.indicator_chart(series, f"indikator-{indicator.pk}")
        out.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "description": indicator.description,
                "direction": indicator.direction,
                "direction_label": str(indicator.get_direction_display()),
                "kind_label": str(indicator.get_kind_display()),
                "source": indicator.source,
                "licence": indicator.source_licence,
                "public": indicator.public,
                "latest_year": latest[0] if latest else None,
                "latest_value": number(latest[1]) if latest else None,
                "latest_estimated": bool(latest and latest[0] in series.estimated),
                "on_track": series.on_track(),
                "estimated_years": sorted(series.estimated),
                "chart": chart.to_dict(),
            }
        )
    return out


def emissions_section(organisation: Organisation, end: date) -> dict | None:
    """The balance by BISKO sector up to the period's end year against the target path (three queries)."""
    overview = emissions_overview(organisation)
    overview.by_year = {year: sectors for year, sectors in overview.by_year.items() if year <= end.year}
    if not overview.by_year and not overview.path_values:
        return None
    latest = overview.latest_year
    path = overview.path
    return {
        "chart": builders.emissions_chart(overview, "thg-bilanz").to_dict(),
        "totals": {year: overview.total(year) for year in overview.by_year},  # for balance_disagreements
        "latest_year": latest,
        "latest_total": number(overview.total(latest)) if latest else None,
        "gap": number(overview.gap),
        "path_baseline_year": path.baseline_year if path else None,
        "path_target_year": path.target_year if path else None,
        "path_residual_percent": path.residual_percent if path else None,
        "path_method": str(path.get_method_display()) if path else "",
        "population": organisation.population,
    }


def as_of(report: Report, today: date) -> date:
    """The day a report's statuses are taken from: the end of its period (today while the period runs)."""
    return min(report.period_end, today)


GHG_UNITS = {"t co2e": 1, "t co2": 1, "t co2-äq": 1, "t co2-äq.": 1, "kt co2e": 1_000, "mt co2e": 1_000_000}
AGREEING = Decimal("0.005")  # figures within half a percent agree (rounding)


def balance_disagreements(indicators, totals: dict[int, Decimal]) -> list[dict]:
    """The years in which an indicator counted in tonnes of CO2e (an emissions total, such as "Treibhausgas-
    emissionen im Kreisgebiet") and the GHG balance both have a figure and the figures differ (two queries)."""
    factors = {i.pk: GHG_UNITS.get(" ".join(i.unit.lower().split())) for i in indicators.only("pk", "unit")}
    ghg = [pk for pk, factor in factors.items() if factor]
    rows = IndicatorValue.objects.filter(
        indicator__in=ghg, year__in=list(totals), date__isnull=True, kind__in=["measured", "estimate"]
    ).values_list("indicator", "indicator__name", "year", "kind", "value")
    chosen: dict[tuple[int, int], tuple] = {}
    for pk, name, year, kind, value in rows:  # the measured value, else the estimate (as the charts show)
        if (pk, year) not in chosen or kind == "measured":
            chosen[(pk, year)] = (name, value * factors[pk])
    out = []
    for (_pk, year), (name, value) in sorted(chosen.items(), key=lambda item: (item[1][0], item[0][1])):
        balance = totals[year]
        if balance is not None and abs(value - balance) > abs(balance) * AGREEING:
            out.append({"indicator": name, "year": year, "indicator_value": number(value), "balance": number(balance)})
    return out


def _board_row_dict(row, day: date) -> dict:
    strategy = row.strategy
    steps = []
    if row.planning is not None:
        labels = dict(Stage.choices)
        steps = [
            {"stage": s.stage, "label": str(labels[s.stage]), "date": _iso(s.reached_on)}
            for s in row.planning.steps.all()
            if s.reached_on <= day
        ]
    return {
        "organisation": row.organisation.name,
        "population": row.organisation.population,
        "stage": row.stage,
        "stage_label": str(row.stage_label),
        "last_stage": row.last_stage,
        "obliged": row.obliged,
        "deadline": _iso(row.deadline),
        "days_left": row.days_left,
        "overdue": row.overdue,
        "done": row.done,
        "convoy": row.convoy,
        "office": row.office,
        "council_decision_on": _iso(row.council_decision_on),
        "update_due": _iso(row.update_due),
        "steps": steps,
        "neutrality_year": row.neutrality_year,
        "neutrality_decided_on": _iso(strategy.neutrality_decided_on) if strategy else None,
        "concept_adopted_on": _iso(strategy.concept_adopted_on) if strategy else None,
        "concept_share_implemented": strategy.concept_share_implemented if strategy else None,
        "is_demo": row.is_demo,
    }


def heat_planning_section(organisation: Organisation, today: date) -> dict:
    """The organisation's heat planning and climate strategy as the network board showed them on ``today`` (the
    report's end of period; three queries)."""
    organisation = (
        Organisation.objects.select_related("heat_planning", "climate_strategy")
        .prefetch_related("heat_planning__steps", "heat_planning__convoy")
        .get(pk=organisation.pk)
    )
    row = network_reads.board_row(organisation, today)
    return {"as_of": _iso(today), "rows": [_board_row_dict(row, today)], "has_planning": row.planning is not None}


def _activity_dict(activity, ours: set[int] | None = None) -> dict:
    events = [
        {
            "title": e.title,
            "date": _iso(timezone.localtime(e.starts_at).date()),
            "kind_label": str(e.kind_label),
            "participants": e.participants,
            "organisations": e.organisations,
            "ours": ours is not None and e.event.pk in ours,
        }
        for e in activity.events
    ]
    return {
        "meetings": activity.meetings,
        "participants": activity.participants,
        "organisations": activity.organisations,
        "attended": sum(1 for e in events if e["ours"]),
        "events": events,
    }


def organisation_activity(organisation: Organisation, start: date, end: date) -> dict:
    """The activity of each network the organisation belonged to in the period; its own participation marked."""
    memberships = (
        Membership.objects.filter(organisation=organisation, since__lte=end)
        .filter(Q(until__isnull=True) | Q(until__gte=start))
        .values_list("network", flat=True)
    )
    networks = Network.objects.filter(pk__in=memberships).order_by("name")
    out = []
    for network in networks:
        activity = network_reads.network_activity(network, start, end)
        participation = network_reads.Participation.of([e.event for e in activity.events])
        ours = {pk for pk, orgs in participation.organisations.items() if organisation.pk in orgs}
        out.append({"name": network.name, "short_name": network.short_name, **_activity_dict(activity, ours)})
    return {"basis": "organisation", "networks": out}


# --- Network ------------------------------------------------------------------------------------------------


def _member_measures(organisations: list[Organisation]) -> dict[int, Progress]:
    """Public measures (published, of published roadmaps) of each member, by status (one query)."""
    rows = (
        Measure.objects.public()
        .filter(roadmap__organisation__in=organisations)
        .values("roadmap__organisation", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    progress: dict[int, Progress] = defaultdict(Progress)
    for row in rows:
        progress[row["roadmap__organisation"]].add(row["status"], row["n"])
    return progress


def _network(report: Report, network: Network, today: date) -> dict:
    today = as_of(report, today)  # the members, their stages and deadlines as of the end of the period
    rows = network_reads.board_rows(network, today)
    activity = network_reads.network_activity(network, report.period_start, report.period_end)
    organisations = [row.organisation for row in rows]
    progress = _member_measures(organisations)
    overall = Progress()
    members = []
    for row in rows:
        p = progress.get(row.organisation.pk, Progress())
        for status in STATUS_ORDER:
            if p.by_status[status]:
                overall.add(status, p.by_status[status])
        members.append(
            {
                "organisation": row.organisation.name,
                "population": row.organisation.population,
                "measures": p.total,
                "completed": p.completed,
                "in_progress": p.in_progress,
                "not_started": p.not_started,
                "stage_label": str(row.stage_label),
                "neutrality_year": row.neutrality_year,
            }
        )
    activity_part = _activity_dict(activity)
    summary = {
        "members": len(rows),
        "measures": overall.total,
        "statuses": _statuses(overall),
        "shares": overall.shares,
        "completed": overall.completed,
        "in_progress": overall.in_progress,
        "not_started": overall.not_started,
        "dropped": overall.dropped,
        "heat_planning_done": sum(1 for r in rows if r.done),
        "heat_planning_overdue": sum(1 for r in rows if r.overdue),
        "meetings": activity.meetings,
        "participants": activity.participants,
        "organisations": activity.organisations,
    }
    return {
        "subject": {
            "kind": "network",
            "name": network.name,
            "short_name": network.short_name,
            "region": network.region,
            "funding_programme": network.funding_programme,
        },
        "summary": summary,
        "sectors": [],
        "indicators": [],
        "emissions": None,
        "heat_planning": {
            "as_of": _iso(today),
            "rows": [_board_row_dict(row, today) for row in rows],
            "has_planning": any(row.planning is not None for row in rows),
            "stages_chart": builders.stages_chart(rows, "waermeplanung-stufen").to_dict(),
            "target_years_chart": builders.target_years_chart(rows, "zieljahre").to_dict(),
        },
        "members": members,
        "activity": {
            "basis": "network",
            "networks": [{"name": network.name, "short_name": network.short_name, **activity_part}],
        },
    }
