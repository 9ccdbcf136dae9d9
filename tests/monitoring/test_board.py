"""The network board: heat planning, target years and the comparison of the member municipalities."""

import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from monitoring.comparison.models import Audience
from monitoring.models import Stage
from networks.models import Organisation
from tests.comparison.factories import consent
from tests.helpers import de
from tests.measures.factories import RoadmapFactory
from tests.monitoring.factories import (
    ClimateStrategyFactory,
    EmissionBalanceFactory,
    HeatPlanningFactory,
    HeatPlanningStepFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.networks.factories import MembershipFactory, OrganisationFactory


def board_url(network):
    return reverse("monitoring:board", args=[network.slug])


def municipality(network, **org):
    org.setdefault("kind", Organisation.Kind.CITY)
    organisation = OrganisationFactory(**org)
    MembershipFactory(network=network, organisation=organisation, since=date(2020, 1, 1))
    return organisation


MEMBERS_ONLY = {
    "anonymous": 403,
    "citizen": 403,
    "other_network": 403,
    "member": 200,
    "coordinator": 200,
    "editor": 403,
    "staff": 200,
}
PRIVATE = {**MEMBERS_ONLY, "anonymous": 404, "citizen": 404, "other_network": 404, "editor": 404}


@pytest.mark.parametrize(("persona", "status"), MEMBERS_ONLY.items())
def test_board_members_only(client, personas, persona, status):
    personas.login(client, persona)
    assert client.get(board_url(personas.network)).status_code == status


@pytest.mark.parametrize("persona", MEMBERS_ONLY)
def test_board_public(client, personas, persona):
    personas.network.board_public = True
    personas.network.save(update_fields=["board_public"])
    personas.login(client, persona)
    assert client.get(board_url(personas.network)).status_code == 200


@pytest.mark.parametrize("board_public", [False, True])
@pytest.mark.parametrize(("persona", "status"), PRIVATE.items())
def test_board_of_a_private_network(client, personas, persona, status, board_public):
    """A public board of a private network stays hidden from those who may not know the network."""
    personas.network.is_public = False
    personas.network.board_public = board_public
    personas.network.save(update_fields=["is_public", "board_public"])
    personas.login(client, persona)
    assert client.get(board_url(personas.network)).status_code == status


def test_board_unknown_network_is_404(client, personas):
    personas.login(client, "staff")
    assert client.get(reverse("monitoring:board", args=["gibt-es-nicht"])).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_board_is_read_only(client, personas, method):
    personas.login(client, "member")
    assert getattr(client, method)(board_url(personas.network)).status_code == 405


def test_board_shows_the_municipalities_side_by_side(client, personas):
    network = personas.network
    koeln = municipality(network, name="Stadt Köln", population=1_080_000)
    planning = HeatPlanningFactory(
        organisation=koeln, stage=Stage.POTENTIAL, office="Wärmebüro Rheinland", is_demo=True
    )
    planning.convoy.add(OrganisationFactory(name="Stadt Frechen", short_name="Frechen"))
    HeatPlanningStepFactory(planning=planning, stage=Stage.POTENTIAL, reached_on=date(2025, 2, 3))
    ClimateStrategyFactory(organisation=koeln, neutrality_year=2035)
    huerth = municipality(network, name="Stadt Hürth", population=60_000)
    HeatPlanningFactory(organisation=huerth, stage=Stage.FINISHED, council_decision_on=date(2025, 11, 20))
    ClimateStrategyFactory(organisation=huerth, neutrality_year=2045)
    municipality(network, name="Stadtwerke Hürth", kind=Organisation.Kind.UTILITY)  # not a public body
    personas.login(client, "member")
    with translation.override("de"):
        page = client.get(board_url(network)).content.decode()
    assert "Stadt Köln" in page and "Stadt Hürth" in page and "Stadtwerke Hürth" not in page
    assert de("Stage %(stage)s of %(last)s", stage=4, last=8) in page
    assert de("Stage %(stage)s of %(last)s", stage=7, last=8) in page
    assert "30.06.2026" in page and "30.06.2028" in page  # deadlines by population
    assert 'datetime="2026-06-30"' in page
    assert "Wärmebüro Rheinland" in page and "Frechen" in page
    assert "20.11.2025" in page and "20.11.2030" in page  # council decision, update due five years later
    assert "2035" in page and "2045" in page
    assert de("demo values") in page  # demo values are marked as such
    assert 'id="chart-heat-planning-stages"' in page and 'id="chart-target-years"' in page
    assert "1.080.000" in page  # population, German grouping


def test_board_marks_overdue_in_text(client, personas, monkeypatch):
    network = personas.network
    HeatPlanningFactory(organisation=municipality(network, population=200_000), stage=Stage.POTENTIAL)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 7, 3))
    personas.login(client, "member")
    with translation.override("de"):
        page = client.get(board_url(network)).content.decode()
    with translation.override("de"):
        overdue = ngettext("overdue by %(days)s day", "overdue by %(days)s days", 3) % {"days": 3}
    assert overdue in page
    assert 'class="overdue"' in page


def test_board_comparison_per_inhabitant(client, personas):
    network = personas.network
    a = municipality(network, name="A-Stadt", population=200_000)
    b = municipality(network, name="B-Stadt", population=40_000)
    EmissionBalanceFactory(organisation=a, year=2022, emissions=1_500_000)
    for org, value in ((a, 30), (b, 10)):
        indicator = IndicatorFactory(
            roadmap=RoadmapFactory(organisation=org), code="pv-leistung", name="PV-Leistung", per_inhabitant=True
        )
        IndicatorValueFactory(indicator=indicator, year=2024, value=value)
        consent(org, Audience.MEMBERS, figures=["ghg-total", "ind:pv-leistung"])  # released to the networks' members
    personas.login(client, "member")
    with translation.override("de"):
        page = client.get(board_url(network)).content.decode()
    assert "1.500.000" in page and "7,5" in page  # t CO2e in total and per inhabitant
    assert de("%(unit)s per %(per)s inhabitants", unit="MWp", per="1.000") in page
    assert "0,15" in page and "0,25" in page  # 30 MWp per 200,000 and 10 MWp per 40,000 inhabitants, per 1,000


def test_board_comparison_respects_the_opt_in(client, personas):
    """A member municipality that has not released its total for the comparison is not listed (issue 17 §2)."""
    network = personas.network
    shares = municipality(network, name="A-Stadt", population=200_000)
    keeps = municipality(network, name="B-Stadt", population=40_000)
    EmissionBalanceFactory(organisation=shares, year=2022, emissions=1_500_000)
    EmissionBalanceFactory(organisation=keeps, year=2022, emissions=987_654)
    consent(shares, Audience.MEMBERS)
    consent(keeps, Audience.MEMBERS, figures=["ind:pv-leistung"])  # not its total
    personas.login(client, "member")
    with translation.override("de"):
        page = client.get(board_url(network)).content.decode()
    section = page[page.index('id="comparison-heading"') :]
    assert "1.500.000" in section and "987.654" not in section


def test_board_coordinator_links(client, personas):
    personas.login(client, "coordinator")
    page = client.get(board_url(personas.network)).content.decode()
    assert reverse("monitoring:health", args=[personas.network.slug]) in page
    assert f"{reverse('monitoring:report-create')}?network={personas.network.slug}" in page
    personas.login(client, "member")
    page = client.get(board_url(personas.network)).content.decode()
    assert reverse("monitoring:health", args=[personas.network.slug]) not in page
    assert reverse("monitoring:report-create") not in page


def test_board_without_members(client, personas):
    personas.login(client, "member")
    with translation.override("en"):
        page = client.get(board_url(personas.network)).content.decode()
    assert "The network has no member municipalities yet." in page
    assert "board-charts" not in page  # no empty stage chart
    assert reverse("networks:membership-list", args=[personas.network.slug]) not in page  # members cannot add
    personas.login(client, "coordinator")
    with translation.override("en"):
        page = client.get(board_url(personas.network)).content.decode()
    assert (
        reverse("networks:membership-list", args=[personas.network.slug]) in page.split("no member municipalities")[1]
    )


def grow(network, n):
    for i in range(n):
        org = municipality(network, population=20_000 + i * 1_000)
        planning = HeatPlanningFactory(organisation=org, stage=i % 9, is_demo=True)
        HeatPlanningStepFactory(planning=planning, stage=planning.stage or Stage.DECIDED)
        planning.convoy.add(OrganisationFactory())
        ClimateStrategyFactory(organisation=org, neutrality_year=2030 + i % 16)
        EmissionBalanceFactory(organisation=org)
        indicator = IndicatorFactory(roadmap=RoadmapFactory(organisation=org), code="ladepunkte", unit="Anzahl")
        IndicatorValueFactory(indicator=indicator)
        consent(org, Audience.MEMBERS, figures=["ghg-total", "ind:ladepunkte"])  # compared on the board


# session and account from the cache (no query); network, role (is_member/can_manage), members with planning and
# strategy, stages reached,
# convoys, members again (comparison), the viewer's networks, the members' opt-in and per-figure opt-ins (comparison),
# balance totals, coded indicators, their values
BOARD_QUERIES = 12


def test_board_query_count_is_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    network = personas.network
    for size in (2, 12):
        grow(network, size - Organisation.objects.filter(memberships__network=network).count())
        with django_assert_num_queries(BOARD_QUERIES):
            page = client.get(board_url(network))
        assert page.status_code == 200
        assert len(page.context["rows"]) == size


def test_board_of_a_hundred_municipalities(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    grow(personas.network, 100)
    started = time.monotonic()
    with django_assert_num_queries(BOARD_QUERIES):
        page = client.get(board_url(personas.network))
    assert len(page.context["rows"]) == 100
    assert time.monotonic() - started < 5


def test_board_members_ended_are_left_out(client, personas):
    network = personas.network
    gone = OrganisationFactory(name="Ehemalige Stadt", kind=Organisation.Kind.CITY)
    MembershipFactory(
        network=network, organisation=gone, since=date(2020, 1, 1), until=timezone.localdate() - timedelta(days=1)
    )
    HeatPlanningFactory(organisation=gone)
    personas.login(client, "member")
    assert "Ehemalige Stadt" not in client.get(board_url(network)).content.decode()


def test_a_county_has_no_legal_deadline_and_is_not_counted_among_the_stages(client, personas):
    """The heat-planning law obliges municipalities; a county on the board is never overdue and has no deadline."""
    from monitoring.builders import stages_chart
    from monitoring.network import board_rows

    network = personas.network
    county = municipality(network, name="Landkreis Kusel", kind=Organisation.Kind.COUNTY, population=70_000)
    town = municipality(network, name="Stadt Kusel", population=5_000)
    rows = {row.organisation: row for row in board_rows(network, date(2030, 1, 1))}
    assert rows[county].deadline is None and not rows[county].overdue and not rows[county].obliged
    assert rows[town].deadline == date(2028, 6, 30) and rows[town].overdue
    chart = stages_chart(rows.values(), "k")
    assert sum(chart.series[0].values) == 1  # only the town
    personas.login(client, "member")
    page = client.get(reverse("monitoring:board", args=[network.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no legal deadline (county)" in page or "keine gesetzliche Frist (Kreis)" in page


def test_stage_one_is_the_decision_to_draw_up_the_plan():
    """Stage 1 (the council decides to draw up a heat plan) does not read like stage 8 (the council adopts it)."""
    with translation.override("de"):
        first, last = str(Stage.DECIDED.label), str(Stage.ADOPTED.label)
    assert first == "Aufstellungsbeschluss" and "beschlossen" in last


def export_url(network, fmt):
    return reverse("monitoring:board-export", args=[network.slug, fmt])


@pytest.mark.parametrize(("persona", "status"), MEMBERS_ONLY.items())
def test_board_export_has_the_boards_access_rule(client, personas, persona, status):
    personas.login(client, persona)
    for fmt in ("csv", "xlsx"):
        assert client.get(export_url(personas.network, fmt)).status_code == status
    personas.network.board_public = True
    personas.network.save(update_fields=["board_public"])
    assert client.get(export_url(personas.network, "csv")).status_code == 200


def test_board_export_csv_and_xlsx(client, personas):
    import csv
    import io

    from openpyxl import load_workbook

    network = personas.network
    city = municipality(network, name="Stadt =Bonn", ags="05314000", population=330_000)
    planning = HeatPlanningFactory(organisation=city, stage=Stage.INVENTORY, office="Büro; Wärme")
    HeatPlanningStepFactory(planning=planning, stage=Stage.INVENTORY, reached_on=date(2025, 2, 3))
    municipality(network, name="Gemeinde Alfter", population=24_000)
    personas.login(client, "member")
    response = client.get(export_url(network, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and len(rows[0]) == 14
    bonn = next(row for row in rows if "Bonn" in row[0])
    assert bonn[:4] == ["Stadt =Bonn", "05314000", "330000", "3"]
    assert bonn[5] == "03.02.2025" and bonn[8] == "Büro; Wärme"
    workbook = load_workbook(io.BytesIO(client.get(export_url(network, "xlsx")).content))
    sheet = workbook.active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 2
    xlsx_bonn = next(row for row in values if "Bonn" in row[0])
    assert xlsx_bonn[1] == "05314000" and xlsx_bonn[2] == 330_000 and xlsx_bonn[3] == Stage.INVENTORY
    assert client.get(export_url(network, "pdf")).status_code == 404


def test_board_export_query_count_is_flat(client, personas):
    """The same queries for 2 and 12 municipalities (the access, then members with their plans, steps, convoy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    personas.login(client, "member")
    client.get(export_url(personas.network, "csv"))  # what the access remembers is in the cache from here on
    counts = []
    for size in (2, 10):
        for _ in range(size):
            HeatPlanningFactory(organisation=municipality(personas.network))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(export_url(personas.network, "csv")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
