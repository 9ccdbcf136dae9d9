"""The council link's pages: the behaviour behind each permission (the persona × URL table is in
tests/security/rooms/council.py), against the local OParl server; the decision on the public measure page (the
issue's "Done when"), the new consultation on the editor page, flat query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from measures.council.models import CouncilEndpoint, CouncilLink, CouncilPaper
from measures.council.sync import endpoint_sync
from tests.council.factories import ConsultationFactory, EndpointFactory, LinkFactory, PaperFactory, SystemFactory
from tests.council.server import DUEREN_AGS
from tests.helpers import assert_flat, de, messages_of
from tests.measures.factories import MeasureFactory, MilestoneFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    organisation.ags = DUEREN_AGS
    organisation.save(update_fields=["ags"])
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren-test")
    return MeasureFactory(roadmap=roadmap, code="KS-1", slug="ks-1", title="Klimaschutzkonzept umsetzen")


def _endpoint_url(measure) -> str:
    return reverse("council:endpoint", args=[measure.roadmap.slug])


def _papers_url(measure, query: str = "") -> str:
    url = reverse("council:measure-papers", args=[measure.roadmap.slug, measure.pk])
    return f"{url}?q={query}" if query else url


@pytest.fixture
def connected(oparl, measure, client, personas, django_capture_on_commit_callbacks):
    """The editor connected the local OParl server; its first reading ran after the save."""
    personas.login(client, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_endpoint_url(measure), {"system_url": oparl.system_url})
    assert response.status_code == 302
    return CouncilEndpoint.objects.get(organisation=measure.roadmap.organisation)


def test_the_editor_connects_the_system_and_it_is_read(connected, client, measure):
    assert connected.last_success_at is not None and connected.body_name == "Kreis Düren"
    assert CouncilPaper.objects.filter(endpoint=connected).count() == 25
    page = client.get(_endpoint_url(measure))
    assert page.status_code == 200 and page.context["error"] == ""
    assert "Kreis Düren" in page.content.decode()


def test_a_system_from_the_operators_list(oparl, measure, client, personas, django_capture_on_commit_callbacks):
    system = SystemFactory(name="Ratsinfo Test", system_url=oparl.system_url)
    personas.login(client, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_endpoint_url(measure), {"system": system.pk}).status_code == 302
    endpoint = CouncilEndpoint.objects.get(organisation=measure.roadmap.organisation)
    assert (endpoint.system, endpoint.system_url, endpoint.last_error) == (system, oparl.system_url, "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Please pick a system from the list or enter its OParl address."),
        ({"system_url": "kein link"}, "Enter a valid URL."),
        (
            {"system_url": "https://127.0.0.1/oparl"},
            ("The address %(ip)s is this machine itself (loopback).", "127.0.0.1"),
        ),
        ({"system_url": "http://ratsinfo.example.de/oparl"}, "Only addresses starting with https:// are allowed."),
    ],
)
def test_a_bad_address_is_a_form_error_and_nothing_is_saved(client, personas, measure, data, message):
    personas.login(client, "editor")
    response = client.post(_endpoint_url(measure), data)
    assert response.status_code == 400
    errors = [e for field in response.context["form"].errors.values() for e in field]
    expected = de(message[0], ip=message[1]) if isinstance(message, tuple) else de(message)
    assert expected in errors
    assert not CouncilEndpoint.objects.exists()


def test_a_failed_reading_shows_its_message(oparl, measure, client, personas, django_capture_on_commit_callbacks):
    oparl.world.faults["/body/0/papers/"] = "500"
    personas.login(client, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_endpoint_url(measure), {"system_url": oparl.system_url})
    page = client.get(_endpoint_url(measure))
    assert page.status_code == 200
    assert "hat mit einem Fehler geantwortet (HTTP 500" in page.context["error"]
    editor_dashboard = client.get(reverse("measures:editor-dashboard", args=[measure.roadmap.slug]))
    assert page.context["error"] in editor_dashboard.content.decode()  # the roadmap editors' panel says it too


def test_read_now_queues_a_reading(connected, oparl, client, measure, django_capture_on_commit_callbacks):
    oparl.world.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("council:endpoint-sync", args=[measure.roadmap.slug]))
    assert response.status_code == 302 and oparl.world.requests


def test_search_by_reference_and_by_title(connected, client, measure):
    page = client.get(_papers_url(measure, "2025/123"))
    assert [p.reference for p in page.context["papers"]] == ["2025/123"]
    page = client.get(_papers_url(measure, "photovoltaik schulen"))
    assert len(page.context["papers"]) == 24
    page = client.get(_papers_url(measure, "gibt es nicht"))
    assert page.context["papers"] == [] and "Keine Drucksache zu" in page.content.decode()


def test_linking_a_paper_shows_the_decision_on_the_public_page(connected, client, measure):
    """Issue 18, "Done when": a measure linked to an OParl paper shows the decision date on its public page."""
    paper = CouncilPaper.objects.get(reference="2025/123")
    response = client.post(_papers_url(measure), {"paper": paper.pk, "q": "2025/123"})
    assert response.status_code == 302 and response.url.endswith("?q=2025%2F123")
    assert messages_of(response)[-1] == de("Linked. The public page of the measure shows it.")
    client.logout()
    with translation.override("de"):
        page = client.get(measure.get_absolute_url())
    text = " ".join(page.content.decode().split())
    assert "Beschlossen am 12.03.2025 im Kreistag, " in text
    assert f'<a href="{paper.web_url}" rel="noopener">Drucksache 2025/123</a>' in text
    english = client.get("/en" + measure.get_absolute_url())
    assert "Adopted on 12 Mar 2025 in the Kreistag, " in " ".join(english.content.decode().split())


def test_linking_a_decision_to_a_milestone(connected, client, measure):
    milestone = MilestoneFactory(measure=measure, title="Konzept beschlossen")
    consultation = CouncilPaper.objects.get(reference="2025/123").consultations.get()
    data = {"paper": consultation.paper_id, "consultation": consultation.pk, "milestone": milestone.pk}
    assert client.post(_papers_url(measure), data).status_code == 302
    assert client.post(_papers_url(measure), data).status_code == 302  # twice is once
    link = CouncilLink.objects.get()
    assert (link.consultation, link.milestone) == (consultation, milestone)
    page = client.get(measure.get_absolute_url())
    assert "(Meilenstein: Konzept beschlossen)" in " ".join(page.content.decode().split())


def test_another_organisations_paper_or_decision_cannot_be_linked(connected, client, measure):
    foreign = ConsultationFactory()
    own = CouncilPaper.objects.get(reference="2025/123")
    assert client.post(_papers_url(measure), {"paper": foreign.paper_id}).status_code == 400
    response = client.post(_papers_url(measure), {"paper": own.pk, "consultation": foreign.pk})
    assert response.status_code == 400 and not CouncilLink.objects.exists()
    other_measure = MeasureFactory(roadmap=measure.roadmap)
    milestone = MilestoneFactory(measure=other_measure)
    assert client.post(_papers_url(measure), {"paper": own.pk, "milestone": milestone.pk}).status_code == 400
    assert not CouncilLink.objects.exists()


def test_unlink(connected, client, measure):
    link = LinkFactory(measure=measure, paper=CouncilPaper.objects.get(reference="2025/123"))
    response = client.post(reverse("council:link-delete", args=[measure.roadmap.slug, measure.pk, link.pk]))
    assert response.status_code == 302 and not CouncilLink.objects.exists()
    client.logout()
    assert 'id="council"' not in client.get(measure.get_absolute_url()).content.decode()


def test_a_new_consultation_of_a_linked_paper_appears_on_the_editor_page(connected, oparl, client, measure):
    LinkFactory(measure=measure, paper=CouncilPaper.objects.get(reference="2025/123"))
    edit = reverse("measures:measure-edit", args=[measure.roadmap.slug, measure.pk])
    assert 'class="council-news"' not in client.get(edit).content.decode()
    oparl.world.add_consultation(0, role="Vorberatung")
    CouncilEndpoint.objects.filter(pk=connected.pk).update(synced_since=None)
    endpoint_sync(endpoint_id=connected.pk)
    page = client.get(edit)
    panel = next(p for p in page.context["panels"] if p["key"] == "council")
    assert [(c.role, c.result) for _link, c in panel["news"]] == [("Vorberatung", "Geändert beschlossen")]
    assert "Neu im Rat, seit Sie die Drucksache verknüpft haben:" in page.content.decode()


def test_paper_search_queries_are_flat(client, personas, measure, django_assert_num_queries):
    endpoint = EndpointFactory(organisation=measure.roadmap.organisation)
    personas.login(client, "editor")

    def grow(n):
        for _ in range(n):
            ConsultationFactory(paper=PaperFactory(endpoint=endpoint, name="Klimaschutz Vorlage"))

    # roadmap, may edit (the role), measure, endpoint, links (+ their consultations: none), papers, their
    # consultations, milestones (session and user come from the cache)
    assert_flat(client, _papers_url(measure, "Klimaschutz"), grow, django_assert_num_queries, 8)


def test_public_measure_page_queries_are_flat(client, measure, django_assert_num_queries):
    endpoint = EndpointFactory(organisation=measure.roadmap.organisation)
    baseline = _public_queries(client, measure)
    LinkFactory(measure=measure, paper=ConsultationFactory(paper__endpoint=endpoint).paper)

    def grow(n):
        for _ in range(n):
            LinkFactory(measure=measure, paper=ConsultationFactory(paper__endpoint=endpoint).paper)

    # the page's own queries, and the council panel's two: the links (papers, decisions, milestones) and the
    # papers' consultations
    assert_flat(client, measure.get_absolute_url(), grow, django_assert_num_queries, baseline + 1)


def _public_queries(client, measure) -> int:
    """The page's queries without any link (the panel's one query finds none)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks import cache

    cache.bump(*cache.of_roadmap(measure.roadmap.slug))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(measure.get_absolute_url()).status_code == 200
    return len(queries)
