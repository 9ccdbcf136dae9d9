"""The monitoring panels on other apps' pages: who sees what, and a flat query count on the roadmap page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import IndicatorValue, Report
from tests.helpers import assert_flat, de
from tests.measures.factories import RoadmapFactory
from tests.monitoring.factories import (
    EmissionBalanceFactory,
    EmissionPathFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.first().organisation
    return RoadmapFactory(organisation=organisation, slug="klima-roadmap-musterkreis")


def _page(client, roadmap):
    return client.get(reverse("measures:roadmap", args=[roadmap.slug]))


def _indicator(roadmap, **kwargs):
    indicator = IndicatorFactory(roadmap=roadmap, organisation=roadmap.organisation, **kwargs)
    for year, value in ((2022, "10.5"), (2023, "12"), (2024, "1234.5")):
        IndicatorValueFactory(indicator=indicator, year=year, value=Decimal(value))
    IndicatorValueFactory(indicator=indicator, year=2030, value=Decimal("40"), kind=IndicatorValue.Kind.TARGET)
    return indicator


def _report(roadmap, *, published=True, **kwargs):
    report = ReportFactory(roadmap=roadmap, status=Report.Status.DONE, published=published, **kwargs)
    report.pdf_file.name = f"reports/{report.pk}/bericht.pdf"
    report.xlsx_file.name = f"reports/{report.pk}/bericht.xlsx"
    report.save(update_fields=["pdf_file", "xlsx_file"])
    return report


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "member", "editor"])
def test_public_roadmap_shows_public_indicators_with_charts(client, personas, roadmap, persona):
    shown = _indicator(roadmap, name="Installierte PV-Leistung")
    hidden = _indicator(roadmap, name="Interner Zähler", public=False)
    elsewhere = _indicator(RoadmapFactory(), name="Fremder Indikator")
    personas.login(client, persona)

    html = _page(client, roadmap).content.decode()

    assert f'id="chart-indicator-{shown.pk}"' in html and "Installierte PV-Leistung" in html
    assert f"chart-indicator-{hidden.pk}" not in html and "Interner Zähler" not in html
    assert f"chart-indicator-{elsewhere.pk}" not in html
    assert "1.234,5" in html  # German numbers in the table
    assert html.count("vendor/chartjs/chart.umd.min.js") == 1


def test_beyond_eight_indicators_the_rest_are_a_table_not_charts(client, roadmap):
    from monitoring.panels import CHARTED_INDICATORS

    indicators = [_indicator(roadmap, name=f"Indikator {n:02d}", order=n) for n in range(CHARTED_INDICATORS + 2)]
    html = _page(client, roadmap).content.decode()
    charted, tabled = indicators[:CHARTED_INDICATORS], indicators[CHARTED_INDICATORS:]
    assert all(f'id="chart-indicator-{i.pk}"' in html for i in charted)
    assert not any(f"chart-indicator-{i.pk}" in html for i in tabled)
    table = html[html.index('class="more-indicators"') :]
    assert "Indikator 08" in table and "Indikator 09" in table and "1.234,5" in table


def test_unpublished_roadmap_shows_no_indicators_even_to_its_editors(client, personas, roadmap):
    roadmap.published = False
    roadmap.save(update_fields=["published"])
    indicator = _indicator(roadmap)
    _report(roadmap)

    assert _page(client, roadmap).status_code == 404
    personas.login(client, "editor")
    html = _page(client, roadmap).content.decode()
    assert f"chart-indicator-{indicator.pk}" not in html  # not public until the roadmap is
    assert "bericht.pdf" not in html and "Monitoringbericht 2025" not in html


def test_reports_section_lists_published_reports_only(client, personas, roadmap):
    with translation.override("de"):
        empty = _page(client, roadmap).content.decode()
    assert 'id="reports"' in empty and de("No monitoring report has been published yet.") in empty

    published = _report(roadmap, title="Monitoringbericht 2025")
    _report(roadmap, title="Entwurf 2026", published=False)
    ReportFactory(roadmap=roadmap, title="Läuft noch", status=Report.Status.RUNNING)
    _report(RoadmapFactory(), title="Bericht einer anderen Roadmap")

    html = _page(client, roadmap).content.decode()
    assert "Monitoringbericht 2025" in html
    assert "Entwurf 2026" not in html and "Läuft noch" not in html and "anderen Roadmap" not in html
    assert reverse("monitoring:report", args=[published.pk]) in html
    assert reverse("monitoring:report-download", args=[published.pk, "pdf"]) in html
    assert reverse("monitoring:report-download", args=[published.pk, "xlsx"]) in html
    assert reverse("monitoring:report-download", args=[published.pk, "csv"]) not in html  # no such file
    assert de("No monitoring report has been published yet.") not in html


def test_emissions_against_the_path_only_with_a_balance(client, roadmap):
    assert 'id="emissions"' not in _page(client, roadmap).content.decode()
    EmissionBalanceFactory(organisation=roadmap.organisation, year=2022, emissions=Decimal("1500"))
    EmissionPathFactory(
        organisation=roadmap.organisation, baseline_year=2020, baseline_emissions=2000, target_year=2040
    )

    html = _page(client, roadmap).content.decode()

    assert 'id="emissions"' in html and f'id="chart-emissions-{roadmap.pk}"' in html
    assert "1.500" in html  # the latest total, German


def test_roadmap_page_query_count_is_flat(client, roadmap, django_assert_num_queries):
    EmissionBalanceFactory(organisation=roadmap.organisation)
    EmissionPathFactory(organisation=roadmap.organisation)
    url = reverse("measures:roadmap", args=[roadmap.slug])
    client.get(url)  # warm caches (content types, sessions)

    def grow(n):
        for _ in range(n):
            _indicator(roadmap)
            _report(roadmap)

    # 6 of the roadmap page itself + 6 of the panel: indicators, their values, balances, path, path points, reports;
    # + issue 16: the measures' effects (gap to the target: the balances and path are read once for both panels),
    # the network the organisation hosts, its next public events, participation phases
    assert_flat(client, url, grow, django_assert_num_queries, 16)


@pytest.mark.parametrize(("persona", "status"), [("editor", 200), ("member", 403), ("staff", 200)])
def test_editor_dashboard_links_to_monitoring(client, personas, roadmap, persona, status):
    today = timezone.localdate()
    IndicatorFactory(roadmap=roadmap, organisation=roadmap.organisation, next_due=today - timedelta(days=1))
    personas.login(client, persona)

    response = client.get(reverse("measures:editor-dashboard", args=[roadmap.slug]))

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        organisation = roadmap.organisation.slug
        assert reverse("monitoring:values-entry", args=[organisation]) in html
        assert reverse("monitoring:organisation", args=[organisation]) in html
        assert f"{reverse('monitoring:report-create')}?roadmap={roadmap.slug}" in html
        assert reverse("monitoring:report-schedule", args=[roadmap.slug]) in html
        assert 'id="monitoring-heading"' in html


@pytest.mark.parametrize(("persona", "health"), [("member", False), ("coordinator", True), ("staff", True)])
def test_network_space_links_the_board_and_health_for_coordinators(client, personas, persona, health):
    personas.login(client, persona)
    html = client.get(reverse("networks:network-space", args=[personas.network.slug])).content.decode()
    assert reverse("monitoring:board", args=[personas.network.slug]) in html
    assert (reverse("monitoring:health", args=[personas.network.slug]) in html) is health


@pytest.mark.parametrize(
    ("persona", "board_public", "link"),
    [
        ("anonymous", False, False),
        ("other_network", False, False),
        ("member", False, True),
        ("anonymous", True, True),
        ("citizen", True, True),
    ],
)
def test_network_profile_links_the_board_only_when_it_may_be_seen(client, personas, persona, board_public, link):
    network = personas.network
    network.board_public = board_public
    network.save(update_fields=["board_public"])
    personas.login(client, persona)
    html = client.get(reverse("networks:network-detail", args=[network.slug])).content.decode()
    assert (reverse("monitoring:board", args=[network.slug]) in html) is link


def test_dashboard_lists_indicators_due_for_me(client, personas, roadmap):
    today = timezone.localdate()
    editor = personas.people["editor"]
    overdue = IndicatorFactory(
        roadmap=roadmap, organisation=roadmap.organisation, name="Ladepunkte", next_due=today - timedelta(days=3)
    )
    IndicatorFactory(
        roadmap=roadmap, organisation=roadmap.organisation, name="Später fällig", next_due=today + timedelta(days=60)
    )
    mine = IndicatorFactory(
        name="Mir zugeordnet", responsible=personas.people["member"], next_due=today + timedelta(days=20)
    )

    personas.login(client, "editor")
    html = client.get(reverse("networks:dashboard")).content.decode()
    assert "Ladepunkte" in html and "Später fällig" not in html and "Mir zugeordnet" not in html
    assert reverse("monitoring:values-entry", args=[overdue.organisation.slug]) in html
    assert editor.organisation_roles.exists()

    client.logout()
    personas.login(client, "member")
    html = client.get(reverse("networks:dashboard")).content.decode()
    assert "Mir zugeordnet" in html and "Ladepunkte" not in html
    assert reverse("monitoring:values-entry", args=[mine.organisation.slug]) not in html  # not an editor there

    client.logout()
    personas.login(client, "citizen")
    assert 'id="indicators-due-heading"' not in client.get(reverse("networks:dashboard")).content.decode()
