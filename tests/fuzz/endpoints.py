"""The fuzz registry: every form page and action of the four apps that takes user input.

``ENDPOINTS`` names the URL, the persona allowed to use it (so the form's validation runs, not only the
permission check), the forms whose fields are posted and the raw request.POST/GET keys the view reads itself.
``NOT_FUZZED`` lists the state-changing URLs that take no user input at all (the authorization matrix covers
them). test_forms_fuzz.py fails when a form class, a FilterSet or a URL of the apps is in neither list.
"""

from __future__ import annotations

import hashlib
import importlib

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st

from events.filters import EventFilter
from events.forms.calendar import CalendarViewForm, EventFilterForm
from events.forms.events import (
    AgendaFormSet,
    EventCancelForm,
    EventForm,
    SeriesCancelForm,
    SeriesChangeForm,
    SeriesForm,
)
from events.forms.minutes import (
    ActionItemFilterForm,
    ActionItemForm,
    ActionItemStatusForm,
    DocumentForm,
    MinutesForm,
    OutcomeEditForm,
    OutcomeForm,
    TaskCommentForm,
)
from events.forms.participation import (
    AnswerForm,
    AttendanceForm,
    FaqFilter,
    GuestRegistrationForm,
    ModeForm,
    QuestionForm,
    QuestionRemoveForm,
    WalkInForm,
)
from events.models import Event, Question, Registration
from events.views.guests import walk_in_people
from measures.filters import MeasureFilter
from measures.forms.data import ImportConfirmForm, ImportForm, MeasureRowForm
from measures.forms.editor import (
    BulkStatusForm,
    MeasureForm,
    MeasureTableFilter,
    MilestoneForm,
    MilestoneFormSet,
    RoadmapForm,
    UpdateForm,
)
from measures.forms.page import ContactForm, MeasureLinkForm, MeasureLinkFormSet
from measures.forms.participate import ParticipateFilterForm
from measures.forms.participation import (
    CommentForm,
    FeedbackForm,
    FollowForm,
    ModerationForm,
    PhaseForm,
    PledgeForm,
    PledgeReportForm,
    ProposalAnswerForm,
    ProposalFilter,
    ProposalForm,
    ProposalToMeasureForm,
    ReportForm,
)
from measures.forms.public import MeasureFilterForm
from measures.models import Measure, Proposal
from monitoring import importing as monitoring_importing
from monitoring.comparison import forms as comparison_forms
from monitoring.comparison import selectors as comparison_selectors
from monitoring.comparison.statistics import peer_groups as comparison_groups
from monitoring.forms import UploadForm, YearForm
from monitoring.forms.emissions import PathForm, SectorRowForm
from monitoring.forms.indicators import IndicatorForm, ValueRowForm
from monitoring.forms.planning import HeatPlanningForm, StrategyForm
from monitoring.forms.reports import ReportRequestForm, ReportScheduleForm
from monitoring.models import BiskoSector, ClimateStrategy, EmissionPath, HeatPlanning
from networks import mail, members_io
from networks.account_views import ResendForm
from networks.filters import ExpertiseSearchFilter, MemberDirectoryFilter
from networks.forms import (
    AccountDeleteForm,
    AffiliationDecisionForm,
    AffiliationForm,
    CampaignForm,
    CitizenProfileForm,
    ExpertiseForm,
    ExpertiseFormSet,
    InvitationForm,
    MemberImportConfirmForm,
    MemberImportForm,
    MembershipAddForm,
    NetworkForm,
    ProfileForm,
    RoleChangeForm,
    SignupExtraForm,
    WorkingGroupForm,
)
from networks.mail_forms import MailSettingsForm
from networks.membership_requests import MembershipRequestForm
from networks.models import Organisation, Person
from networks.passkeys import (
    AddPasskeyForm,
    AuthenticatePasskeyForm,
    LoginPasskeyForm,
    ReauthenticatePasskeyForm,
    RenamePasskeyForm,
)
from networks.signin.admin import ProviderForm
from networks.signin.forms import StartForm
from tests.fuzz.engine import Endpoint
from tests.fuzz.strategies import DATES, NUMBERS, TEXT


def url(name: str, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def net(w):
    return w.network.slug


def org(w):
    return w.organisation.slug


def road(w):
    return w.roadmap.slug


# --- Import files: CSV with the import's headers and hostile cells ----------------------------------

MEASURE_HEADERS = ["Kürzel", "Titel", "Handlungsfeld", "Status", "Beginn", "Ende", "Kosten (EUR)", "Veröffentlicht"]
MEASURE_ROW = ["M-99", "Neue Maßnahme", "Mobilität", "geplant", "01.01.2026", "31.12.2027", "1.000", "nein"]
VALUE_HEADERS = ["Indikator", "Jahr", "Wert", "Art", "Quelle", "Notiz"]
BALANCE_HEADERS = ["Jahr", "Sektor", "Energieträger", "t CO2e", "Quelle"]
CELLS = TEXT[:-1] + NUMBERS + DATES + [";", '"', '"";""', '=HYPERLINK("http://x")', "\r", "x" * 5000]


def csv_bytes(headers: list[str], row: list[str]) -> bytes:
    return ("\n".join([";".join(headers), ";".join(row)]) + "\n").encode()


VALUE_ROW = ["Installierte PV-Leistung 1", "2024", "45,5", "gemessen", "MaStR", ""]
MEMBER_HEADERS = ["Name", "E-Mail", "Organisation", "Rolle"]
MEMBER_ROW = ["Neue Person", "neu.import@example.org", "Stadt Kusel", "Mitglied"]
BALANCE_ROW = ["2022", "Verkehr", "", "210.000", "Klimaschutz-Planer"]


def csv_strategy(headers: list[str], valid_row: list[str]):
    """A CSV file: the import's header row (sometimes mangled) and up to 3 rows of valid or hostile cells."""

    def render(header_row, rows, encoding, bom):
        lines = [";".join(header_row)] + [";".join(row) for row in rows]
        text = "\n".join(lines)
        data = text.encode(encoding, errors="replace")
        return (b"\xef\xbb\xbf" if bom else b"") + data

    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=20))
    header_row = st.one_of(st.just(headers), st.lists(st.one_of(st.sampled_from(headers), cell), max_size=8))
    row = st.one_of(
        st.just(valid_row),
        st.lists(cell, min_size=len(headers), max_size=len(headers)),
        st.lists(cell, max_size=len(headers) + 3),
    )
    return st.builds(
        render,
        header_row,
        st.lists(row, min_size=0, max_size=3),
        st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]),
        st.booleans(),
    )


def import_hook(headers, valid_row, name="import.csv"):
    """Replace the upload with a CSV (most of the time) and, for the confirm step, send the file's digest."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def hook(data, draw):
        if "file" in data and draw(st.integers(0, 3)) > 0:
            content = draw(csv_strategy(headers, valid_row))
            data["file"] = SimpleUploadedFile(draw(st.sampled_from([name, "x.xlsx", "x.txt"])), content)
        if data.get("action") == "import" and draw(st.booleans()) and hasattr(data.get("file"), "read"):
            upload = data["file"]
            data["digest"] = hashlib.sha256(upload.read()).hexdigest()
            upload.seek(0)
        return data

    return hook


# --- networks ---------------------------------------------------------------------------------------


def _member_payload(w):
    """The signed rows of a checked member list, as the preview page hands them on."""
    batch = members_io.Batch([members_io.RawRow(2, "Neue Person", "neu.import@example.org")], "de", "")
    return members_io.sign(network=w.network, user=w.user("coordinator"), batch=batch)


def _measure_draft(w):
    """The kept file of the editor's checked measure list, as the preview page hands it on."""
    from measures import importing
    from measures.services import imports

    content = csv_bytes(MEASURE_HEADERS, MEASURE_ROW)
    table = importing.read_table("massnahmen.csv", content)
    return imports.import_draft(roadmap=w.roadmap, table=table, content=content, by=w.people["editor"]).pk


def _profile_forms(w):
    person = w.people["member"]
    return [
        ProfileForm(instance=person, prefix="profile"),
        ExpertiseFormSet(queryset=person.expertise.select_related("topic"), prefix="expertise"),
    ]


NETWORKS = [
    Endpoint(
        "networks:membership-request",
        "citizen",
        url("networks:membership-request", net),
        lambda w: [MembershipRequestForm()],
        covers=(MembershipRequestForm,),
    ),
    Endpoint(
        "networks:profile",
        "member",
        url("networks:profile"),
        _profile_forms,
        covers=(ProfileForm, ExpertiseForm),
        valid={"expertise-1-id": None, "expertise-2-id": None},
    ),
    Endpoint(
        "networks:profile",
        "citizen",
        url("networks:profile"),
        lambda w: [CitizenProfileForm(instance=w.people["citizen"], prefix="profile")],
        covers=(CitizenProfileForm,),
        note="a citizen's profile: name and language only (networks.citizens)",
    ),
    Endpoint(
        "networks:verification-resend",
        "anonymous",
        url("networks:verification-resend"),
        lambda w: [ResendForm()],
        covers=(ResendForm,),
    ),
    Endpoint(
        "networks:affiliation-change",
        "member",
        url("networks:affiliation-change"),
        lambda w: [AffiliationForm(prefix="affiliation", organisations=Organisation.objects.all())],
        covers=(AffiliationForm,),
    ),
    Endpoint(
        "networks:affiliation-decide",
        "editor",
        lambda w: reverse("networks:affiliation-decide", args=[w.people["citizen"].affiliation_requests.get().pk]),
        lambda w: [AffiliationDecisionForm()],
        covers=(AffiliationDecisionForm,),
    ),
    Endpoint(
        "networks:account-delete",
        "citizen",
        url("networks:account-delete"),
        lambda w: [AccountDeleteForm(user=w.user("citizen"))],
        covers=(AccountDeleteForm,),
        valid={"confirm": lambda w: w.user("citizen").email},
        skip_clean=("networks.User",),  # an anonymised account has no usable email or password on purpose
    ),
    Endpoint(
        "networks:network-edit",
        "coordinator",
        url("networks:network-edit", net),
        lambda w: [NetworkForm(instance=w.network)],
        covers=(NetworkForm,),
    ),
    Endpoint(
        "networks:membership-list",
        "coordinator",
        url("networks:membership-list", net),
        lambda w: [MembershipAddForm(network=w.network)],
        covers=(MembershipAddForm,),
    ),
    Endpoint(
        "networks:invitation-create",
        "coordinator",
        url("networks:invitation-create", net),
        lambda w: [InvitationForm(network=w.network)],
        covers=(InvitationForm,),
    ),
    Endpoint(
        "networks:member-import",
        "coordinator",
        url("networks:member-import", net),
        lambda w: [MemberImportForm()],
        covers=(MemberImportForm,),
        valid={"file": csv_bytes(MEMBER_HEADERS, MEMBER_ROW)},
        extra={"action": "check"},
        hook=import_hook(MEMBER_HEADERS, MEMBER_ROW),
        note="step 1: the file is checked and previewed, nothing is written",
    ),
    Endpoint(
        "networks:member-import",
        "coordinator",
        url("networks:member-import", net),
        lambda w: [MemberImportConfirmForm(network=w.network, user=w.user("coordinator"))],
        covers=(MemberImportConfirmForm,),
        valid={"payload": _member_payload},
        extra={"action": "import"},
        note="step 2: a payload the server signed; anything else is refused",
    ),
    Endpoint(
        "networks:role-change",
        "coordinator",
        url("networks:role-change", net, lambda w: w.member_role.pk),
        lambda w: [RoleChangeForm()],
        covers=(RoleChangeForm,),
    ),
    Endpoint(
        "networks:working-group-create",
        "coordinator",
        url("networks:working-group-create", net),
        lambda w: [WorkingGroupForm(network=w.network)],
        covers=(WorkingGroupForm,),
    ),
    Endpoint(
        "networks:working-group-edit",
        "coordinator",
        url("networks:working-group-edit", net, lambda w: w.working_group.pk),
        lambda w: [WorkingGroupForm(instance=w.working_group, network=w.network)],
        covers=(WorkingGroupForm,),
    ),
    Endpoint(
        "networks:campaign-create",
        "coordinator",
        url("networks:campaign-create", net),
        lambda w: [CampaignForm(network=w.network)],
        covers=(CampaignForm,),
    ),
    Endpoint(
        "networks:campaign-edit",
        "coordinator",
        url("networks:campaign-edit", net, lambda w: w.campaign.pk),
        lambda w: [CampaignForm(instance=w.campaign, network=w.network)],
        covers=(CampaignForm,),
    ),
    Endpoint(
        "networks:member-list",
        "member",
        url("networks:member-list", net),
        lambda w: [MemberDirectoryFilter(queryset=Person.objects.none(), network=w.network)],
        covers=(MemberDirectoryFilter,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "networks:expertise-search",
        "member",
        url("networks:expertise-search"),
        lambda w: [ExpertiseSearchFilter(user=w.user("member"))],
        covers=(ExpertiseSearchFilter,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "account_signup",
        "anonymous",
        url("account_signup"),
        lambda w: [SignupExtraForm()],
        covers=(SignupExtraForm,),
        extra={"email": "neu.person@example.org", "password1": "Sehr-geheim-2026!", "password2": "Sehr-geheim-2026!"},
        note="allauth's sign-up with the portal's extra name field",
    ),
]

# --- events -----------------------------------------------------------------------------------------


def _event_forms(w, instance=None):
    return [
        EventForm(instance=instance, network=w.network),
        AgendaFormSet(prefix="agenda"),
    ]


def _starts(days: int, hour: int) -> str:
    when = timezone.localtime() + timezone.timedelta(days=days)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


EVENT_VALID = {"starts_at": _starts(30, 10), "ends_at": _starts(30, 12), "registration_deadline": None}

EVENTS = [
    Endpoint(
        "events:event-list",
        "anonymous",
        url("events:event-list"),
        lambda w: [EventFilter(queryset=Event.objects.none(), user=AnonymousUser())],
        covers=(EventFilter, EventFilterForm),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "events:network-calendar",
        "member",
        url("events:network-calendar", net),
        lambda w: [CalendarViewForm()],
        covers=(CalendarViewForm,),
        valid={"monat": "2026-12"},
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "networks:mail-settings",  # took over the event email settings (events:notification-settings redirects)
        "member",
        url("networks:mail-settings"),
        lambda w: [MailSettingsForm(off=set(), kinds=mail.switchable_kinds())],
        covers=(MailSettingsForm,),
    ),
    Endpoint(
        "events:event-create",
        "coordinator",
        url("events:event-create", net),
        _event_forms,
        covers=(EventForm, AgendaFormSet.form),
        extra={"thread": ""},  # "plan as an event" on a discussion thread (read from the query or the form)
        valid=EVENT_VALID,
    ),
    Endpoint(
        "events:event-edit",
        "coordinator",
        url("events:event-edit", net, lambda w: w.event.pk),
        lambda w: _event_forms(w, w.event),
        covers=(EventForm, AgendaFormSet.form),
        valid={"registration_deadline": None},
    ),
    Endpoint(
        "events:event-cancel",
        "coordinator",
        url("events:event-cancel", net, lambda w: w.event.pk),
        lambda w: [EventCancelForm()],
        covers=(EventCancelForm,),
    ),
    Endpoint(
        "events:series-create",
        "coordinator",
        url("events:series-create", net),
        lambda w: [SeriesForm(network=w.network)],
        covers=(SeriesForm,),
        valid={"end_time": "11:00", "until": None, "count": "5", "interval": "1", "ordinal": None},
    ),
    Endpoint(
        "events:series-edit",
        "coordinator",
        url("events:series-edit", net, lambda w: w.series.pk),
        lambda w: [SeriesChangeForm(instance=w.series, network=w.network)],
        covers=(SeriesChangeForm,),
        valid={"from_date": timezone.localdate().isoformat(), "until": None, "count": None},
    ),
    Endpoint(
        "events:series-cancel",
        "coordinator",
        url("events:series-cancel", net, lambda w: w.series.pk),
        lambda w: [SeriesCancelForm()],
        covers=(SeriesCancelForm,),
    ),
    Endpoint(
        "events:minutes-edit",
        "coordinator",
        url("events:minutes-edit", net, lambda w: w.past_event.pk),
        lambda w: [MinutesForm(event=w.past_event)],
        covers=(MinutesForm,),
    ),
    Endpoint(
        "events:outcome-create",
        "coordinator",
        url("events:outcome-create", net, lambda w: w.past_event.pk),
        lambda w: [OutcomeForm(network=w.network, prefix="outcome")],
        covers=(OutcomeForm,),
        valid={"outcome-kind": "action", "outcome-owner_organisation": None},
    ),
    Endpoint(
        "events:document-upload",
        "coordinator",
        url("events:document-upload", net, lambda w: w.event.pk),
        lambda w: [DocumentForm()],
        covers=(DocumentForm,),
    ),
    Endpoint(
        "events:action-items",
        "member",
        url("events:action-items", net),
        lambda w: [ActionItemFilterForm()],
        covers=(ActionItemFilterForm,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "events:action-item-status",
        "member",
        url("events:action-item-status", net, lambda w: w.action_item.pk),
        lambda w: [ActionItemStatusForm()],
        covers=(ActionItemStatusForm,),
        extra={"back": "status=open&mine=on&page=2"},
    ),
    Endpoint(
        "events:action-item-create",
        "coordinator",
        url("events:action-item-create", net),
        lambda w: [ActionItemForm(network=w.network)],
        covers=(ActionItemForm,),
        extra={"thread": ""},
        valid={"owner_organisation": None},
    ),
    Endpoint(
        "events:outcome-edit",
        "coordinator",
        url("events:outcome-edit", net, lambda w: w.action_item.pk),
        lambda w: [OutcomeEditForm(instance=w.action_item, network=w.network)],
        covers=(OutcomeEditForm,),
        valid={"owner_organisation": None},
    ),
    Endpoint(
        "events:outcome-comment",
        "member",
        url("events:outcome-comment", net, lambda w: w.action_item.pk),
        lambda w: [TaskCommentForm()],
        covers=(TaskCommentForm,),
        note="the member owns the action item; the file goes to the library",
    ),
    Endpoint(
        "events:attendance",
        "coordinator",
        url("events:attendance", net, lambda w: w.past_event.pk),
        lambda w: [
            AttendanceForm(registrations=list(w.past_event.registrations.filter(status__in=Registration.TAKES_A_PLACE)))
        ],
        covers=(AttendanceForm,),
    ),
    Endpoint(
        "events:guest-register",
        "anonymous",
        url("events:guest-register", net, lambda w: w.public_event.pk),
        lambda w: [GuestRegistrationForm(event=w.public_event)],
        covers=(GuestRegistrationForm, ModeForm),
        note="hybrid: the mode field of ModeForm is part of it; a valid one is a pending registration and one email",
    ),
    Endpoint(
        "events:walk-in-add",
        "coordinator",
        url("events:walk-in-add", net, lambda w: w.past_event.pk),
        lambda w: [WalkInForm(event=w.past_event, people=walk_in_people(w.network))],
        covers=(WalkInForm,),
    ),
    Endpoint(
        "events:question-create",
        "member",
        url("events:question-create", net, lambda w: w.office_hour.pk),
        lambda w: [QuestionForm()],
        covers=(QuestionForm,),
    ),
    Endpoint(
        "events:question-answer",
        "coordinator",
        url("events:question-answer", net, lambda w: w.question.pk),
        lambda w: [AnswerForm()],
        covers=(AnswerForm,),
    ),
    Endpoint(
        "events:question-edit",
        "member",
        url("events:question-edit", net, lambda w: w.question.pk),
        lambda w: [QuestionForm()],
    ),
    Endpoint(
        "events:question-remove",
        "coordinator",
        url("events:question-remove", net, lambda w: w.question.pk),
        lambda w: [QuestionRemoveForm()],
        covers=(QuestionRemoveForm,),
    ),
    Endpoint(
        "events:faq",
        "member",
        url("events:faq", net),
        lambda w: [FaqFilter(queryset=Question.objects.none())],
        covers=(FaqFilter,),
        method="get",
        extra={"page": "1"},
    ),
]

# --- measures ---------------------------------------------------------------------------------------


def _editor_orgs(w):
    return Organisation.objects.filter(roles__person=w.people["editor"])


MEASURES = [
    Endpoint(
        "measures:roadmap-create",
        "editor",
        url("measures:roadmap-create"),
        lambda w: [RoadmapForm(organisations=_editor_orgs(w))],
        covers=(RoadmapForm,),
        valid={"slug": "neue-roadmap"},
    ),
    Endpoint(
        "measures:roadmap-edit",
        "editor",
        url("measures:roadmap-edit", road),
        lambda w: [RoadmapForm(instance=w.roadmap)],
        covers=(RoadmapForm,),
    ),
    Endpoint(
        "measures:measure-create",
        "editor",
        url("measures:measure-create", road),
        lambda w: [MeasureForm(roadmap=w.roadmap, user=w.user("editor"))],
        covers=(MeasureForm,),
        valid={"code": "M-77", "origin_event": None, "origin_proposal": None, "end": None, "funding_deadline": None},
    ),
    Endpoint(
        "measures:measure-edit",
        "editor",
        url("measures:measure-edit", road, lambda w: w.measure.pk),
        lambda w: [MeasureForm(instance=w.measure, roadmap=w.roadmap, user=w.user("editor"))],
        covers=(MeasureForm,),
        valid={"origin_event": None, "origin_proposal": None},
    ),
    Endpoint(
        "measures:milestones-edit",
        "editor",
        url("measures:milestones-edit", road, lambda w: w.measure.pk),
        lambda w: [MilestoneFormSet(instance=w.measure, prefix="milestones")],
        covers=(MilestoneForm,),
        valid={f"milestones-{i}-{name}": None for i in (1, 2, 3) for name in ("id", "done_date", "due_date")},
    ),
    Endpoint(
        "measures:measure-links",
        "editor",
        url("measures:measure-links", road, lambda w: w.measure.pk),
        lambda w: [MeasureLinkFormSet(instance=w.measure, prefix="links")],
        covers=(MeasureLinkForm,),
        valid={f"links-1-{name}": None for name in ("id", "kind", "label", "url", "order")},
    ),
    Endpoint(
        "measures:measure-contact",
        "citizen",
        url("measures:measure-contact", road, lambda w: w.measure.slug),
        lambda w: [ContactForm()],
        covers=(ContactForm,),
    ),
    Endpoint(
        "measures:update-create",
        "editor",
        url("measures:update-create", road, lambda w: w.measure.pk),
        lambda w: [UpdateForm(prefix="update")],
        covers=(UpdateForm,),
    ),
    Endpoint(
        "measures:bulk-status",
        "editor",
        url("measures:bulk-status", road),
        lambda w: [BulkStatusForm()],
        covers=(BulkStatusForm,),
        valid={"measures": lambda w: [str(w.measure.pk)]},
    ),
    Endpoint(
        "measures:measure-import",
        "editor",
        url("measures:measure-import", road),
        lambda w: [ImportForm()],
        covers=(ImportForm, MeasureRowForm),
        valid={"file": csv_bytes(MEASURE_HEADERS, MEASURE_ROW)},
        extra={"action": "check"},
        hook=import_hook(MEASURE_HEADERS, MEASURE_ROW),
        note="step 1: the rows of the file are checked by MeasureRowForm; a valid file is kept for step 2",
    ),
    Endpoint(
        "measures:measure-import",
        "editor",
        url("measures:measure-import", road),
        lambda w: [ImportConfirmForm()],
        covers=(ImportConfirmForm,),
        valid={"draft": _measure_draft},
        extra={"action": "import"},
        note="step 2: the id of the editor's kept file; anything else is refused",
    ),
    Endpoint(
        "measures:editor-dashboard",
        "editor",
        url("measures:editor-dashboard", road),
        lambda w: [MeasureTableFilter()],
        covers=(MeasureTableFilter,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "measures:measure-list",
        "anonymous",
        url("measures:measure-list", road),
        lambda w: [MeasureFilter(queryset=Measure.objects.none(), roadmap=w.roadmap)],
        covers=(MeasureFilter, MeasureFilterForm),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "measures:participate",
        "anonymous",
        url("measures:participate"),
        lambda w: [ParticipateFilterForm(municipalities=Organisation.objects.all())],
        covers=(ParticipateFilterForm,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "measures:roadmap-participate",
        "anonymous",
        url("measures:roadmap-participate", road),
        lambda w: [ParticipateFilterForm(municipalities=Organisation.objects.all())],
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "measures:proposal-list",
        "anonymous",
        url("measures:proposal-list", road),
        lambda w: [ProposalFilter(queryset=Proposal.objects.none())],
        covers=(ProposalFilter,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "measures:proposal-create",
        "citizen",
        url("measures:proposal-create", road),
        lambda w: [ProposalForm(netiquette=True)],
        covers=(ProposalForm,),
    ),
    Endpoint(
        "measures:comment-create",
        "citizen",
        url("measures:comment-create", road, lambda w: w.measure.slug),
        lambda w: [CommentForm(netiquette=True)],
        covers=(CommentForm,),
    ),
    Endpoint(
        "measures:proposal-moderate",
        "editor",
        url("measures:proposal-moderate", road, lambda w: w.pending_proposal.pk),
        lambda w: [ModerationForm()],
        covers=(ModerationForm,),
    ),
    Endpoint(
        "measures:comment-moderate",
        "editor",
        url("measures:comment-moderate", road, lambda w: w.comment.pk),
        lambda w: [ModerationForm()],
        covers=(ModerationForm,),
    ),
    Endpoint(
        "measures:proposal-to-measure",
        "editor",
        url("measures:proposal-to-measure", road, lambda w: w.proposal.pk),
        lambda w: [ProposalToMeasureForm()],
        covers=(ProposalToMeasureForm,),
    ),
    Endpoint(
        "measures:pledge-edit",
        "coordinator",
        url("measures:pledge-edit", net, org),
        lambda w: [PledgeForm(instance=w.pledge)],
        covers=(PledgeForm,),
    ),
    Endpoint(
        "measures:pledge-report",
        "coordinator",
        url("measures:pledge-report", net, org),
        lambda w: [PledgeReportForm(pledge=w.pledge)],
        covers=(PledgeReportForm,),
        valid={"year": "2024"},
    ),
    # participation both ways (issue 16 §2)
    Endpoint(
        "measures:proposal-comment-create",
        "citizen",
        url("measures:proposal-comment-create", road, lambda w: w.proposal.pk),
        lambda w: [CommentForm(netiquette=True)],
        covers=(CommentForm,),
    ),
    Endpoint(
        "measures:comment-report",
        "citizen",
        url("measures:comment-report", road, lambda w: _published_comment(w).pk),
        lambda w: [ReportForm()],
        covers=(ReportForm,),
    ),
    Endpoint(
        "measures:proposal-answer",
        "editor",
        url("measures:proposal-answer", road, lambda w: w.proposal.pk),
        lambda w: [ProposalAnswerForm(proposal=w.proposal)],
        covers=(ProposalAnswerForm,),
        valid={"state": "in_review"},
    ),
    Endpoint(
        "measures:follow-roadmap",
        "citizen",
        url("measures:follow-roadmap", road),
        lambda w: [FollowForm()],
        covers=(FollowForm,),
    ),
    Endpoint(
        "measures:follow-measure",
        "citizen",
        url("measures:follow-measure", road, lambda w: w.measure.slug),
        lambda w: [FollowForm()],
        covers=(FollowForm,),
    ),
    Endpoint(
        "measures:follow-proposal",
        "citizen",
        url("measures:follow-proposal", road, lambda w: w.proposal.pk),
        lambda w: [FollowForm()],
        covers=(FollowForm,),
    ),
    Endpoint(
        "measures:follows",
        "citizen",
        url("measures:follows"),
        lambda w: [FollowForm()],
        covers=(FollowForm,),
        extra={"follow": ""},
    ),
    Endpoint(
        "measures:feedback-create",
        "anonymous",
        url("measures:feedback-create", road, lambda w: w.measure.slug),
        lambda w: [FeedbackForm()],
        covers=(FeedbackForm,),
        valid={"email": "fuzz@example.org", "netiquette": "on"},
    ),
    Endpoint(
        "measures:feedback-moderate",
        "editor",
        url("measures:feedback-moderate", road, lambda w: _verified_feedback(w).pk),
        lambda w: [ModerationForm()],
        covers=(ModerationForm,),
    ),
    Endpoint(
        "measures:phases",
        "editor",
        url("measures:phases", road),
        lambda w: [PhaseForm()],
        covers=(PhaseForm,),
        valid={"starts": "2027-01-01", "ends": "2027-03-31"},
    ),
]

# --- monitoring -------------------------------------------------------------------------------------


def _published_comment(w):
    from measures.models import Comment

    return Comment.objects.get_or_create(
        measure=w.measure, author=w.people["member"], text="Veröffentlicht", defaults={"status": "published"}
    )[0]


def _verified_feedback(w):
    from measures.models import Feedback

    return Feedback.objects.get_or_create(
        measure=w.measure,
        email="feedback@example.org",
        defaults={"text": "Rückmeldung", "netiquette_at": timezone.now(), "verified_at": timezone.now()},
    )[0]


def _value_rows(w):
    return [ValueRowForm(indicator=i, current=None) for i in w.organisation.indicators.all()]


def _sector_rows(w):
    return [SectorRowForm(sector=s, lines=[]) for s in BiskoSector.values]


MONITORING = [
    Endpoint(
        "monitoring:indicator-create",
        "editor",
        url("monitoring:indicator-create", org),
        lambda w: [IndicatorForm(organisation=w.organisation)],
        covers=(IndicatorForm,),
        valid={"name": "Radwege", "code": "rad-1", "measures": None, "baseline_year": None, "baseline_value": None},
    ),
    Endpoint(
        "monitoring:indicator-edit",
        "editor",
        url("monitoring:indicator-edit", org, lambda w: w.indicator.pk),
        lambda w: [IndicatorForm(instance=w.indicator, organisation=w.organisation)],
        covers=(IndicatorForm,),
        valid={"code": "pv-1"},
    ),
    Endpoint(
        "monitoring:values-entry",
        "editor",
        url("monitoring:values-entry", org),
        _value_rows,
        covers=(ValueRowForm,),
    ),
    Endpoint(
        "monitoring:values-entry",
        "editor",
        url("monitoring:values-entry", org),
        lambda w: [YearForm(max_year=timezone.localdate().year)],
        covers=(YearForm,),
        method="get",
        valid={"jahr": "2024"},
    ),
    Endpoint(
        "monitoring:values-import",
        "editor",
        url("monitoring:values-import", org),
        lambda w: [UploadForm(columns=monitoring_importing.VALUE_COLUMNS)],
        covers=(UploadForm,),
        extra={"action": "import", "vorlage": "csv"},
        valid={"file": csv_bytes(VALUE_HEADERS, VALUE_ROW)},
        hook=import_hook(VALUE_HEADERS, VALUE_ROW),
    ),
    Endpoint(
        "monitoring:balance",
        "editor",
        url("monitoring:balance", org),
        _sector_rows,
        covers=(SectorRowForm,),
    ),
    Endpoint(
        "monitoring:balance",
        "editor",
        url("monitoring:balance", org),
        lambda w: [YearForm(max_year=timezone.localdate().year)],
        covers=(YearForm,),
        method="get",
        valid={"jahr": "2022"},
    ),
    Endpoint(
        "monitoring:balance-import",
        "editor",
        url("monitoring:balance-import", org),
        lambda w: [UploadForm(columns=monitoring_importing.BALANCE_COLUMNS)],
        covers=(UploadForm,),
        extra={"action": "import"},
        valid={"file": csv_bytes(BALANCE_HEADERS, BALANCE_ROW)},
        hook=import_hook(BALANCE_HEADERS, BALANCE_ROW),
    ),
    Endpoint(
        "monitoring:path-edit",
        "editor",
        url("monitoring:path-edit", org),
        lambda w: [PathForm(organisation=w.organisation, instance=EmissionPath(organisation=w.organisation))],
        covers=(PathForm,),
        valid={"baseline_emissions": "1.000", "residual_percent": "5"},
    ),
    Endpoint(
        "monitoring:heat-planning-edit",
        "editor",
        url("monitoring:heat-planning-edit", org),
        lambda w: [HeatPlanningForm(organisation=w.organisation, instance=HeatPlanning(organisation=w.organisation))],
        covers=(HeatPlanningForm,),
        valid={"stage": "1", "reached_1": "2024-01-15", "council_decision_on": None}
        | {f"reached_{stage}": None for stage in range(2, 9)},
    ),
    Endpoint(
        "monitoring:strategy-edit",
        "editor",
        url("monitoring:strategy-edit", org),
        lambda w: [StrategyForm(organisation=w.organisation, instance=ClimateStrategy(organisation=w.organisation))],
        covers=(StrategyForm,),
        valid={"concept_share_implemented": "40"},
    ),
    # monitoring.comparison (issue 17 §2): the peer-group picker, the opt-in, the key data
    Endpoint(
        "comparison:comparison",
        "anonymous",
        url("comparison:comparison", org),
        lambda w: [comparison_forms.PeerGroupForm(groups=comparison_groups(w.organisation, []))],
        covers=(comparison_forms.PeerGroupForm,),
        method="get",
        valid={"gruppe": "size"},
    ),
    Endpoint(
        "comparison:consent",
        "editor",
        url("comparison:consent", org),
        lambda w: [comparison_forms.ConsentForm(figures=comparison_selectors.figures_of(w.organisation), current={})],
        covers=(comparison_forms.ConsentForm,),
    ),
    Endpoint(
        "comparison:key-data",
        "editor",
        url("comparison:key-data", org),
        lambda w: [comparison_forms.KeyDataForm(instance=w.organisation)],
        covers=(comparison_forms.KeyDataForm,),
        valid={"ags": "07312000", "population": "100000", "area": "139.74"},
    ),
    Endpoint(
        "monitoring:report-create",
        "editor",
        lambda w: reverse("monitoring:report-create") + f"?roadmap={w.roadmap.slug}",
        lambda w: [ReportRequestForm(today=timezone.localdate(), default_title="Bericht")],
        covers=(ReportRequestForm,),
        valid={"period_start": "2024-01-01", "period_end": "2024-12-31"},
    ),
    *[
        Endpoint(
            "monitoring:report-create",
            "editor" if subject != "network" else "coordinator",
            url("monitoring:report-create"),
            method="get",
            extra={subject: slug},
            note="the subject comes from the query string",
        )
        for subject, slug in (("roadmap", "kaiserslautern"), ("organisation", "kaiserslautern"), ("network", "ktt"))
    ],
    Endpoint(
        "monitoring:report-publish",
        "editor",
        url("monitoring:report-publish", lambda w: w.report.pk),
        extra={"publish": "1"},
    ),
    Endpoint(
        "monitoring:report-schedule",
        "editor",
        url("monitoring:report-schedule", road),
        lambda w: [ReportScheduleForm()],
        covers=(ReportScheduleForm,),
    ),
    Endpoint(
        "monitoring:health",
        "coordinator",
        url("monitoring:health", net),
        method="get",
        extra={"sortierung": "name"},
    ),
]

# --- an organisation's own sign-in (issue 19 §5, networks.signin) -----------------------------------------------
SIGNIN = [
    Endpoint(
        "signin:start",
        "anonymous",
        url("signin:start"),
        lambda w: [StartForm()],
        covers=(StartForm,),
        extra={"next": "/"},
        note="the work address: offers its organisation's sign-in, or a form error",
    ),
    Endpoint(
        "admin:signin_provider_add",
        "staff",
        url("admin:signin_provider_add"),
        lambda w: [ProviderForm()],
        covers=(ProviderForm,),
        valid={
            "protocol": "openid_connect",
            "slug": "fuzz-idp",
            "server_url": "https://idp.example.org/o",
            "client_id": "klimanetz",
            "domains": "fuzz.example.org",
            "active": "on",
        },  # fmt: skip
        note="staff configure an identity provider (the admin's add form)",
    ),
]


# --- passkeys (issue 19 §5, networks.passkeys): the credential is the browser's JSON; fuzzed values must be form
# errors (fido2 raised on many shapes: tests/passkeys has the crafted ones). Adding and confirming need a recent
# sign-in and the login's second step a pending login: there the fuzz checks that any input is refused without a 500.
def _member_passkey(w):
    from allauth.mfa.models import Authenticator

    passkey, _created = Authenticator.objects.get_or_create(
        user=w.people["member"].user, type=Authenticator.Type.WEBAUTHN, defaults={"data": {"name": "Laptop"}}
    )
    return passkey


PASSKEYS = [
    Endpoint(
        "mfa_login_webauthn",
        "anonymous",
        url("mfa_login_webauthn"),
        lambda w: [LoginPasskeyForm()],
        covers=(LoginPasskeyForm,),
        note="sign-in with a passkey alone",
    ),
    Endpoint(
        "mfa_add_webauthn",
        "member",
        url("mfa_add_webauthn"),
        lambda w: [AddPasskeyForm(user=w.people["member"].user)],
        covers=(AddPasskeyForm,),
    ),
    Endpoint(
        "mfa_reauthenticate_webauthn",
        "member",
        url("mfa_reauthenticate_webauthn"),
        lambda w: [ReauthenticatePasskeyForm(user=w.people["member"].user)],
        covers=(ReauthenticatePasskeyForm,),
    ),
    Endpoint(
        "mfa_authenticate",
        "anonymous",
        url("mfa_authenticate"),
        lambda w: [AuthenticatePasskeyForm(user=w.people["member"].user)],
        covers=(AuthenticatePasskeyForm,),
        note="the login's second step (no login pending: back to the login)",
    ),
    Endpoint(
        "mfa_edit_webauthn",
        "member",
        lambda w: reverse("mfa_edit_webauthn", args=[_member_passkey(w).pk]),
        lambda w: [RenamePasskeyForm(instance=_member_passkey(w))],
        covers=(RenamePasskeyForm,),
        note="renaming one's passkey",
    ),
]

ENDPOINTS = NETWORKS + EVENTS + MEASURES + MONITORING + SIGNIN + PASSKEYS

# URLs that change state without any user input (the authorization matrix and the apps' tests cover them),
# and read-only pages without forms or query parameters.
NOT_FUZZED = {
    "networks:membership-end": "no input",
    "networks:role-remove": "no input",
    "networks:invitation-revoke": "no input",
    "networks:invitation-resend": "no input",
    "networks:affiliation-withdraw": "no input",
    "networks:invitation-accept": "no input (the token is in the path)",
    "networks:mail-unsubscribe": "no input (the signed token is in the path; a POST's body is not read)",
    "events:notification-settings": "no input (the old address: a redirect to networks:mail-settings)",
    "events:calendar-token-renew": "no input",
    "events:register": "no input",
    "events:unregister": "no input",
    "events:outcome-delete": "no input",
    "events:document-delete": "no input",
    "events:guest-confirm": "no input (the token is in the path)",
    "events:guest-cancel": "no input (the token is in the path)",
    "events:guest-data": "no input (the token is in the path; the POST erases the guest's data)",
    "events:walk-in-remove": "no input",
    "events:question-delete": "no input (the asker withdraws their own unanswered question)",
    "measures:proposal-support": "no input",
    "measures:proposal-unsupport": "no input",
    "measures:phase-delete": "no input",
    "measures:follow-unsubscribe": "no input (the signed token is in the path; a POST's body is not read)",
    "measures:feedback-verify": "no input (the signed token is in the path)",
    "monitoring:indicator-delete": "no input",
    "monitoring:report-retry": "no input",
}

# Pages without forms or query parameters beyond ?page= (Paginator.get_page copes with any value).
READ_ONLY = {
    "networks:home",
    "networks:dashboard",
    "networks:imprint",
    "networks:privacy",
    "networks:accessibility",
    "networks:easy-read",
    "networks:profile-export",
    "networks:affiliation-requests",
    "networks:network-list",
    "networks:network-detail",
    "networks:network-space",
    "networks:people-manage",
    "networks:member-export-csv",
    "networks:member-export-xlsx",
    "networks:membership-export-csv",
    "networks:member-import-template-csv",
    "networks:member-import-template-xlsx",
    "networks:working-group-list",
    "networks:working-group-detail",
    "networks:campaign-list",
    "networks:campaign-detail",
    "events:my-calendar",
    "events:personal-feed",
    "events:network-feed",
    "events:network-events-atom",
    "events:guest-data-download",
    "events:series-detail",
    "events:event-detail",
    "events:event-ics",
    "events:event-copy",
    "events:participant-list",
    "events:participant-csv",
    "events:participant-xlsx",
    "events:document-download",
    "events:outcome-detail",
    "measures:roadmap-list",
    "measures:my-participation",
    "measures:roadmap",
    "measures:open-data-csv",
    "measures:open-data-json",
    "measures:open-data-xlsx",
    "measures:datapackage",
    "monitoring:indicator-data",
    "monitoring:balance-data",
    "measures:measure",
    "measures:proposal",
    "measures:measure-history",
    "measures:measure-export-csv",
    "measures:measure-export-xlsx",
    "measures:import-job",
    "measures:import-job-status",
    "measures:moderation",
    "measures:pledge-list",
    "monitoring:organisation",
    "monitoring:board",
    "monitoring:board-export",
    "monitoring:health-detail",
    "monitoring:report",
    "monitoring:report-status",
    "monitoring:report-download",
    "seo:roadmap-image",
    "seo:measure-image",
    "seo:roadmap-feed",
}


# The rooms of networks (DESIGN §2) keep their entries in tests/fuzz/rooms/<room>.py.
ROOMS = (
    *("channel", "announcements", "inbound", "digest", "library", "search"),
    *("experts", "campaignfigures", "funding", "catalogue"),  # issue 17: its apps keep their rows the same way
    "api",  # the profile's API tokens (issue 18 §1): URL namespace apitokens
    "webhooks",  # webhooks of organisations and networks (issue 18 §2)
    "council",  # council decisions through OParl (issue 18 §5)
    *("opendata", "embeds"),  # the DCAT-AP.de catalogue; embeds and their hosts form (issue 18 §3, §4)
)
ROOM_MODULES = [importlib.import_module(f"tests.fuzz.rooms.{room}") for room in ROOMS]
for _module in ROOM_MODULES:
    ENDPOINTS += _module.ENDPOINTS
    NOT_FUZZED.update(_module.NOT_FUZZED)
    READ_ONLY |= _module.READ_ONLY
