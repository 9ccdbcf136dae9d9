"""Monitoring's webhook events (networks.webhooks): a value of a public indicator added, a report published.

Only what the public roadmap page shows: public indicators (``Indicator.objects.public()``) and published reports of
published roadmaps (``monitoring.access.is_public_report``), without who entered or requested them. Called from
monitoring.services in the transaction of the change; one query when no endpoint listens."""

from __future__ import annotations

from django.urls import reverse

from monitoring.access import is_public_report
from monitoring.models import Indicator, IndicatorValue, Report
from networks.webhooks import payloads
from networks.webhooks.services import emit

ACTUAL = (IndicatorValue.Kind.MEASURED, IndicatorValue.Kind.ESTIMATE)


def indicator_value_added(value: IndicatorValue) -> int:
    if value.kind not in ACTUAL:
        return 0  # targets are part of the indicator's definition, not news

    def payload() -> dict | None:
        indicator = Indicator.objects.public().select_related("roadmap").filter(pk=value.indicator_id).first()
        if indicator is None:
            return None
        roadmap = indicator.roadmap
        return {
            "indicator": {
                "name": indicator.name,
                "code": indicator.code or None,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "roadmap": roadmap.slug if roadmap else None,
                "url": payloads.absolute(roadmap.get_absolute_url) if roadmap else None,
            },
            "value": {"year": value.year, "date": value.date, "kind": value.kind, "value": float(value.value)},
            "source": value.source or None,
        }

    return emit("indicator_value.added", value, payload, owner_id=value.indicator.organisation_id)


def report_published(report: Report) -> int:
    def payload() -> dict | None:
        public = Report.objects.select_related("roadmap__organisation").filter(pk=report.pk).first()
        if public is None or not is_public_report(public):
            return None
        files = {
            fmt: payloads.absolute(lambda fmt=fmt: reverse("monitoring:report-download", args=[public.pk, fmt]))
            for fmt in Report.FORMATS
            if getattr(public, f"{fmt}_file")
        }
        return {
            "report": {
                "title": public.title,
                "period_start": public.period_start,
                "period_end": public.period_end,
                "language": public.language,
                "published_at": public.published_at,
                "url": payloads.absolute(public.get_absolute_url),
                "files": files,
            },
            "roadmap": {"slug": public.roadmap.slug, "title": public.roadmap.title},
            "organisation": payloads.organisation_data(public.roadmap.organisation),
        }

    return emit("report.published", report, payload, owner_id=report.roadmap.organisation_id)
