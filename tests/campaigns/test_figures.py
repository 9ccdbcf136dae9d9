"""A campaign's key figures (issue 17 §5): defined by coordinators, entered per municipality and period by its
editors or the coordinators, summed, charted, linked and exported for the funder."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from networks.campaigns import selectors
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure
from networks.models import NetworkRole
from tests.campaigns.factories import campaign_with, figure, value
from tests.helpers import assert_flat
from tests.networks import factories as f

TODAY = date(2026, 8, 15)


@pytest.fixture
def campaign(personas):
    return campaign_with(personas.network)


@pytest.fixture
def kwp(campaign):
    return figure(campaign)


def _url(name, campaign, *args):
    return reverse(f"campaignfigures:{name}", args=[campaign.network.slug, campaign.pk, *args])


def test_periods_run_from_start_to_the_current_period():
    campaign = f.CampaignFactory.build(start=date(2026, 2, 10), end=date(2027, 6, 30))
    assert selectors.periods(campaign, "quarter", today=TODAY) == [date(2026, m, 1) for m in (1, 4, 7)]
    assert selectors.periods(campaign, "year", today=TODAY) == [date(2026, 1, 1)]
    assert len(selectors.periods(campaign, "month", today=TODAY)) == 7  # February to August


def test_sums_per_period_and_organisation(campaign, kwp):
    first, second = campaign.organisations.order_by("name")
    value(kwp, first, date(2026, 1, 1), "120.5")
    value(kwp, second, date(2026, 1, 1), "80")
    value(kwp, first, date(2026, 4, 1), "30")
    (table,) = selectors.figure_tables(campaign, today=TODAY)
    assert table.total == Decimal("230.5")
    assert [p["total"] for p in table.periods] == [Decimal("200.5"), Decimal("30"), Decimal(0)]
    assert [r["total"] for r in table.rows] == [Decimal("150.5"), Decimal("80")]
    assert table.periods[0]["height"] == selectors.CHART_HEIGHT and table.periods[2]["height"] == 0


@pytest.mark.parametrize(
    "persona,status",
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("other_network", 404),
        ("editor", 404),
        ("member", 200),
        ("coordinator", 200),
        ("staff", 200),
    ],
)
def test_figures_page_by_persona(client, personas, campaign, kwp, persona, status):
    personas.login(client, persona)
    assert client.get(_url("figures", campaign)).status_code == status
    assert client.get(_url("export", campaign, "csv")).status_code == status


@pytest.mark.parametrize("persona,status", [("member", 403), ("coordinator", 200), ("staff", 200), ("citizen", 404)])
def test_only_coordinators_define_figures_and_links(client, personas, campaign, kwp, persona, status):
    personas.login(client, persona)
    assert client.get(_url("figure-create", campaign)).status_code == status
    assert client.get(_url("figure-edit", campaign, kwp.pk)).status_code == status
    assert client.get(_url("links", campaign)).status_code == status


def test_coordinator_defines_a_figure(client, personas, campaign):
    personas.login(client, "coordinator")
    data = {"name": "Beratungen", "unit": "Beratungen", "period": "month", "description": ""}
    assert client.post(_url("figure-create", campaign), data).status_code == 302
    assert KeyFigure.objects.get(campaign=campaign).period == "month"
    again = client.post(_url("figure-create", campaign), {**data, "name": "beratungen"})
    assert again.status_code == 400 and KeyFigure.objects.count() == 1


def test_editor_of_a_participating_municipality_enters_german_numbers(client, personas, campaign, kwp):
    organisation = campaign.organisations.order_by("name").first()
    editor = f.OrganisationRoleFactory(organisation=organisation).person
    NetworkRole.objects.create(network=personas.network, person=editor)
    client.force_login(editor.user)
    url = _url("values-enter", campaign, kwp.pk)
    page = client.get(url)
    assert page.status_code == 200 and page.context["organisations"] == [organisation]
    response = client.post(url, {"organisation": organisation.pk, "p2026-01-01": "1.234,5", "p2026-04-01": ""})
    assert response.status_code == 302
    assert FigureValue.objects.get(figure=kwp, organisation=organisation).value == Decimal("1234.5")
    assert FigureValue.objects.get().entered_by == editor
    # "3.5" is refused (did you mean 3,5 or 3.500?), what was typed stays
    bad = client.post(url, {"organisation": organisation.pk, "p2026-01-01": "3.5"})
    assert bad.status_code == 400 and 'value="3.5"' in bad.content.decode()
    assert FigureValue.objects.get().value == Decimal("1234.5")
    negative = client.post(url, {"organisation": organisation.pk, "p2026-01-01": "-2"})
    assert negative.status_code == 400
    # clearing removes it
    assert client.post(url, {"organisation": organisation.pk, "p2026-01-01": ""}).status_code == 302
    assert not FigureValue.objects.exists()


def test_editor_cannot_enter_for_another_municipality(client, personas, campaign, kwp):
    own, other = campaign.organisations.order_by("name")
    editor = f.OrganisationRoleFactory(organisation=own).person
    NetworkRole.objects.create(network=personas.network, person=editor)
    client.force_login(editor.user)
    client.post(_url("values-enter", campaign, kwp.pk), {"organisation": other.pk, "p2026-01-01": "5"})
    assert not FigureValue.objects.filter(organisation=other).exists()  # the form falls back to their own
    assert FigureValue.objects.get(organisation=own).value == 5


def test_members_who_edit_no_participant_cannot_enter(client, personas, campaign, kwp):
    personas.login(client, "member")
    assert client.get(_url("values-enter", campaign, kwp.pk)).status_code == 403
    personas.login(client, "editor")  # edits an organisation, but is no member of the network
    assert client.get(_url("values-enter", campaign, kwp.pk)).status_code == 404


def test_coordinator_enters_for_every_participant(client, personas, campaign, kwp):
    personas.login(client, "coordinator")
    page = client.get(_url("values-enter", campaign, kwp.pk))
    assert len(page.context["organisations"]) == 2


def test_export_for_german_excel(client, personas, campaign, kwp):
    first = campaign.organisations.order_by("name").first()
    value(kwp, first, date(2026, 1, 1), "1234.5")
    personas.login(client, "member")
    response = client.get(_url("export", campaign, "csv"))
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:3] == ["PV installiert", "kWp", "Q1/2026"] and rows[1][-1] == "1.234,5"
    assert rows[1][5] == first.ags
    workbook = load_workbook(io.BytesIO(client.get(_url("export", campaign, "xlsx")).content))
    assert workbook.worksheets[0].cell(row=2, column=7).value == 1234.5
    assert client.get(_url("export", campaign, "pdf")).status_code == 404
    campaign.title = "Wärmekampagne Südwestpfalz"
    campaign.save()
    disposition = client.get(_url("export", campaign, "xlsx"))["Content-Disposition"]
    assert "kampagne-waermekampagne-suedwestpfalz-kennzahlen-" in disposition  # German umlauts spelt out


def test_links_to_events_documents_announcements(client, personas, campaign):
    from events.models import Event
    from tests.events import factories as ef

    event = ef.EventFactory(network=personas.network, title="Solar-Infoabend Kusel")
    hidden_event = ef.EventFactory(network=personas.other, title="Fremde Veranstaltung")
    personas.login(client, "coordinator")
    page = client.get(_url("links", campaign))
    choices = dict(page.context["form"].fields["event"].choices)
    assert event.pk in choices and hidden_event.pk not in choices
    assert client.post(_url("links", campaign), {"event": [event.pk]}).status_code == 302
    assert CampaignLink.objects.get().object_id == event.pk
    personas.login(client, "member")
    assert "Solar-Infoabend Kusel" in client.get(_url("figures", campaign)).content.decode()
    assert client.post(_url("links", campaign), {"event": [hidden_event.pk]}).status_code == 403
    assert Event.objects.filter(pk=hidden_event.pk).exists()


def test_campaign_page_links_to_figures(client, personas, campaign):
    personas.login(client, "member")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert _url("figures", campaign) in page


def test_figures_page_queries_are_flat(client, personas, campaign, kwp, django_assert_num_queries):
    personas.login(client, "member")
    counter = iter(range(10_000))

    def grow(n):
        for _ in range(n):
            organisation = f.OrganisationFactory()
            campaign.organisations.add(organisation)
            extra = figure(campaign, name=f"Kennzahl {next(counter)}", unit="Stück")
            value(kwp, organisation, date(2026, 1, 1), "3")
            value(extra, organisation, date(2026, 4, 1), "2")

    # network, role, campaign; figures, organisations, values; the organisations the member may enter for; links
    # (no link: no source's query)
    assert_flat(client, _url("figures", campaign), grow, django_assert_num_queries, 8, sizes=(2, 8))


def test_delete_figure(client, personas, campaign, kwp):
    personas.login(client, "member")
    assert client.post(_url("figure-delete", campaign, kwp.pk)).status_code == 403
    personas.login(client, "coordinator")
    assert client.post(_url("figure-delete", campaign, kwp.pk)).status_code == 302
    assert not KeyFigure.objects.exists()


def test_period_cannot_change_once_values_exist(client, personas, campaign, kwp):
    value(kwp, campaign.organisations.first(), date(2026, 1, 1), "1")
    personas.login(client, "coordinator")
    data = {"name": kwp.name, "unit": "kWp", "period": "month", "description": ""}
    response = client.post(_url("figure-edit", campaign, kwp.pk), data)
    assert response.status_code == 400 and response.context["form"].errors["period"]
    kwp.refresh_from_db()
    assert kwp.period == "quarter"
