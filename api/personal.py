"""Operations that need a personal API token: what the person may see in the portal, and editors' writes.

Each write goes through the access funnel and the service the editor's page uses (measures.access,
measures.services, monitoring.access, monitoring.services, the heat-planning form), so the same rules decide:
404 for who may not know the object, 403 for who sees it but may not change it, and a token with the read scope
may not write (403). History names the token's person (api.auth sets ``request.user``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from api import schemas as s
from api import services as api_services
from api.auth import REQUIRED, require_write
from measures import services as measure_services
from measures.access import access_measure, access_measure_edit, access_roadmap
from monitoring.access import access_organisation_edit
from monitoring.forms.planning import HeatPlanningForm, stage_field
from monitoring.models import HeatPlanning, Indicator, Stage
from monitoring.models.indicators import YEAR_VALIDATORS
from monitoring.services import indicators as indicator_services
from monitoring.services import planning as planning_services
from networks.access import access_network_internal
from networks.models import Organisation, Person

router = Router(tags=["with a token"], auth=REQUIRED)
ERRORS = {400: s.Problem, 401: s.Problem, 403: s.Problem, 404: s.Problem, 429: s.Problem}


def person_of(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user=request.auth).select_related("organisation").first()


@router.get("/me/", response={200: s.MeOut, **ERRORS}, url_name="me")
def me(request: HttpRequest):
    """The token's person: their networks and roles, the organisations they edit."""
    person = person_of(request)
    roles = person.network_roles.select_related("network").order_by("network__name") if person else []
    edits = Organisation.objects.filter(roles__person=person).order_by("name") if person else []
    return {
        "name": person.name if person else request.auth.email,
        "organisation": person.organisation.name if person and person.organisation else None,
        "networks": [{"network": r.network.slug, "role": r.role} for r in roles],
        "edits": [{"name": o.name, "slug": o.slug} for o in edits],
        "token": request.api_token.name,
        "scope": request.api_token.scope,
    }


@router.get("/networks/{slug}/members/", response={200: list[s.MemberOut], **ERRORS}, url_name="member-list")
def member_list(request: HttpRequest, slug: str):
    """The network's member directory, for its members (403 otherwise; 404 for a network one may not know).
    Contact addresses only of people who show them to their networks, as the directory page does."""
    network = access_network_internal(request.auth, slug)
    people = Person.objects.filter(network_roles__network=network).select_related("organisation", "user")
    return [
        {
            "name": p.name,
            "organisation": p.organisation.name if p.organisation else None,
            "email": p.user.email if p.contact_is_visible and p.user else None,
        }
        for p in people.order_by("name", "pk")
    ]


def _measure_for_edit(request: HttpRequest, slug: str, measure: str):
    require_write(request)
    roadmap = access_roadmap(request.auth, slug)
    found = access_measure(request.auth, roadmap, measure)
    return roadmap, access_measure_edit(request.auth, roadmap, found.pk)


class Done(s.Out):
    status: str


@router.put("/roadmaps/{slug}/measures/{measure}/status/", response={200: Done, **ERRORS}, url_name="measure-status")
def measure_status(request: HttpRequest, slug: str, measure: str, payload: s.MeasureStatusIn):
    """Set a measure's status (as the editors' status change does: measures.services.measure_bulk_status)."""
    roadmap, row = _measure_for_edit(request, slug, measure)
    measure_services.measure_bulk_status(
        roadmap=roadmap, measure_ids=[row.pk], status=payload.status, by=person_of(request)
    )
    return {"status": payload.status}


@router.post(
    "/roadmaps/{slug}/measures/{measure}/progress-reports/",
    response={201: s.ProgressReportOut, **ERRORS},
    url_name="progress-report-create",
)
def progress_report_create(request: HttpRequest, slug: str, measure: str, payload: s.ProgressReportIn):
    """Add a progress report (Sachstand) to a measure; ``public: false`` keeps it on the editors' pages."""
    _roadmap, row = _measure_for_edit(request, slug, measure)
    update = measure_services.update_add(
        measure=row,
        text=payload.text,
        percent=payload.percent,
        public=payload.public,
        on=payload.date,
        by=person_of(request),
    )
    return 201, {"date": update.date, "text": update.text, "percent": update.percent}


@router.put(
    "/roadmaps/{slug}/measures/{measure}/milestones/{milestone}/done/",
    response={200: s.MilestoneOut, **ERRORS},
    url_name="milestone-done",
)
def milestone_done(request: HttpRequest, slug: str, measure: str, milestone: int, payload: s.MilestoneDoneIn):
    """Mark a milestone reached on a day (or not reached: null)."""
    _roadmap, row = _measure_for_edit(request, slug, measure)
    found = get_object_or_404(row.milestones, pk=milestone)
    found = api_services.milestone_done(milestone=found, done_date=payload.done_date)
    return {"id": found.pk, "title": found.title, "due_date": found.due_date, "done_date": found.done_date}


@router.put(
    "/organisations/{organisation}/indicator-values/{year}/",
    response={200: s.CountsOut, **ERRORS},
    url_name="indicator-values",
)
def indicator_values(request: HttpRequest, organisation: str, year: int, payload: s.IndicatorValuesIn):
    """The values of one year of the organisation's indicators, by the indicators' codes (null deletes), as the
    editors' entry page saves them (monitoring.services.indicators.values_save)."""
    require_write(request)
    org = access_organisation_edit(request.auth, organisation)
    for validator in YEAR_VALIDATORS:
        try:
            validator(year)
        except ValidationError as error:
            raise ValidationError({"year": error.messages}) from error
    codes = [entry.indicator for entry in payload.values]
    indicators = {i.code: i for i in Indicator.objects.filter(organisation=org, code__in=codes)}
    unknown = [code for code in codes if code not in indicators]
    if unknown:
        raise ValidationError({"values": [_("Unknown indicator: %(code)s") % {"code": code} for code in unknown]})
    if len(set(codes)) != len(codes):
        raise ValidationError({"values": [_("Each indicator may appear only once.")]})
    entries = [
        (
            indicators[entry.indicator],
            {"kind": entry.kind, "value": entry.value, "source": entry.source, "note": entry.note, "checked": False},
        )
        for entry in payload.values
    ]
    counts = indicator_services.values_save(year=year, entries=entries, by=person_of(request))
    return {name: counts.get(name, 0) for name in ("created", "changed", "deleted", "unchanged")}


@router.put(
    "/organisations/{organisation}/heat-planning/",
    response={200: s.HeatPlanningOut, **ERRORS},
    url_name="heat-planning",
)
def heat_planning(request: HttpRequest, organisation: str, payload: s.HeatPlanningIn):
    """The heat-planning stage and the day it was reached; the rest of the planning as it is. Checked by the
    editors' form (stages in order, no date in the future) and saved by its service."""
    require_write(request)
    org = access_organisation_edit(request.auth, organisation)
    if org.kind not in Organisation.PUBLIC_BODIES:
        raise ValidationError({"organisation": [_("Only municipalities, cities and counties plan heat.")]})
    planning = HeatPlanning.objects.filter(organisation=org).prefetch_related("steps").first()
    planning = planning or HeatPlanning(organisation=org)
    data = model_to_dict(planning, fields=["office", "council_decision_on", "note"]) if planning.pk else {}
    data = {key: value for key, value in data.items() if value is not None}
    data["convoy"] = [o.pk for o in planning.convoy.all()] if planning.pk else []
    reached = {step.stage: step.reached_on for step in planning.steps.all()} if planning.pk else {}
    reached = {stage: day for stage, day in reached.items() if stage <= payload.stage}
    if payload.stage and payload.reached_on is not None:
        reached[payload.stage] = payload.reached_on
    elif payload.stage and payload.stage not in reached:
        reached[payload.stage] = timezone.localdate()
    data.update({stage_field(stage): day.isoformat() for stage, day in reached.items()})
    data["stage"] = payload.stage
    form = HeatPlanningForm(data, instance=planning, organisation=org)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    with transaction.atomic():
        saved = planning_services.heat_planning_save(
            planning=form.save(commit=False), reached=form.reached(), convoy=list(form.cleaned_data["convoy"])
        )
    steps = {str(step.stage): step.reached_on for step in saved.steps.order_by("stage")}
    return {
        "organisation": org.slug,
        "stage": saved.stage,
        "stage_label": str(Stage(saved.stage).label),
        "reached": steps,
    }
