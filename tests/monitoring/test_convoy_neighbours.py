"""A heat-planning convoy is planned with the municipalities of one's networks, not with any of the portal
(issue 14, findings: Troisdorf could plan a convoy 'with Stadt Dortmund')."""

import pytest

from monitoring.models import HeatPlanning, Stage
from tests.monitoring.test_entry_planning import planning_data, url
from tests.monitoring.test_entry_views import login, org  # noqa: F401 (fixtures)
from tests.networks.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours(personas, org):  # noqa: F811
    MembershipFactory(network=personas.network, organisation=org)
    return {
        "member": MembershipFactory(network=personas.network, organisation__kind="municipality").organisation,
        "host": personas.network.host,
        "stranger": OrganisationFactory(name="Stadt Dortmund", kind="city"),
        "other_network": MembershipFactory(network=NetworkFactory(), organisation__kind="city").organisation,
        "company": MembershipFactory(network=personas.network, organisation__kind="company").organisation,
    }


def test_only_public_bodies_of_ones_networks_are_offered(client, personas, org, neighbours):  # noqa: F811
    neighbours["host"].kind = "county"
    neighbours["host"].save()
    login(client, personas, "editor")
    offered = set(client.get(url("heat-planning-edit", org)).context["form"].fields["convoy"].queryset)
    assert offered == {neighbours["member"], neighbours["host"]}


@pytest.mark.parametrize("who", ["stranger", "other_network", "company"])
def test_posting_anyone_else_is_not_a_valid_choice(client, personas, org, neighbours, who):  # noqa: F811
    login(client, personas, "editor")
    data = planning_data(Stage.DECIDED, s1="2023-03-01") | {"convoy": [neighbours["member"].pk, neighbours[who].pk]}
    response = client.post(url("heat-planning-edit", org), data)
    assert response.status_code == 400 and "convoy" in response.context["form"].errors
    assert not HeatPlanning.objects.exists()


def test_a_partner_chosen_before_stays(client, personas, org, neighbours):  # noqa: F811
    planning = HeatPlanning.objects.create(organisation=org, stage=Stage.DECIDED)
    planning.convoy.add(neighbours["stranger"])  # before the rule, or its network membership has ended
    login(client, personas, "editor")
    data = planning_data(Stage.DECIDED, s1="2023-03-01") | {"convoy": [neighbours["stranger"].pk]}
    assert client.post(url("heat-planning-edit", org), data).status_code == 302
    assert list(planning.convoy.all()) == [neighbours["stranger"]]
