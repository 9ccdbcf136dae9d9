"""Writes of the council link: the organisation's endpoint, a reading on demand, links to measures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.council.models import CouncilConsultation, CouncilEndpoint, CouncilLink, CouncilPaper, CouncilSystem
from measures.models import Measure, Milestone
from networks.models import Organisation, Person


def _queue(endpoint: CouncilEndpoint) -> None:
    from measures.council import tasks

    CouncilEndpoint.objects.filter(pk=endpoint.pk, state=CouncilEndpoint.State.IDLE).update(
        state=CouncilEndpoint.State.QUEUED
    )
    transaction.on_commit(lambda: tasks.endpoint_sync.delay(endpoint.pk))


@transaction.atomic
def endpoint_save(
    *, organisation: Organisation, system: CouncilSystem | None, system_url: str, by: Person | None
) -> CouncilEndpoint:
    """The organisation's OParl endpoint (a system from the operator's list, or an address); a new address is
    read from the start (what was read before stays: links keep what they showed). Queues a reading."""
    endpoint = CouncilEndpoint.objects.select_for_update().filter(organisation=organisation).first()
    if endpoint is None:
        endpoint = CouncilEndpoint(organisation=organisation, created_by=by)
    if endpoint.pk is None or endpoint.system_url != system_url or endpoint.system_id != getattr(system, "pk", None):
        if endpoint.system_url != system_url:
            endpoint.body_url, endpoint.body_name, endpoint.cursors, endpoint.synced_since = "", "", {}, None
            endpoint.last_error, endpoint.last_error_url, endpoint.last_error_status = "", "", None
        endpoint.system, endpoint.system_url, endpoint.is_demo = system, system_url, False
        endpoint._change_reason = "council endpoint set"
        endpoint.save()
    _queue(endpoint)
    return endpoint


def endpoint_sync_request(*, endpoint: CouncilEndpoint) -> None:
    """Read now (the page's button); a reading already queued or running is not doubled."""
    if not endpoint.is_demo:
        _queue(endpoint)


@transaction.atomic
def link_create(
    *,
    measure: Measure,
    paper: CouncilPaper,
    consultation: CouncilConsultation | None = None,
    milestone: Milestone | None = None,
    by: Person | None,
) -> CouncilLink:
    """Link a paper, or one of its consultations (a decision), to the measure or one of its milestones; linking
    the same twice keeps the first."""
    if paper.endpoint.organisation_id != measure.roadmap.organisation_id:
        raise ValidationError({"paper": _("The paper belongs to another organisation's council.")})
    link = CouncilLink(measure=measure, milestone=milestone, paper=paper, consultation=consultation, created_by=by)
    link.clean()
    found = CouncilLink.objects.filter(
        measure=measure, milestone=milestone, paper=paper, consultation=consultation
    ).first()
    if found is not None:
        return found
    link.save()
    return link


@transaction.atomic
def link_delete(*, link: CouncilLink) -> None:
    link.delete()
