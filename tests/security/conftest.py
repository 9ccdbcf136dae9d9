"""One world per module for the security suite: two networks, the personas of DESIGN §4 and an object of every
kind, with every free-text field carrying an XSS payload.

The world is built once for the package inside a transaction that is rolled back at its end; each
test runs in a savepoint inside it (pytest-django's ``db``), so one database setup serves hundreds of requests.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Kind, Outcome, Registration, Visibility
from measures.models import MeasureImport, Moderation
from monitoring.models import Report
from networks.models import AffiliationRequest, NetworkRole
from tests.events import factories as ef
from tests.helpers import PersonaSessions, login_persona
from tests.measures import factories as mf
from tests.monitoring import factories as mof
from tests.networks import factories as f

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]

# Never to be seen raw in any page, feed or export: the script tag and the attribute break-out.
PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")

# Fields that are free text but not shown as such, or that must keep a format.
NOT_TEXT = {"password", "token", "code", "ags", "phone", "content_type", "language", "object_type", "object_id"}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def poison(obj, **extra):
    """Fill every free-text field of ``obj`` (CharField/TextField without choices) with the payload and save."""
    for model_field in obj._meta.concrete_fields:
        if not isinstance(model_field, models.CharField | models.TextField):
            continue
        if (
            isinstance(model_field, models.SlugField | models.EmailField | models.URLField)
            or model_field.choices
            or model_field.name in NOT_TEXT
            or not model_field.editable
        ):
            continue
        limit = model_field.max_length or 10_000
        setattr(obj, model_field.name, f"{obj._meta.model_name[:3]}{obj.pk} {PAYLOAD}"[:limit])
    for name, value in extra.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# The rooms of networks (DESIGN §2), each an app with its own URL namespace.
ROOMS = (
    *("channel", "announcements", "inbound", "digest", "library", "search"),
    *("experts", "campaignfigures", "funding", "catalogue"),  # issue 17: its apps keep their rows the same way
    "council",  # council decisions through OParl (issue 18 §5)
    "api",  # the REST API (issue 18 §1)
    "webhooks",  # webhooks of organisations and networks (issue 18 §2)
    *("opendata", "embeds"),  # the DCAT-AP.de catalogue, embeds and the badge (issue 18 §3, §4)
)


@dataclass
class World:
    network: object
    other: object
    people: dict = field(default_factory=dict)
    o: dict = field(default_factory=dict)  # the objects by short name
    media: Path | None = None
    sessions: PersonaSessions | None = None  # a signed-in session per persona, made with the world

    def user(self, name: str):
        return None if name == "anonymous" else self.people[name].user

    def login(self, client, name: str) -> None:
        login_persona(client, name, self.user(name))

    def __getattr__(self, name):
        try:
            return self.__dict__["o"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def build_world(media: Path) -> World:
    from django.conf import settings

    from events import services as event_services
    from events.services import personal
    from monitoring.services import reports as report_service

    settings.MEDIA_ROOT = media
    network = poison(f.NetworkFactory(name="KTT", short_name="KTT", slug="ktt"))
    other = poison(f.NetworkFactory(name="NKK", short_name="NKK", slug="nkk"))
    w = World(network=network, other=other, media=media)
    p = w.people
    p["citizen"] = poison(f.PersonFactory(organisation=None))
    p["member"] = poison(f.NetworkRoleFactory(network=network).person)
    p["coordinator"] = poison(f.NetworkRoleFactory(network=network, role=NetworkRole.Role.COORDINATOR).person)
    p["other_network"] = poison(f.NetworkRoleFactory(network=other).person)
    p["editor"] = poison(f.OrganisationRoleFactory().person)
    p["staff"] = poison(f.PersonFactory(user__is_staff=True, user__is_superuser=True))
    o = w.o
    # Organisations: the editor's (a member of network A, with a roadmap) and one of network B.
    org = o["org"] = poison(p["editor"].organisation_roles.get().organisation, short_name="ED")
    poison(p["member"].organisation, short_name="ME")
    org_b = o["org_b"] = poison(f.OrganisationFactory(), short_name="OB")
    o["membership"] = f.MembershipFactory(network=network, organisation=org, since=date(2020, 1, 1))
    f.MembershipFactory(network=network, organisation=p["member"].organisation, since=date(2020, 1, 1))
    f.MembershipFactory(network=other, organisation=org_b, since=date(2020, 1, 1))
    # networks
    o["topic"] = f.TopicFactory()
    poison(f.ExpertiseFactory(person=p["member"], topic=o["topic"]))
    o["group"] = poison(f.WorkingGroupFactory(network=network, topic=o["topic"]))
    o["group"].members.add(p["member"])
    o["group_b"] = f.WorkingGroupFactory(network=other, topic=o["topic"])
    o["campaign"] = poison(f.CampaignFactory(network=network))
    o["campaign_b"] = f.CampaignFactory(network=other)
    o["spare_role"] = f.NetworkRoleFactory(network=network)
    o["role_b"] = f.NetworkRoleFactory(network=other)
    o["invitation"] = poison(f.InvitationFactory(network=network, invited_by=p["coordinator"]))
    o["invitation_b"] = f.InvitationFactory(network=other)
    o["membership_b"] = other.memberships.get()
    o["affiliation_request"] = poison(AffiliationRequest.objects.create(person=p["citizen"], organisation=org))
    # events
    o["event_public"] = poison(
        ef.EventFactory(
            network=network, visibility=Visibility.PUBLIC, starts_at=ef.in_days(-3), minutes_published_at=None
        ),
        minutes="## Punkt\n\n" + PAYLOAD + "\n\n[link](javascript:alert(1))",
    )
    for person in (p["member"], p["citizen"], p["other_network"]):
        ef.RegistrationFactory(event=o["event_public"], person=person)
    event_services.minutes_save(event=o["event_public"], text=o["event_public"].minutes, publish=True, by=None)
    o["event_public"].refresh_from_db()
    o["guest"] = Registration.objects.create(  # registered without an account (events.services.guests)
        event=o["event_public"],
        guest_name=PAYLOAD[:200],
        guest_email="gast@example.org",
        guest_token="g" * 43,
        status=Registration.Status.REGISTERED,
    )
    o["walk_in"] = Registration.objects.create(
        event=o["event_public"], guest_name="Gast", walk_in=True, status="attended"
    )
    o["event_internal"] = poison(ef.EventFactory(network=network, visibility=Visibility.NETWORK))
    o["office_hour"] = poison(ef.EventFactory(network=network, kind=Kind.OFFICE_HOUR, visibility=Visibility.NETWORK))
    o["event_b"] = poison(ef.EventFactory(network=other, visibility=Visibility.NETWORK))
    o["event_b_public"] = ef.EventFactory(network=other, visibility=Visibility.PUBLIC)
    for event in (o["event_public"], o["event_internal"]):
        poison(event.agenda.create(title="x", position=1))
    o["question"] = poison(ef.QuestionFactory(event=o["office_hour"], author=p["member"]))
    o["question"].answered_at = o["question"].created_at
    o["question"].save()
    o["question_b"] = ef.QuestionFactory(event__network=other)
    o["question_open"] = poison(ef.QuestionFactory(event=o["office_hour"], author=p["member"]))  # the asker's
    o["outcome"] = poison(
        ef.OutcomeFactory(event=o["event_public"], owner_person=p["member"], kind=Outcome.Kind.ACTION)
    )
    o["outcome_b"] = ef.OutcomeFactory(event=o["event_b"])
    o["outcome_other_event"] = ef.OutcomeFactory(event=o["event_internal"])
    upload = SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf")
    o["document"] = event_services.document_add(
        event=o["event_public"], upload=upload, kind="slides", title=f"title {PAYLOAD}", by=p["coordinator"]
    )
    upload = SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")
    o["document_b"] = event_services.document_add(event=o["event_b"], upload=upload, kind="slides", title="B", by=None)
    upload = SimpleUploadedFile("i.pdf", PDF, content_type="application/pdf")
    o["document_other_event"] = event_services.document_add(
        event=o["event_internal"], upload=upload, kind="slides", title="I", by=None
    )
    o["series"] = poison(ef.EventSeriesFactory(network=network))
    o["series_b"] = ef.EventSeriesFactory(network=other)
    o["token"] = personal.calendar_token_get(person=p["member"]).token
    # measures
    o["roadmap"] = poison(mf.RoadmapFactory(organisation=org, slug="rm"))
    o["roadmap_hidden"] = poison(mf.RoadmapFactory(organisation=org, slug="rm-hidden", published=False))
    o["roadmap_b"] = mf.RoadmapFactory(organisation=org_b, slug="rm-b")
    o["measure"] = poison(
        mf.MeasureFactory(roadmap=o["roadmap"], code="M-1", slug="m-1", origin_event=o["event_public"])
    )
    o["measure_hidden"] = poison(mf.MeasureFactory(roadmap=o["roadmap"], code="M-2", slug="m-2", published=False))
    o["measure"].responsible_person = poison(f.PersonFactory(contact_visibility="public"))  # the contact form's
    o["measure"].save(update_fields=["responsible_person"])
    o["measure_b"] = mf.MeasureFactory(roadmap=o["roadmap_b"], code="B-1", slug="b-1")
    poison(mf.MilestoneFactory(measure=o["measure"]))
    poison(mf.MeasureUpdateFactory(measure=o["measure"], author=p["editor"]))
    o["proposal"] = poison(mf.ProposalFactory(roadmap=o["roadmap"], author=p["citizen"], status=Moderation.PUBLISHED))
    o["proposal_pending"] = poison(mf.ProposalFactory(roadmap=o["roadmap"], author=p["citizen"]))
    o["proposal_b"] = mf.ProposalFactory(roadmap=o["roadmap_b"], status=Moderation.PUBLISHED)
    o["comment"] = poison(mf.CommentFactory(measure=o["measure"], author=p["citizen"], status=Moderation.PUBLISHED))
    o["comment_pending"] = poison(mf.CommentFactory(measure=o["measure"], author=p["citizen"]))
    o["comment_b"] = mf.CommentFactory(measure=o["measure_b"])
    o["pledge"] = poison(mf.PledgeFactory(network=network, organisation=org))
    o["import_job"] = poison(  # a failed import: its page lists the rows with their errors
        MeasureImport.objects.create(
            roadmap=o["roadmap"],
            requested_by=p["editor"],
            file_name="x.csv",
            status=MeasureImport.Status.FAILED,
            problems=[{"row": 2, "code": PAYLOAD[:20], "errors": [PAYLOAD]}],
        )
    )
    o["import_job_hidden"] = MeasureImport.objects.create(roadmap=o["roadmap_hidden"], file_name="h.csv")
    o["import_job_b"] = MeasureImport.objects.create(roadmap=o["roadmap_b"], file_name="b.csv")
    # monitoring
    o["indicator"] = poison(mof.IndicatorFactory(roadmap=o["roadmap"], organisation=org, public=True))
    poison(mof.IndicatorValueFactory(indicator=o["indicator"], year=2023))
    o["indicator_b"] = mof.IndicatorFactory(roadmap=o["roadmap_b"])
    poison(mof.EmissionBalanceFactory(organisation=org))
    poison(mof.HeatPlanningFactory(organisation=org))
    poison(mof.ClimateStrategyFactory(organisation=org))
    report = mof.ReportFactory(roadmap=o["roadmap"], title=f"title {PAYLOAD}", requested_by=p["editor"])
    assert report_service.report_build(report.pk) == "done"
    report_service.report_publish(Report.objects.get(pk=report.pk), True)
    o["report"] = Report.objects.get(pk=report.pk)
    report = mof.ReportFactory(roadmap=o["roadmap"], title=f"title {PAYLOAD}", requested_by=p["editor"])
    assert report_service.report_build(report.pk) == "done"
    o["report_private"] = Report.objects.get(pk=report.pk)
    o["report_b"] = mof.ReportFactory(
        roadmap=None, scope=Report.Scope.ORGANISATION, organisation=org_b, status=Report.Status.FAILED
    )
    o["report_network"] = mof.ReportFactory(
        roadmap=None, scope=Report.Scope.NETWORK, network=network, status=Report.Status.FAILED
    )
    o["today"] = date.today()
    o["yesterday"] = date.today() - timedelta(days=1)
    for room in ROOMS:  # networks' rooms add their objects (tests/security/rooms/<room>.py)
        importlib.import_module(f"tests.security.rooms.{room}").build(w)
    w.sessions = PersonaSessions({name: w.user(name) for name in PERSONAS})
    return w


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The world of the security suite (see the module docstring); rolled back when the package is done."""
    from django.conf import settings

    media_before = settings.MEDIA_ROOT
    with (
        tempfile.TemporaryDirectory(prefix="klimanetz-security-") as media,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        try:
            yield build_world(Path(media))
        finally:
            settings.MEDIA_ROOT = media_before
            transaction.set_rollback(True)


@pytest.fixture
def w(world, db, settings):
    """The world inside the test's savepoint, with its media directory."""
    settings.MEDIA_ROOT = world.media
    return world


def writes(queries) -> list[str]:
    """The SQL statements that change data, except the session table."""
    changing = ("INSERT", "UPDATE", "DELETE")
    return [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(changing) and "django_session" not in q["sql"]
    ]


class NoWrites(CaptureQueriesContext):
    """Assert that the block writes nothing to the database (sessions aside)."""

    def __init__(self):
        super().__init__(connection)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        if exc[0] is None:
            changed = writes(self.captured_queries)
            assert not changed, "unexpected writes:\n" + "\n".join(changed)
