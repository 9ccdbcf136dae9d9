"""What the monitoring app adds to a person's data export (registered with networks.panels in
MonitoringConfig.ready()). Nothing to do on account deletion: values and reports keep their numbers,
their "entered by"/"requested by" is the anonymised person."""

from __future__ import annotations

from monitoring.models import IndicatorValue, Reminder, Report
from networks.models import Person


def export(person: Person) -> dict:
    return {
        "indicator_values_entered": [
            {
                "indicator": v.indicator.name,
                "organisation": v.indicator.organisation.name,
                "year": v.year,
                "kind": v.kind,
                "value": str(v.value),
                "entered_at": v.created_at.isoformat(),
            }
            for v in IndicatorValue.objects.filter(entered_by=person)
            .select_related("indicator__organisation")
            .order_by("created_at")
        ],
        "monitoring_reports_requested": [
            {"title": r.title, "status": r.status, "requested_at": r.created_at.isoformat()}
            for r in Report.objects.filter(requested_by=person).order_by("created_at")
        ],
        "data_entry_reminders": [
            {"kind": r.kind, "item": r.item, "period": r.period, "sent_at": r.created_at.isoformat()}
            for r in Reminder.objects.filter(recipient=person).order_by("created_at")
        ],
    }
