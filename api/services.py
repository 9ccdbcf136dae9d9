"""The one write of the API that the pages do with a model formset: a milestone reached (or not)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from measures.models import Measure, Milestone
from measures.services import measure_mark_late


@transaction.atomic
def milestone_done(*, milestone: Milestone, done_date: date | None) -> Milestone:
    """Set the day a milestone was reached (None: not reached) and the measure's late state with it, as the
    milestone form does (history names the request's person: simple_history's middleware)."""
    if milestone.done_date != done_date:
        milestone.done_date = done_date
        milestone.full_clean()
        milestone.save(update_fields=["done_date"])
        measure_mark_late(measures=Measure.objects.filter(pk=milestone.measure_id))
    return milestone
