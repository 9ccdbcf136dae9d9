"""The comparison page, the opt-in and the key data through the client."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from monitoring.comparison.figures import static_figures
from monitoring.comparison.models import Audience, FigureValue
from tests.comparison.factories import derive, municipality
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import MembershipFactory, NetworkFactory, OrganisationFactory, OrganisationRoleFactory

pytestmark = pytest.mark.django_db


def page(client, organisation, query=""):
    return client.get(reverse("comparison:comparison", args=[organisation.slug]) + query)


def test_the_page_places_the_figure_among_its_size_class(client):
    subject = municipality(70_000, slug="troisdorf", name="Stadt Troisdorf", ags="05382068")
    peers = [municipality(100_000 + 20_000 * i) for i in range(6)]
    derive(subject, *peers)
    response = page(client, subject)
    assert response.status_code == 200
    row = next(r for r in response.context["page"].rows if r.figure.key == "ghg-total")
    assert row.statistic.n == 7
    assert row.value == pytest.approx(1.0)
    assert row.quarter == 1  # the lowest emissions per inhabitant of the group
    assert "im besten Viertel" in response.content.decode() or "best quarter" in response.content.decode()


def test_the_picker_chooses_the_group_and_ignores_unknown_values(client):
    network = NetworkFactory(slug="nkk")
    subject = municipality(70_000)
    MembershipFactory(network=network, organisation=subject)
    derive(subject)
    response = page(client, subject, "?gruppe=network-nkk")
    assert response.context["page"].group.choice == "network-nkk"
    response = page(client, subject, "?gruppe=nonsense")
    assert response.status_code == 200
    assert response.context["filter_notes"]
    assert response.context["page"].group.choice == "size"


def test_a_group_of_four_shows_no_statistics_and_says_why(client):
    network = NetworkFactory(slug="nkk")
    towns = [municipality(70_000 + 10_000 * i) for i in range(4)]
    for town in towns:
        MembershipFactory(network=network, organisation=town)
    derive(*towns)
    response = page(client, towns[0], "?gruppe=network-nkk")
    html = response.content.decode()
    assert not response.context["page"].any_statistic
    assert 'id="comparison-no-statistics"' in html
    assert response.context["position_chart"].is_empty


def test_a_company_has_no_comparison(client):
    company = OrganisationFactory(kind="company")
    assert page(client, company).status_code == 404


def test_an_unpublished_figure_is_not_shown_to_the_public_but_to_the_editor(client):
    subject = municipality(70_000, audience=None)
    derive(subject)
    response = page(client, subject)
    assert all(row.value is None and row.hidden for row in response.context["page"].rows)
    assert 'id="comparison-not-published"' in response.content.decode()
    editor = OrganisationRoleFactory(organisation=subject).person.user
    client.force_login(editor)
    response = page(client, subject)
    assert response.context["page"].can_edit
    assert next(r for r in response.context["page"].rows if r.figure.key == "ghg-total").value == pytest.approx(1.0)


def test_who_did_better_links_their_public_measures_of_the_sector(client):
    subject = municipality(700_000)  # 10 t per inhabitant: everyone did better
    peers = [municipality(70_000 * (i + 1)) for i in range(5)]
    roadmap = RoadmapFactory(organisation=peers[0], published=True)
    heat = MeasureFactory(roadmap=roadmap, sector="buildings_heat", published=True, title="Heizungstausch")
    hidden = MeasureFactory(roadmap=roadmap, sector="buildings_heat", published=False, title="Intern")
    MeasureFactory(roadmap=roadmap, sector="mobility", published=True, title="Radwege")
    derive(subject, *peers)
    response = page(client, subject)
    rows = {row.figure.key: row for row in response.context["page"].better_rows}
    households = rows["ghg-households"]
    best = households.better[0]
    assert best.organisation == peers[0]
    assert [m.title for m in best.measures] == [heat.title]
    assert hidden.title not in response.content.decode()
    assert len(households.better) == 3


def test_who_did_better_links_the_library_entries_they_adopted(client):
    from tests.catalogue.factories import AdoptionFactory, LibraryEntryFactory

    subject = municipality(700_000)
    peers = [municipality(70_000 * (i + 1)) for i in range(5)]
    entry = LibraryEntryFactory(title="Energiesparmodelle an Schulen")
    AdoptionFactory(entry=entry, measure=MeasureFactory(roadmap=RoadmapFactory(organisation=peers[0], published=True)))
    derive(subject, *peers)
    response = page(client, subject)
    best = response.context["page"].better_rows[0].better[0]
    assert best.organisation == peers[0]
    assert best.entries == [entry]
    assert entry.get_absolute_url() in response.content.decode()


def test_comparison_page_queries_are_flat(client, django_assert_num_queries):
    """organisation, its networks, its figures, its indicators, the counts by year and the values of the group (one
    query each on a cache miss), the better organisations, their measures, the library entries they adopted
    (with entries: one more, the adoptions)."""
    subject = municipality(700_000)
    derive(subject, *[municipality(70_000 * (i + 1)) for i in range(5)])
    cache.clear()
    with django_assert_num_queries(QUERIES):
        page(client, subject)
    derive(*[municipality(70_000 + 1_000 * i) for i in range(40)])  # all did better than the subject
    cache.clear()
    with django_assert_num_queries(QUERIES):
        page(client, subject)


QUERIES = 9


def test_member_page_comes_from_the_cache_and_follows_roles_at_once(client, django_assert_num_queries):
    """A signed-in viewer's page: the organisation, the viewer's networks and the organisations they edit are read
    from the cache too (a hit runs no query); a new editor role shows the editor's links on the next request."""
    subject = municipality(700_000)
    derive(subject, *[municipality(70_000 * (i + 1)) for i in range(5)])
    person = OrganisationRoleFactory().person  # edits another organisation
    client.force_login(person.user)
    assert page(client, subject).context is not None
    with django_assert_num_queries(0):
        response = page(client, subject)
    assert response.status_code == 200 and response.context is None
    consent = reverse("comparison:consent", args=[subject.slug])
    assert consent not in response.content.decode()
    OrganisationRoleFactory(person=person, organisation=subject)  # now an editor of the compared organisation
    response = page(client, subject)
    assert response.context is not None and response.context["page"].can_edit
    assert consent in response.content.decode()
    old = subject.slug
    subject.slug = "umbenannt"
    subject.save()  # the old address is gone at once
    assert client.get(reverse("comparison:comparison", args=[old])).status_code == 404
    assert client.get(reverse("comparison:comparison", args=["umbenannt"])).status_code == 200


def test_the_editor_opts_in_per_figure(client):
    subject = municipality(70_000, audience=None)
    editor = OrganisationRoleFactory(organisation=subject).person.user
    client.force_login(editor)
    url = reverse("comparison:consent", args=[subject.slug])
    response = client.get(url)
    assert response.status_code == 200
    data = {"audience": Audience.PUBLIC, "figure-ghg-total": Audience.PUBLIC, "figure-ghg-households": Audience.MEMBERS}
    response = client.post(url, data)
    assert response.status_code == 302
    subject.comparison_consent.refresh_from_db()
    assert subject.comparison_consent.audience == Audience.PUBLIC
    saved = dict(subject.figure_consents.values_list("figure", "audience"))
    assert saved["ghg-total"] == Audience.PUBLIC
    assert saved["ghg-households"] == Audience.MEMBERS
    assert client.post(url, {"audience": "7"}).status_code == 400


def test_key_data_with_a_wrong_ags_keeps_what_was_typed(client):
    subject = municipality(70_000, ags="05382068")
    client.force_login(OrganisationRoleFactory(organisation=subject).person.user)
    url = reverse("comparison:key-data", args=[subject.slug])
    response = client.post(url, {"ags": "5382068", "population": "77123", "area": "62.19"})
    assert response.status_code == 400
    assert "ags" in response.context["form"].errors
    assert 'value="77123"' in response.content.decode()
    response = client.post(url, {"ags": "99382068", "population": "77123", "area": "62.19"})
    assert response.status_code == 400
    response = client.post(url, {"ags": "07336000", "population": "77123", "area": "62.19"})
    assert response.status_code == 302
    subject.refresh_from_db()
    assert (subject.ags, subject.state, subject.population, str(subject.area)) == ("07336000", "RP", 77123, "62.19")


def test_saving_monitoring_data_refreshes_the_figures_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subject = municipality(70_000)
        subject.emission_balances.create(year=2023, sector="transport", emissions=35_000)
    assert FigureValue.objects.get(organisation=subject, figure="ghg-total", year=2023).value == pytest.approx(0.5)


def test_consent_page_queries_are_flat(client, django_assert_num_queries):
    """organisation, the editor check, its indicators with a comparison key, their measures, the figure consents,
    the organisation consent (the account is remembered: networks.backends); more indicators add fields only."""
    from tests.monitoring.factories import IndicatorFactory

    subject = municipality(70_000, audience=None)
    client.force_login(OrganisationRoleFactory(organisation=subject).person.user)
    url = reverse("comparison:consent", args=[subject.slug])
    IndicatorFactory(organisation=subject, roadmap=None, scope="organisation", code="pv-leistung")
    client.get(url)  # the session's first read
    with django_assert_num_queries(CONSENT_QUERIES):
        assert client.get(url).status_code == 200
    for code in ("ladepunkte", "energieberatungen", "radwege"):
        IndicatorFactory(organisation=subject, roadmap=None, scope="organisation", code=code)
    with django_assert_num_queries(CONSENT_QUERIES):
        response = client.get(url)
    assert len(response.context["form"].figures) == len(static_figures()) + 4


CONSENT_QUERIES = 6


def test_the_page_is_served_from_the_cache_until_the_figures_change(client):
    subject = municipality(70_000)
    peers = [municipality(140_000 + i) for i in range(5)]
    derive(subject, *peers)
    assert page(client, subject)["X-Page-Cache"] == "miss"
    assert page(client, subject)["X-Page-Cache"] != "miss"
    peers[0].emission_balances.update(emissions=7_000_000)
    derive(peers[0])
    response = page(client, subject)
    assert response["X-Page-Cache"] == "miss"
    assert 100.0 in [value for _pk, value in response.context["page"].rows[0].statistic.best]  # the new figure
