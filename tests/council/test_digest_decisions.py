"""The council's digest section, and how decisions read ("Beschlossen am 12.03.2025 im Kreistag")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from measures.council import decisions, digest
from measures.council.models import CouncilConsultation
from networks.digest import sections
from tests.council.factories import ConsultationFactory, EndpointFactory, LinkFactory, PaperFactory
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import MembershipFactory


def _request(person, network, since, until) -> sections.Request:
    return sections.Request(person=person, networks=(network,), since=since, until=until)


@pytest.mark.django_db
def test_a_new_consultation_of_a_linked_paper_is_in_one_digest(personas):
    now = timezone.now()
    network, person = personas.network, personas.people["member"]
    endpoint = EndpointFactory()
    MembershipFactory(network=network, organisation=endpoint.organisation, since=date(2020, 1, 1))
    measure = MeasureFactory(roadmap=RoadmapFactory(organisation=endpoint.organisation), code="KS-1", title="Konzept")
    paper = PaperFactory(endpoint=endpoint, reference="2025/123")
    old = ConsultationFactory(paper=paper)  # read before the link: not news
    CouncilConsultation.objects.filter(pk=old.pk).update(first_seen_at=now - timedelta(hours=2))
    LinkFactory(measure=measure, paper=paper)
    ConsultationFactory(paper=paper, result="", meeting_date=timezone.localdate() + timedelta(days=7))
    hidden = MeasureFactory(roadmap=measure.roadmap, published=False)
    LinkFactory(measure=hidden, paper=paper)  # an unpublished measure never goes into a digest
    unlinked = ConsultationFactory(paper=PaperFactory(endpoint=endpoint))
    window = _request(person, network, now - timedelta(days=1), now + timedelta(minutes=1))
    items = digest.consultation_items([window])[person.pk]
    assert [item.title for item in items] == ["KS-1 Konzept"]
    assert items[0].url == measure.get_absolute_url() and unlinked.paper.reference not in items[0].summary
    with translation.override("de"):
        text = digest.consultation_items([window])[person.pk][0].summary
    assert text.startswith("Drucksache 2025/123: Auf der Tagesordnung am ") and text.endswith(" im Kreistag")
    later = _request(person, network, now + timedelta(minutes=1), now + timedelta(days=1))
    assert digest.consultation_items([later]) == {}
    outsider = personas.people["other_network"]
    assert digest.consultation_items([_request(outsider, personas.other, window.since, window.until)]) == {}
    assert sections.get("council-consultations") is not None


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("Beschlossen", "adopted"),
        ("Geändert beschlossen", "adopted"),
        ("einstimmig zugestimmt", "adopted"),
        ("Abgelehnt", "rejected"),
        ("nicht beschlossen", "rejected"),
        ("vertagt", "deferred"),
        ("Zur Kenntnis genommen", "noted"),
        ("Verwiesen in den Umweltausschuss", "other"),
        ("", "pending"),
    ],
)
def test_outcomes(result, expected):
    assert decisions.outcome(result) == expected


@pytest.mark.parametrize(
    ("committee", "german"),
    [
        ("Kreistag", "im Kreistag"),
        ("Haupt- und Finanzausschuss", "im Haupt- und Finanzausschuss"),
        ("Bezirksvertretung Innenstadt", "in der Bezirksvertretung Innenstadt"),
        ("Stadtverordnetenversammlung", "in der Stadtverordnetenversammlung"),
        ("Rat der Stadt Düren", "im Rat der Stadt Düren"),
    ],
)
def test_in_committee(committee, german):
    with translation.override("de"):
        assert decisions.in_committee(committee) == german


@pytest.mark.django_db
def test_a_papers_decision_is_its_latest_with_a_result_authoritative_first():
    paper = PaperFactory()
    early = ConsultationFactory(paper=paper, meeting_date=date(2025, 1, 10), result="Zugestimmt", authoritative=False)
    final = ConsultationFactory(paper=paper, meeting_date=date(2025, 3, 12), result="Beschlossen")
    ConsultationFactory(paper=paper, meeting_date=date(2025, 4, 1), result="", authoritative=False)
    assert decisions.deciding(paper, [early, final]) == final
    assert decisions.deciding(paper, list(paper.consultations.all())) == final
    with translation.override("de"):
        assert decisions.consultation_text(final) == "Beschlossen am 12.03.2025 im Kreistag"
        pending = ConsultationFactory(
            paper=paper, meeting_date=date(2025, 4, 1), result="", organization_name="", meeting_name=""
        )
        assert decisions.consultation_text(pending, today=date(2025, 5, 1)) == "Beraten am 01.04.2025 im Rat"
        assert decisions.consultation_text(pending, today=date(2025, 3, 1)).startswith("Auf der Tagesordnung")
        other = ConsultationFactory(paper=paper, result="Verwiesen", organization_name="Umweltausschuss")
        assert decisions.consultation_text(other) == "Verwiesen am 12.03.2025 im Umweltausschuss"
