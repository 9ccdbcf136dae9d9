"""What the API answers and takes (pydantic through django-ninja). Public schemas carry only what the public
pages show: a measure only through measures.public.PublicMeasure (api.public builds them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    """What the API answers. The operations build their answers as dicts, so pydantic-core validates them alone:
    a ninja ``Schema`` would wrap every object of an answer in ninja's Python getter (DjangoGetter) first, which
    took two thirds of the CPU time of a roadmap's 2,500 indicator values. What comes in stays a ``Schema``."""

    model_config = ConfigDict(from_attributes=True)


class FieldError(Out):
    field: str
    message: str


class Problem(Out):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class Link(Out):
    url: str


class OrganisationOut(Out):
    name: str
    slug: str


class NetworkOut(Out):
    slug: str
    name: str
    short_name: str
    kind: str
    region: str
    founded_year: int | None
    description: str
    goals: str
    url: str


class NetworkPage(Out):
    items: list[NetworkOut]
    next_cursor: str | None


class NetworkDetailOut(NetworkOut):
    host: OrganisationOut
    members: list[OrganisationOut]
    events_url: str
    calendar_url: str = Field(description="iCalendar feed of the network's public events")


class EventOut(Out):
    id: int
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    url: str
    ical_url: str = Field(description="the event as an iCalendar file")


class ProgressOut(Out):
    completed: int
    in_progress: int
    not_started: int
    dropped: int
    total: int
    shares: dict[str, int] = Field(description="percent completed / in progress / not started (adds up to 100)")


class RoadmapOut(Out):
    slug: str
    title: str
    organisation: OrganisationOut
    target_year: int
    url: str
    progress: ProgressOut


class RoadmapPage(Out):
    items: list[RoadmapOut]
    next_cursor: str | None


class RoadmapDetailOut(RoadmapOut):
    baseline_year: int | None
    description: str
    licence: str
    updated_at: dt.datetime
    measures_url: str
    indicators_url: str
    emissions_url: str
    reports_url: str


class MeasureOut(Out):
    code: str
    slug: str
    title: str
    summary: str
    sector: str
    status: str
    late: bool
    percent_complete: int | None
    lead_organisation: str | None
    start: dt.date | None
    end: dt.date | None
    continuous: bool
    priority: str
    url: str
    updated_at: dt.datetime


class MilestoneOut(Out):
    id: int
    title: str
    due_date: dt.date
    done_date: dt.date | None


class ProgressReportOut(Out):
    date: dt.date
    text: str
    percent: int | None


class MeasureDetailOut(MeasureOut):
    description: str
    objectives: str | None
    target_groups: str | None
    responsible_body: str | None
    partners: list[str]
    cost_estimate_eur: float | None
    funding_programme: str | None
    funding_amount_eur: float | None
    effect_expected_t_co2e_per_year: float | None
    effect_low_t_co2e_per_year: float | None
    effect_high_t_co2e_per_year: float | None
    participation_level: str
    how_to_take_part: str
    milestones: list[MilestoneOut]
    progress_reports: list[ProgressReportOut]


class MeasurePage(Out):
    items: list[MeasureOut]
    next_cursor: str | None
    ignored: list[str] = Field(description="filter values that are not known and were ignored (as on the pages)")


class ValueOut(Out):
    year: int
    value: float
    estimate: bool = False


class IndicatorOut(Out):
    code: str
    name: str
    description: str
    unit: str
    direction: str
    baseline_year: int | None
    baseline_value: float | None
    source: str
    values: list[ValueOut]
    targets: list[ValueOut]


class IndicatorPage(Out):
    items: list[IndicatorOut]
    next_cursor: str | None


class BalanceYear(Out):
    year: int
    total_t_co2e: float
    sectors: dict[str, float]


class PathPoint(Out):
    year: int
    t_co2e: float


class EmissionsOut(Out):
    balances: list[BalanceYear]
    target_path: list[PathPoint]
    target_year: int | None


class ReportOut(Out):
    id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    url: str
    files: dict[str, str] = Field(description="download link per format (pdf, xlsx, csv, html)")


class LibraryEntryOut(Out):
    slug: str
    title: str
    summary: str
    sector: str
    adopters: int
    url: str


class LibraryPage(Out):
    items: list[LibraryEntryOut]
    next_cursor: str | None


class CallOut(Out):
    title: str
    deadline: dt.date | None


class ProgrammeOut(Out):
    slug: str
    name: str
    funder: str
    summary: str
    rolling: bool
    link: str
    next_deadline: dt.date | None
    calls: list[CallOut]


class ProgrammePage(Out):
    items: list[ProgrammeOut]
    next_cursor: str | None


class EventPage(Out):
    items: list[EventOut]
    next_cursor: str | None
    ignored: list[str] = Field(description="filter values that are not known and were ignored (as on the pages)")


# --- With a token ---------------------------------------------------------------------------------------------


class RoleOut(Out):
    network: str
    role: str


class MeOut(Out):
    name: str
    organisation: str | None
    networks: list[RoleOut]
    edits: list[OrganisationOut] = Field(description="organisations whose roadmaps and monitoring the person edits")
    token: str = Field(description="the name of the token used")
    scope: str


class MemberOut(Out):
    name: str
    organisation: str | None
    email: str | None


StatusIn = Literal["not_started", "planned", "in_progress", "paused", "blocked", "completed", "dropped"]


class MeasureStatusIn(Schema):
    status: StatusIn


class ProgressReportIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    percent: Annotated[int, Field(ge=0, le=100)] | None = None
    public: bool = True
    date: dt.date | None = None


class MilestoneDoneIn(Schema):
    done_date: dt.date | None = Field(description="the day it was reached; null: not reached")


class IndicatorValueIn(Schema):
    indicator: str = Field(description="the indicator's code")
    value: Annotated[Decimal, Field(max_digits=18, decimal_places=3)] | None = Field(
        description="null deletes the year's value"
    )
    kind: Literal["measured", "estimate"] = "measured"
    source: Annotated[str, Field(max_length=300)] = ""
    note: Annotated[str, Field(max_length=500)] = ""


class IndicatorValuesIn(Schema):
    values: Annotated[list[IndicatorValueIn], Field(min_length=1, max_length=200)]


class CountsOut(Out):
    created: int
    changed: int
    deleted: int
    unchanged: int


class HeatPlanningIn(Schema):
    stage: Annotated[int, Field(ge=0, le=8)]
    reached_on: dt.date | None = Field(None, description="the day the stage was reached (default: today)")


class HeatPlanningOut(Out):
    organisation: str
    stage: int
    stage_label: str
    reached: dict[str, dt.date]
