"""Hypothesis profiles and the small world every fuzzed form works on.

Profiles (HYPOTHESIS_PROFILE): ``ci`` (the default) is derandomised and small enough for CI on SQLite and
PostgreSQL; ``local`` draws many more examples with a random seed, for a longer hunt:
``HYPOTHESIS_PROFILE=local .venv/bin/pytest tests/fuzz``.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings

from events.models import Kind, Registration
from monitoring.models import Report
from networks.models import AffiliationRequest, NetworkRole
from tests.conftest import built_once
from tests.events import factories as ef
from tests.helpers import PersonaSessions
from tests.measures import factories as mf
from tests.monitoring import factories as mof
from tests.networks import factories as nf

_common = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "database": None,
    "print_blob": True,
}
# ci: 6 examples per endpoint (12 until the suite went over its time budget; FUZZ_EXAMPLES=12 for the former run)
settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")), derandomize=True, **_common)
settings.register_profile("local", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass
class World:
    """One network with its people, events, a roadmap with participation, pledges and monitoring."""

    people: dict
    network: object
    other: object
    organisation: object  # the editor's organisation (a municipality, member of the network)
    event: object  # upcoming, network-only, capacity 5
    past_event: object  # started yesterday, the member attended
    office_hour: object
    question: object
    series: object
    action_item: object
    working_group: object
    campaign: object
    member_role: object
    roadmap: object
    measure: object
    proposal: object  # published
    pending_proposal: object
    comment: object  # pending
    pledge: object
    indicator: object
    report: object  # done
    public_event: object = None  # upcoming, public, hybrid: registration without an account (events.views.guests)
    sessions: PersonaSessions | None = None  # a signed-in session per persona, made with the world

    def user(self, persona: str):
        return None if persona == "anonymous" else self.people[persona].user


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker):
    """The world, built once for the module inside a transaction rolled back at its end (tests.conftest.built_once),
    with its media directory; each test runs in a savepoint inside it, each example in one more."""
    with built_once(django_db_blocker, "klimanetz-fuzz-") as media:
        yield build_world(), media


@pytest.fixture
def world(db, _world_once, settings) -> World:
    """The module's world as a copy of its own for the test: a test that changes an object in memory changes nothing
    for the next (its rows go back with the test's savepoint)."""
    built, media = _world_once
    settings.MEDIA_ROOT = str(media)
    return copy.deepcopy(built)


def build_world() -> World:
    network = nf.NetworkFactory(name="Klima.Taten.Team Westpfalz", short_name="KTT", slug="ktt")
    other = nf.NetworkFactory(name="Netzwerk Köln/Bonn", short_name="NKK", slug="nkk")
    organisation = nf.OrganisationFactory(name="Stadt Kaiserslautern", slug="kaiserslautern", population=100_000)
    nf.OrganisationFactory(name="Stadtwerke Kaiserslautern", slug="swk", kind="utility")
    nf.MembershipFactory(network=network, organisation=organisation)
    topic = nf.TopicFactory(slug="waermeplanung", name="Wärmeplanung", name_en="Heat planning")
    people = {
        "citizen": nf.PersonFactory(name="Bürgerin", organisation=None),
        "staff": nf.PersonFactory(name="Betrieb", user__is_staff=True, user__is_superuser=True),
    }
    member_role = nf.NetworkRoleFactory(network=network, person__name="Mitglied", person__organisation=organisation)
    people["member"] = member_role.person
    people["coordinator"] = nf.NetworkRoleFactory(
        network=network, role=NetworkRole.Role.COORDINATOR, person__name="Koordinatorin"
    ).person
    people["other_network"] = nf.NetworkRoleFactory(network=other, person__name="Fremdes Mitglied").person
    people["editor"] = nf.OrganisationRoleFactory(
        organisation=organisation, person__name="Redakteurin", person__organisation=organisation
    ).person
    nf.ExpertiseFactory(person=people["member"], topic=topic)

    event = ef.EventFactory(network=network, capacity=5, title="Netzwerktreffen Wärme")
    ef.RegistrationFactory(event=event, person=people["member"])
    past_event = ef.EventFactory(
        network=network, starts_at=timezone.now() - timedelta(days=1), title="Rückblick Wärmeplanung"
    )
    ef.RegistrationFactory(event=past_event, person=people["member"], status=Registration.Status.REGISTERED)
    office_hour = ef.EventFactory(network=network, kind=Kind.OFFICE_HOUR, title="Sprechstunde")
    public_event = ef.EventFactory(
        network=network, visibility="public", format="hybrid", venue="Rathaus", capacity=3, title="Bürgerwerkstatt"
    )
    question = ef.QuestionFactory(event=office_hour, network=network, author=people["member"])
    series = ef.EventSeriesFactory(network=network)
    action_item = ef.OutcomeFactory(event=past_event, owner_person=people["member"])
    working_group = nf.WorkingGroupFactory(network=network, topic=topic)
    campaign = nf.CampaignFactory(network=network)
    nf.InvitationFactory(network=network)

    roadmap = mf.RoadmapFactory(organisation=organisation, slug="kaiserslautern", title="Klima-Roadmap KL")
    contact = nf.PersonFactory(name="Petra Kontakt", contact_visibility="public")  # the measure page's contact form
    measure = mf.MeasureFactory(
        roadmap=roadmap, code="M-01", slug="m-01", lead_organisation=organisation, responsible_person=contact
    )
    mf.MilestoneFactory(measure=measure)
    proposal = mf.ProposalFactory(roadmap=roadmap, status="published")
    pending_proposal = mf.ProposalFactory(roadmap=roadmap, title="Noch nicht freigegeben")
    comment = mf.CommentFactory(measure=measure)
    pledge = mf.PledgeFactory(network=network, organisation=organisation)
    indicator = mof.IndicatorFactory(roadmap=roadmap, organisation=organisation)
    mof.IndicatorValueFactory(indicator=indicator, year=timezone.localdate().year - 1)
    mof.EmissionBalanceFactory(organisation=organisation)
    report = mof.ReportFactory(roadmap=roadmap, status=Report.Status.DONE, requested_by=people["editor"])
    AffiliationRequest.objects.create(person=people["citizen"], organisation=organisation)  # the editor decides
    world = World(
        people=people,
        network=network,
        other=other,
        organisation=organisation,
        event=event,
        public_event=public_event,
        past_event=past_event,
        office_hour=office_hour,
        question=question,
        series=series,
        action_item=action_item,
        working_group=working_group,
        campaign=campaign,
        member_role=member_role,
        roadmap=roadmap,
        measure=measure,
        proposal=proposal,
        pending_proposal=pending_proposal,
        comment=comment,
        pledge=pledge,
        indicator=indicator,
        report=report,
    )
    world.sessions = PersonaSessions({name: world.user(name) for name in people})
    return world
