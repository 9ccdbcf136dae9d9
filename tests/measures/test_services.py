"""Services and the public view of the measures app."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Measure, Moderation
from measures.public import OPEN_DATA_COLUMNS, OPEN_DATA_FIELDS, PublicMeasure, open_data_rows
from networks.models import OutboxMessage
from tests.measures.factories import MeasureFactory, ProposalFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_measure_save_makes_a_unique_slug_and_records_who_changed_what():
    roadmap = RoadmapFactory()
    editor = PersonFactory()
    first = services.measure_save(
        measure=Measure(roadmap=roadmap, code="M-1", title="Balkon-PV", sector="households"), by=editor
    )
    second = services.measure_save(
        measure=Measure(roadmap=roadmap, code="M 1", title="Balkon PV", sector="households"), by=editor
    )
    assert first.slug == "m-1-balkon-pv" and second.slug == "m-1-balkon-pv-2"
    first.summary = "Steckersolargeräte für Mietwohnungen"
    services.measure_save(measure=first, by=editor)
    latest, previous = first.history.all()[:2]
    assert latest.history_user == editor.user
    assert [c.field for c in latest.diff_against(previous).changes] == ["summary"]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"start": date(2026, 5, 1), "end": date(2026, 4, 1)}, "end"),
        ({"effect_low": 10, "effect_expected": 5}, "effect_low"),
        ({"effect_high": 4, "effect_expected": 5}, "effect_high"),
        ({"continuous": True, "end": date(2030, 1, 1)}, "end"),
        ({"internal_fields": ["internal_note", "password"]}, "internal_fields"),
    ],
)
def test_measure_rules_are_validation_errors_and_nothing_is_written(fields, error):
    roadmap = RoadmapFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.measure_save(measure=Measure(roadmap=roadmap, code="X", title="X", sector="mobility", **fields))
    assert error in excinfo.value.message_dict
    assert not Measure.objects.exists()


def test_bulk_status_touches_only_this_roadmap():
    roadmap = RoadmapFactory()
    mine = MeasureFactory.create_batch(2, roadmap=roadmap, status="planned")
    foreign = MeasureFactory(status="planned")
    changed = services.measure_bulk_status(
        roadmap=roadmap, measure_ids=[m.pk for m in mine] + [foreign.pk], status="in_progress", by=None
    )
    assert changed == 2
    foreign.refresh_from_db()
    assert foreign.status == "planned"
    with pytest.raises(ValidationError):
        services.measure_bulk_status(roadmap=roadmap, measure_ids=[mine[0].pk], status="finished", by=None)


def test_late_follows_end_date_and_status():
    measure = MeasureFactory(end=date.today() - timedelta(days=1), start=date.today() - timedelta(days=100))
    services.measure_mark_late()
    measure.refresh_from_db()
    assert measure.is_late and measure.shows_late
    measure.late_override_reason = "Verlängerung vom Kreistag beschlossen"
    services.measure_save(measure=measure)
    measure.refresh_from_db()
    assert measure.is_late and not measure.shows_late
    assert services.measure_mark_late() == 0  # nothing changes on a second run


def test_public_measure_hides_marked_groups_and_never_has_the_internal_note():
    partner = OrganisationFactory()
    measure = MeasureFactory(
        internal_fields=["funding", "partners"],
        funding_programme="Kommunalrichtlinie",
        funding_amount=50000,
        cost_estimate=100000,
        internal_note="nur intern",
    )
    measure.partners.add(partner)
    public = PublicMeasure(measure)
    assert public.funding_programme is None and public.funding_amount is None and public.partners == []
    assert public.get_funding_status_display() == ""
    assert public.cost_estimate == 100000  # not marked: public
    assert public.is_hidden("funding") and not public.is_hidden("cost_estimate")
    with pytest.raises(AttributeError):
        _ = public.internal_note
    row = open_data_rows([public])[0]
    assert row["funding_programme"] is None and row["cost_estimate_eur"] == 100000.0
    assert set(row) == set(OPEN_DATA_FIELDS) == {key for key, _h, _g in OPEN_DATA_COLUMNS}


def test_proposal_moderation_tells_the_author_once_and_needs_a_reason_to_reject():
    proposal = ProposalFactory()
    with pytest.raises(ValidationError):
        services.proposal_moderate(proposal=proposal, publish=False, reason=" ", by=None)
    proposal.refresh_from_db()
    assert proposal.status == Moderation.PENDING
    services.proposal_moderate(proposal=proposal, publish=True, by=None)
    assert OutboxMessage.objects.filter(reason="proposal_moderated").count() == 1


def test_support_once_and_only_published():
    proposal = ProposalFactory()
    citizen = PersonFactory()
    with pytest.raises(ValidationError):
        services.proposal_support(proposal=proposal, person=citizen)
    proposal.status = Moderation.PUBLISHED
    proposal.save(update_fields=["status"])
    assert services.proposal_support(proposal=proposal, person=citizen) is True
    assert services.proposal_support(proposal=proposal, person=citizen) is False
    assert proposal.supports.count() == 1


def test_rate_limit_per_person():
    roadmap = RoadmapFactory()
    citizen = PersonFactory()
    for i in range(services.RATE_LIMIT):
        services.proposal_submit(
            roadmap=roadmap, author=citizen, title=f"Idee {i}", text="Text", sector="mobility", netiquette=True
        )
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_submit(
            roadmap=roadmap, author=citizen, title="Noch eine", text="Text", sector="mobility", netiquette=True
        )
    assert excinfo.value.code == "rate_limited"
    services.proposal_submit(
        roadmap=roadmap, author=PersonFactory(), title="Andere", text="Text", sector="mobility", netiquette=True
    )


def test_proposal_becomes_a_measure_that_keeps_its_origin():
    proposal = ProposalFactory(status=Moderation.PUBLISHED)
    measure = services.proposal_to_measure(proposal=proposal, code="B-7", by=None)
    assert measure.origin == Measure.Origin.PROPOSAL and measure.origin_proposal == proposal
    assert measure.title == proposal.title and not measure.published
    with pytest.raises(ValidationError):
        services.proposal_to_measure(proposal=ProposalFactory(), code="B-8", by=None)


def test_slug_keeps_umlauts_readable():
    measure = services.measure_save(
        measure=Measure(
            roadmap=RoadmapFactory(), code="GW-1", title="Kommunale Wärmeplanung für Düren", sector="buildings_heat"
        )
    )
    assert measure.slug == "gw-1-kommunale-waermeplanung-fuer-dueren"


def test_comments_only_on_published_measures():
    draft = MeasureFactory(published=False)
    with pytest.raises(ValidationError):
        services.comment_submit(measure=draft, author=PersonFactory(), text="Frage")
    assert not draft.comments.exists()


def test_code_and_address_are_unique_within_the_roadmap_in_one_query(django_assert_max_num_queries):
    roadmap = RoadmapFactory()
    services.measure_save(measure=Measure(roadmap=roadmap, code="M-1", title="Balkon-PV", sector="households"))
    with pytest.raises(ValidationError) as excinfo:
        services.measure_save(measure=Measure(roadmap=roadmap, code="M-1", title="Anders", sector="households"))
    assert "code" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.measure_save(
            measure=Measure(roadmap=roadmap, code="M-2", slug="m-1-balkon-pv", title="X", sector="households")
        )
    assert "slug" in excinfo.value.message_dict
    assert Measure.objects.count() == 1
    services.measure_save(measure=Measure(roadmap=RoadmapFactory(), code="M-1", title="Anderswo", sector="mobility"))
    # slug, FK check, uniqueness, insert, history, partners, late (2), savepoints: no query per check constraint;
    # + issue 18: the organisation's webhook endpoints (networks.webhooks.emit: one query while none listens)
    with django_assert_max_num_queries(13):
        services.measure_save(measure=Measure(roadmap=roadmap, code="M-3", title="Lastenrad", sector="mobility"))
