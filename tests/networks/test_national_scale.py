"""Pages that must not grow with the portal (issue 19 §6): at national scale there are hundreds of networks and
thousands of roadmaps, so the home page shows a few (the viewer's first) and counts the rest, and the lists are
paginated. Each page: the rendered items are bounded, the way to everything is there, the queries are the same at
two sizes of the portal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from measures.models import Roadmap
from networks.models import Network
from networks.selectors import HOME_NETWORKS, LIST_PAGE_SIZE
from tests.helpers import assert_flat
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks import factories as f

MANY = 30  # more than a page of the lists (24), far more than the home page shows (6)


def _cards(response, kind: str) -> list[str]:
    """The titles of the page's cards of ``kind`` (network or roadmap)."""
    tree = lxml_html.fromstring(response.content.decode())
    return [
        a.text_content().strip()
        for a in tree.xpath(
            f"//ul[contains(@class, '{kind}-cards')]/li//h2/a | //ul[contains(@class, '{kind}-cards')]/li//h3/a"
        )
    ]


def _links(response) -> list[str]:
    return lxml_html.fromstring(response.content.decode()).xpath("//a/@href")


def _link_texts(response, href: str) -> list[str]:
    tree = lxml_html.fromstring(response.content.decode())
    return [" ".join(a.text_content().split()) for a in tree.xpath(f"//main//a[@href='{href}']")]


def _grow(n: int) -> None:
    """n more public networks with a member organisation each, n more published roadmaps with a measure each."""
    for _ in range(n):
        f.MembershipFactory(network=f.NetworkFactory())
        MeasureFactory(roadmap=RoadmapFactory())


def _age(model, pks, days: int) -> None:
    model.objects.filter(pk__in=pks).update(created_at=timezone.now() - timedelta(days=days))


def test_home_shows_the_newest_networks_and_the_roadmaps_of_the_most_inhabitants(client, db):
    _grow(HOME_NETWORKS + 2)
    old_network = Network.objects.order_by("pk").first()
    _age(Network, [old_network.pk], 400)
    roadmaps = list(Roadmap.objects.select_related("organisation").order_by("pk"))
    for number, roadmap in enumerate(roadmaps):
        roadmap.organisation.population = 10_000 + number
        roadmap.organisation.save(update_fields=["population"])
    response = client.get(reverse("networks:home"))
    assert old_network.name not in _cards(response, "network")
    assert _cards(response, "roadmap") == [r.title for r in reversed(roadmaps)][:6]


def test_home_shows_the_viewers_networks_and_organisations_roadmap_first(client, personas):
    _grow(MANY)
    member = personas.people["member"]
    _age(Network, [personas.network.pk], 400)  # the oldest: only there because it is the member's
    roadmap = RoadmapFactory(organisation=member.organisation, title="Roadmap meiner Organisation")
    _age(Roadmap, [roadmap.pk], 400)
    anonymous = client.get(reverse("networks:home"))
    assert personas.network.name not in _cards(anonymous, "network") and roadmap.title not in _cards(
        anonymous, "roadmap"
    )
    personas.login(client, "member")
    response = client.get(reverse("networks:home"))
    assert _cards(response, "network")[0] == personas.network.name
    assert _cards(response, "roadmap")[0] == roadmap.title
    assert len(_cards(response, "network")) == HOME_NETWORKS


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_home_queries_are_the_same_at_two_sizes(client, personas, django_assert_num_queries, persona):
    personas.login(client, persona)
    # a few networks and their count, the next public events, a few roadmaps and their count; a member: and their
    # networks for the chips (session, account and citizen flag from the cache)
    expected = {"anonymous": 5, "member": 5 + 1}[persona]
    client.get(reverse("networks:home"))  # a member's session and account into the cache
    assert_flat(client, reverse("networks:home"), _grow, django_assert_num_queries, expected, sizes=(2, 12))


def test_home_and_lists_are_bounded_with_the_way_to_all(client, db):
    """One world of 30 public networks and 30 published roadmaps (built once: three pages look at it)."""
    _grow(MANY)
    networks, roadmaps = Network.objects.public().count(), Roadmap.objects.published().count()

    home = client.get(reverse("networks:home"))
    assert len(_cards(home, "network")) == HOME_NETWORKS
    assert len(_cards(home, "roadmap")) == 6
    # the way to all of them, with how many there are ("Alle 32 Netzwerke auf Klimanetz")
    assert any(str(networks) in text.split() for text in _link_texts(home, reverse("networks:network-list")))
    assert any(str(roadmaps) in text.split() for text in _link_texts(home, reverse("measures:roadmap-list")))

    url = reverse("networks:network-list")
    first, last = client.get(url), client.get(url, {"page": 2})
    assert len(_cards(first, "network")) == LIST_PAGE_SIZE and "?page=2" in _links(first)
    assert len(_cards(last, "network")) == networks - LIST_PAGE_SIZE
    assert len(set(_cards(first, "network")) | set(_cards(last, "network"))) == networks  # none twice or left out
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page number: the first page

    url = reverse("measures:roadmap-list")
    first = client.get(url)
    assert len(_cards(first, "roadmap")) == 24 and "?page=2" in _links(first)
    heading = lxml_html.fromstring(first.content.decode()).xpath("//h2[@id='roadmaps-heading']")[0]
    assert heading.text_content().split()[0] == str(roadmaps)  # all of them, not the page's 24
    assert len(_cards(client.get(url, {"page": 2}), "roadmap")) == roadmaps - 24
    assert client.get(url, {"page": "999"}).status_code == 200  # past the end: the last page
