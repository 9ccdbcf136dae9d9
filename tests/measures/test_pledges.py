"""Pledges of a network's member organisations: the side-by-side page, editing, yearly reports, the profile panel."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from measures import pledge_panel
from measures.models import Pledge, PledgeReport
from measures.views.participation import reduction_percent
from networks import panels
from tests.measures.factories import PledgeFactory
from tests.networks import factories as nf

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
# Who may edit the pledge of the editor's organisation (a current member): the coordination, the organisation's
# editors, staff.
EDIT_MATRIX = [
    ("anonymous", 302),
    ("citizen", 403),
    ("other_network", 403),
    ("member", 403),
    ("coordinator", 200),
    ("editor", 200),
    ("staff", 200),
]


@pytest.fixture
def company(personas):
    """The editor persona's organisation, a current member of the network."""
    organisation = personas.people["editor"].organisation_roles.get().organisation
    nf.MembershipFactory(network=personas.network, organisation=organisation)
    return organisation


@pytest.fixture
def university(personas):
    """Another member organisation with a pledge and two yearly reports."""
    organisation = nf.OrganisationFactory(name="Universität Musterstadt", slug="uni", kind="university")
    nf.MembershipFactory(network=personas.network, organisation=organisation)
    pledge = PledgeFactory(
        network=personas.network,
        organisation=organisation,
        target_year=2030,
        baseline_year=2018,
        baseline_emissions=Decimal("20000"),
        commitments="Campus klimaneutral bis 2030",
    )
    PledgeReport.objects.create(pledge=pledge, year=2022, emissions=Decimal("18000"), progress="Ökostrom bezogen")
    PledgeReport.objects.create(pledge=pledge, year=2023, emissions=Decimal("15000"), progress="Photovoltaik gebaut")
    return organisation


def url(name: str, network, *args) -> str:
    return reverse(f"measures:{name}", args=[network.slug, *args])


VALID = {"target_year": "2035", "baseline_year": "2020", "baseline_emissions": "1.200,5", "commitments": "Ökostrom"}


# --- The side-by-side page ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_pledges_of_a_public_network_are_public(client, personas, university, persona):
    personas.login(client, persona)
    response = client.get(url("pledge-list", personas.network))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Universität Musterstadt" in content and "Campus klimaneutral bis 2030" in content
    can_edit = persona in {"coordinator", "staff"}
    assert (url("pledge-edit", personas.network, "uni") in content) is can_edit


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("citizen", 404),
        ("other_network", 404),
        ("member", 200),
        ("coordinator", 200),
        ("editor", 404),
        ("staff", 200),
    ],
)
def test_pledges_of_a_private_network_are_for_members(client, personas, university, persona, status):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    personas.login(client, persona)
    assert client.get(url("pledge-list", personas.network)).status_code == status


def test_pledges_side_by_side(client, personas, university, company):
    PledgeFactory(
        network=personas.network,
        organisation=company,
        target_year=2040,
        baseline_emissions=Decimal("100"),
        commitments="Fuhrpark elektrisch",
    )
    PledgeReport.objects.create(
        pledge=Pledge.objects.get(organisation=company), year=2023, emissions=Decimal("110"), progress="Mehr Aufträge"
    )
    former = nf.OrganisationFactory(name="Ausgetretene GmbH")
    nf.MembershipFactory(
        network=personas.network, organisation=former, since=date(2015, 1, 1), until=date.today() - timedelta(days=1)
    )
    PledgeFactory(network=personas.network, organisation=former, commitments="Alte Selbstverpflichtung")
    PledgeFactory(network=personas.other, organisation=nf.OrganisationFactory(), commitments="Anderes Netzwerk")
    response = client.get(url("pledge-list", personas.network))
    pledges = response.context["pledges"]
    assert [p.organisation for p in pledges] == sorted([company, university], key=lambda o: o.name)
    uni = next(p for p in pledges if p.organisation == university)
    assert (uni.latest_year, uni.latest_emissions, uni.latest_progress) == (
        2023,
        Decimal("15000"),
        "Photovoltaik gebaut",
    )
    assert uni.reduction == 25 and uni.reduction_bar == 25
    mine = next(p for p in pledges if p.organisation == company)
    assert mine.reduction == -10 and mine.increase == 10 and mine.reduction_bar == 0
    content = response.content.decode()
    assert '<meter min="0" max="100" value="25"' in content
    assert "Alte Selbstverpflichtung" not in content and "Anderes Netzwerk" not in content
    assert '<th scope="col">' in content and '<th scope="row">' in content


@pytest.mark.parametrize(
    ("baseline", "latest", "expected"),
    [(Decimal("100"), Decimal("60"), 40), (Decimal("100"), Decimal("130"), -30), (None, Decimal("1"), None),
     (Decimal("0"), Decimal("0"), None), (Decimal("100"), None, None)],
)  # fmt: skip
def test_reduction_percent(baseline, latest, expected):
    assert reduction_percent(baseline, latest) == expected


def test_editors_see_their_organisation_without_a_pledge(client, personas, company, university):
    personas.login(client, "editor")
    response = client.get(url("pledge-list", personas.network))
    assert response.context["missing"] == [company]
    assert url("pledge-edit", personas.network, university.slug) not in response.content.decode()
    personas.login(client, "coordinator")
    assert client.get(url("pledge-list", personas.network)).context["missing"] == [company]
    personas.login(client, "member")
    assert client.get(url("pledge-list", personas.network)).context["missing"] == []


def test_pledge_list_queries_are_flat(client, personas, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            organisation = nf.OrganisationFactory()
            nf.MembershipFactory(network=personas.network, organisation=organisation)
            pledge = PledgeFactory(network=personas.network, organisation=organisation, baseline_emissions=100)
            for year in (2022, 2023):
                PledgeReport.objects.create(pledge=pledge, year=year, emissions=90, progress="weiter so")

    personas.login(client, "coordinator")
    grow(2)
    # session and account from the cache (no query); network, pledges with their latest report, role (cached for both
    # flags),
    # organisations without a pledge
    with django_assert_num_queries(4):
        assert client.get(url("pledge-list", personas.network)).status_code == 200
    grow(10)
    with django_assert_num_queries(4):
        response = client.get(url("pledge-list", personas.network))
    assert len(response.context["pledges"]) == 12


# --- Editing a pledge -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), EDIT_MATRIX)
def test_pledge_edit_permissions(client, personas, company, persona, status):
    personas.login(client, persona)
    assert client.get(url("pledge-edit", personas.network, company.slug)).status_code == status
    response = client.post(url("pledge-edit", personas.network, company.slug), VALID)
    assert response.status_code == (302 if status in (200, 302) else status)
    assert Pledge.objects.exists() is (status == 200)
    if status == 200:
        pledge = Pledge.objects.get()
        assert (pledge.network, pledge.organisation, pledge.target_year) == (personas.network, company, 2035)
        assert response["Location"] == url("pledge-list", personas.network)
    elif persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_pledge_edit_changes_the_existing_pledge(client, personas, company):
    pledge = PledgeFactory(network=personas.network, organisation=company, target_year=2045)
    personas.login(client, "editor")
    assert client.post(url("pledge-edit", personas.network, company.slug), VALID).status_code == 302
    pledge.refresh_from_db()
    assert pledge.target_year == 2035 and Pledge.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"baseline_year": "2040"}, "baseline_year"),
        ({"target_year": "2200"}, "target_year"),
        ({"target_year": ""}, "target_year"),
        ({"baseline_emissions": "-5"}, "baseline_emissions"),
        ({"commitments": ""}, "commitments"),
    ],
)
def test_pledge_bad_input_is_a_form_error(client, personas, company, change, field):
    personas.login(client, "editor")
    response = client.post(url("pledge-edit", personas.network, company.slug), {**VALID, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Pledge.objects.exists()


def test_editor_of_a_former_member_cannot_edit(client, personas, company):
    pledge = PledgeFactory(network=personas.network, organisation=company, target_year=2045)
    company.memberships.update(since=date(2015, 1, 1), until=date.today() - timedelta(days=1))
    personas.login(client, "editor")
    assert client.post(url("pledge-edit", personas.network, company.slug), VALID).status_code == 403
    personas.login(client, "coordinator")  # the coordination may still correct it
    assert client.post(url("pledge-edit", personas.network, company.slug), VALID).status_code == 302
    pledge.refresh_from_db()
    assert pledge.target_year == 2035


def test_organisation_that_is_no_member_is_404(client, personas):
    outsider = nf.OrganisationFactory(slug="aussenseiter")
    mine = personas.people["editor"].organisation_roles.get().organisation
    nf.MembershipFactory(network=personas.other, organisation=mine)  # a member of the other network only
    PledgeFactory(network=personas.other, organisation=mine)
    personas.login(client, "staff")
    for slug in ["aussenseiter", mine.slug, "gibt-es-nicht"]:
        assert client.get(url("pledge-edit", personas.network, slug)).status_code == 404
        assert client.post(url("pledge-report", personas.network, slug), {"year": 2023}).status_code == 404
    assert not outsider.pledges.exists() and not PledgeReport.objects.exists()


# --- Yearly reports -------------------------------------------------------------------------------


REPORT = {"year": "2024", "emissions": "14000", "progress": "Wärmepumpen in drei Gebäuden"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 403), ("other_network", 403), ("member", 403), ("coordinator", 200),
     ("editor", 403), ("staff", 200)],
)  # fmt: skip
def test_pledge_report_permissions(client, personas, university, persona, status):
    """The editor persona edits another organisation, not the university."""
    personas.login(client, persona)
    assert client.get(url("pledge-report", personas.network, university.slug)).status_code == status
    client.post(url("pledge-report", personas.network, university.slug), REPORT)
    assert PledgeReport.objects.filter(year=2024).exists() is (status == 200)


def test_editor_reports_for_own_organisation_once_a_year(client, personas, company):
    personas.login(client, "editor")
    response = client.get(url("pledge-report", personas.network, company.slug))
    assert response.status_code == 302  # no pledge yet: record it first
    assert response["Location"] == url("pledge-edit", personas.network, company.slug)
    PledgeFactory(network=personas.network, organisation=company)
    response = client.post(url("pledge-report", personas.network, company.slug), REPORT)
    assert response.status_code == 302
    response = client.post(url("pledge-report", personas.network, company.slug), {**REPORT, "emissions": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"]
    report = PledgeReport.objects.get()
    assert report.emissions == Decimal("14000")
    content = client.get(url("pledge-list", personas.network)).content.decode()
    assert "Wärmepumpen in drei Gebäuden" in content


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": "1800"}, "year"),
        ({"year": ""}, "year"),
        ({"emissions": "-1"}, "emissions"),
        ({"progress": ""}, "progress"),
    ],
)
def test_pledge_report_bad_input(client, personas, university, change, field):
    personas.login(client, "coordinator")
    response = client.post(url("pledge-report", personas.network, university.slug), {**REPORT, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert PledgeReport.objects.count() == 2


# --- The panel on the network's profile ---------------------------------------------------------------


@pytest.fixture
def pledge_panel_registered():
    before = dict(panels._PANELS["network_detail"])
    panels.register("network_detail", pledge_panel.NETWORK_PLEDGES)
    yield
    panels._PANELS["network_detail"] = before


def test_network_profile_shows_the_pledge_count(client, personas, university, company, pledge_panel_registered):
    content = client.get(reverse("networks:network-detail", args=[personas.network.slug])).content.decode()
    assert url("pledge-list", personas.network) in content
    assert 'id="profile-pledges-heading"' in content
    assert pledge_panel.network_detail_context(None, personas.network)["pledge_count"] == 1
    PledgeFactory(network=personas.network, organisation=company)
    assert pledge_panel.network_detail_context(None, personas.network)["pledge_count"] == 2
