"""Every write of the measures app with a rule in it (``from measures import services``)."""

from measures.services.participation import (
    RATE_LIMIT,
    comment_moderate,
    comment_submit,
    pledge_report_save,
    pledge_save,
    proposal_moderate,
    proposal_submit,
    proposal_support,
    proposal_to_measure,
)
from measures.services.roadmap import (
    FUNDING_REMINDER_DAYS,
    funding_reminders_send,
    measure_bulk_status,
    measure_mark_late,
    measure_save,
    measure_slug,
    update_add,
)

__all__ = [
    "FUNDING_REMINDER_DAYS",
    "RATE_LIMIT",
    "comment_moderate",
    "comment_submit",
    "funding_reminders_send",
    "measure_bulk_status",
    "measure_mark_late",
    "measure_save",
    "measure_slug",
    "pledge_report_save",
    "pledge_save",
    "proposal_moderate",
    "proposal_submit",
    "proposal_support",
    "proposal_to_measure",
    "update_add",
]
