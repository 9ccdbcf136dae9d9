"""The demo roadmaps (issue 4 §7): loaded by load_demo after the networks and events, idempotent, and showing
what the measures app can do: Düren's roadmap in every sector and status with late measures, measures from
workshops and citizen proposals, moderated and waiting proposals, Dortmund's programme and the KEK's pledges."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from measures.models import (
    Comment,
    Measure,
    MeasureUpdate,
    Milestone,
    Moderation,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalSupport,
    Roadmap,
    Sector,
)
from networks.access import is_editor
from networks.models import NetworkRole, Organisation, OrganisationRole, OutboxMessage, Person

pytestmark = pytest.mark.django_db

DUEREN = "klima-roadmap-kreis-dueren"
DORTMUND = "klima-luft-2030"
MODELS = [
    Roadmap,
    Measure,
    Measure.history.model,
    Milestone,
    MeasureUpdate,
    Proposal,
    ProposalSupport,
    Comment,
    Pledge,
    PledgeReport,
    OutboxMessage,
    Person,
    Organisation,
    OrganisationRole,
    NetworkRole,
]


def load() -> str:
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(demo_once, settings) -> str:
    """The demo, loaded once for the module (tests.conftest.demo_once); each test in a savepoint."""
    settings.MEDIA_ROOT = demo_once.media
    return demo_once.output


def dueren() -> Roadmap:
    return Roadmap.objects.get(slug=DUEREN)


def test_load_demo_twice_creates_nothing_twice(loaded):
    first = counts()
    assert first["Measure"] >= 30 and first["Proposal"] >= 6 and first["Pledge"] >= 5
    load()
    assert counts() == first


def test_load_demo_reports_the_roadmaps(loaded):
    assert "Demo roadmaps:" in loaded and "Klima-Roadmap Kreis Düren" in loaded and "late" in loaded


def test_duerens_roadmap_aims_at_2035_and_is_open_data(loaded):
    roadmap = dueren()
    assert roadmap.organisation.slug == "kreis-dueren" and roadmap.published
    assert (roadmap.target_year, roadmap.baseline_year) == (2035, 2019)
    # BISKO-style per-capita emissions of a German county with industry: 5 to 15 t CO2e per inhabitant.
    assert 5 <= roadmap.baseline_emissions / roadmap.organisation.population <= 15
    assert roadmap.licence == "dl-de/by-2-0"


def test_duerens_measures_cover_every_sector_and_every_status(loaded):
    measures = dueren().measures.all()
    assert measures.filter(published=True).count() >= 25
    assert set(measures.values_list("sector", flat=True)) == set(Sector.values)
    assert set(measures.filter(published=True).values_list("status", flat=True)) == set(Measure.Status.values)
    assert measures.filter(published=False).exists()  # a draft only the editors see
    titles = " ".join(measures.values_list("title", flat=True))
    for words in ("Balkon-PV", "Repair-Café", "Lastenrad", "Abwärme", "Wasserstoff", "Wärmeplanung", "Entsiegel"):
        assert words in titles


def test_some_measures_are_late_one_with_a_written_reason(loaded):
    measures = dueren().measures.all()
    late = [m for m in measures if m.shows_late]
    assert len(late) >= 3 and all(m.status not in ("completed", "dropped") for m in late)
    assert any(m.milestones.filter(done_date=None, due_date__lt=timezone.localdate()).exists() for m in late)
    overridden = measures.filter(is_late=True).exclude(late_override_reason="")
    assert overridden.exists() and not any(m.shows_late for m in overridden)
    assert not measures.filter(status__in=["completed", "dropped"], is_late=True).exists()


def test_measures_come_from_the_kick_off_the_workshop_and_citizen_proposals(loaded):
    measures = dueren().measures.all()
    from_events = measures.filter(origin=Measure.Origin.WORKSHOP)
    kinds = set(from_events.values_list("origin_event__kind", flat=True))
    assert kinds == {"kick_off", "workshop"} and from_events.count() >= 4
    assert all(m.origin_event.network.slug == DUEREN for m in from_events)
    from_proposals = measures.filter(origin=Measure.Origin.PROPOSAL)
    assert from_proposals.count() >= 3
    assert all(m.origin_proposal.is_published and m.origin_proposal.roadmap == dueren() for m in from_proposals)


def test_measures_have_history_updates_effects_funding_and_internal_fields(loaded):
    measures = dueren().measures.all()
    editor = Person.objects.get(user__email="dueren.redaktion@example.org")
    assert all(m.history.last().history_user == editor.user for m in measures)
    # Records at the entry date are the sheet and its partners; a later record is a change of status.
    changed = [m for m in measures if m.history.values("history_date").distinct().count() > 1]
    assert changed and all(m.history.first().history_date > m.history.last().history_date for m in changed)
    # The sheet was last changed when its history says so, not when the demo was loaded.
    assert all(m.updated_at == m.history.first().history_date < timezone.now() for m in measures)
    updates = MeasureUpdate.objects.filter(measure__roadmap=dueren())
    assert updates.filter(public=True).exclude(percent=None).count() >= 10 and updates.filter(public=False).exists()
    with_effect = measures.exclude(effect_expected=None)
    assert with_effect.count() >= 5 and all(m.effect_low <= m.effect_expected <= m.effect_high for m in with_effect)
    assert all(m.effect_method and m.effect_source for m in with_effect)
    programmes = " ".join(measures.values_list("funding_programme", flat=True))
    assert "Kommunalrichtlinie" in programmes and "progres.nrw" in programmes
    internal = measures.exclude(internal_fields=[])
    assert internal.count() >= 2 and all(m.internal_note for m in internal)


def test_proposals_are_published_pending_and_rejected_and_pending_ones_stay_hidden(loaded):
    proposals = dueren().proposals.all()
    published = proposals.filter(status=Moderation.PUBLISHED)
    assert published.count() >= 4 and all(p.supports.exists() for p in published)
    rejected = proposals.get(status=Moderation.REJECTED)
    assert rejected.rejection_reason
    pending = proposals.filter(status=Moderation.PENDING)
    assert pending.filter(author__user__email="buerger@example.org").exists()
    assert OutboxMessage.objects.filter(reason="proposal_moderated", recipient="buerger@example.org").exists()

    anonymous = Client()
    for proposal in pending:
        assert anonymous.get(proposal.get_absolute_url()).status_code == 404
    assert anonymous.get(published.first().get_absolute_url()).status_code == 200
    comments = Comment.objects.filter(measure__roadmap=dueren())
    assert comments.filter(status=Moderation.PUBLISHED).exists() and comments.filter(status=Moderation.PENDING).exists()


def test_the_citizens_demo_contributions_leave_room_under_the_rate_limit(loaded):
    from measures import services

    buerger = Person.objects.get(user__email="buerger@example.org")
    services.proposal_submit(roadmap=dueren(), author=buerger, title="Neue Idee", text="Text", sector="mobility")


def test_dortmunds_programme_has_measures_and_an_editor_of_the_city(loaded):
    roadmap = Roadmap.objects.get(slug=DORTMUND)
    assert roadmap.organisation.slug == "stadt-dortmund" and roadmap.published
    assert 3 <= roadmap.measures.count() <= 8
    editor = Person.objects.get(user__email="kek.mitglied@example.org")
    assert is_editor(editor.user, roadmap.organisation)
    assert all(m.history.last().history_user == editor.user for m in roadmap.measures.all())
    # kek.mitglied is still a member of the KEK, as the networks' demo made them.
    assert NetworkRole.objects.get(person=editor, network__slug="kek-dortmund").role == "member"


def test_kek_member_organisations_have_pledges_with_reports(loaded):
    pledges = Pledge.objects.filter(network__slug="kek-dortmund").select_related("organisation")
    assert pledges.count() >= 5
    members = set(pledges.first().network.memberships.values_list("organisation__slug", flat=True))
    assert {p.organisation.slug for p in pledges} <= members
    assert {"dsw21", "dew21", "sparkasse-dortmund", "fh-dortmund", "caritas-dortmund"} <= {
        p.organisation.slug for p in pledges
    }
    years = {p.target_year for p in pledges}
    assert min(years) >= 2030 and max(years) <= 2045 and len(years) >= 3
    assert all(p.commitments for p in pledges)
    assert PledgeReport.objects.filter(pledge__in=pledges).count() >= 5


def test_the_demo_contacts_may_be_named_publicly_and_the_public_page_names_one(loaded):
    """The contact persons of the demo measures chose "everyone" (only they are named on public pages)."""
    measures = Measure.objects.filter(roadmap__slug__in=[DUEREN, DORTMUND]).select_related("responsible_person")
    contacts = {m.responsible_person for m in measures if m.responsible_person}
    assert contacts and all(person.is_publicly_named for person in contacts)
    shown = next(
        m for m in measures if m.published and m.responsible_person and "responsible_person" not in m.internal_fields
    )
    page = Client().get(shown.get_absolute_url()).content.decode()
    assert shown.responsible_person.name in page
