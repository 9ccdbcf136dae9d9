"""'Wer weiß was' across networks (issue 17 §4): opt-in per topic, shared networks first, every persona."""

import pytest
from django.urls import reverse

from networks.experts.selectors import expertise_visible_to
from networks.models import Expertise
from tests.experts.factories import expert_in
from tests.helpers import assert_flat
from tests.networks import factories as f

URL = "networks:expertise-search"


@pytest.fixture
def heat(personas):
    """In NKK (the other network): one heat-planning expert who opted in, one who did not; in KTT: a colleague."""
    topic = f.TopicFactory(slug="kommunale-waermeplanung", name="Kommunale Wärmeplanung", name_en="Heat planning")
    return {
        "topic": topic,
        "opted_in": expert_in(personas.other, topic=topic, visible_everywhere=True, name="Offene Expertin"),
        "not_opted_in": expert_in(personas.other, topic=topic, visible_everywhere=False, name="Verschwiegener Experte"),
        "colleague": expert_in(personas.network, topic=topic, visible_everywhere=False, name="Kollegin im KTT"),
    }


@pytest.mark.parametrize("persona", ["member", "coordinator", "editor", "staff"])
def test_members_find_the_opted_in_expert_of_another_network_not_the_other(client, personas, heat, persona):
    personas.login(client, persona)
    response = client.get(reverse(URL), {"topic": heat["topic"].pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Offene Expertin" in page
    assert "Verschwiegener Experte" not in page
    shares_ktt = persona in ("member", "coordinator")
    assert ("Kollegin im KTT" in page) is shares_ktt


def test_people_of_shared_networks_come_first_and_are_marked(client, personas, heat):
    personas.login(client, "member")
    response = client.get(reverse(URL), {"topic": heat["topic"].pk})
    rows = list(response.context["page"].object_list)
    names = [row.person.name for row in rows]
    assert names.index("Kollegin im KTT") < names.index("Offene Expertin")
    assert [row.shared for row in rows if row.person.name == "Offene Expertin"] == [False]
    page = response.content.decode()
    assert "from another network" in page or "aus einem anderen Netzwerk" in page


def test_member_of_the_other_network_sees_all_topics_of_their_own_colleagues(client, personas, heat):
    personas.login(client, "other_network")
    page = client.get(reverse(URL), {"topic": heat["topic"].pk}).content.decode()
    assert "Offene Expertin" in page and "Verschwiegener Experte" in page  # shared network: as before
    assert "Kollegin im KTT" not in page  # not opted in, not shared


def test_only_mine_filter_leaves_out_other_networks(client, personas, heat):
    personas.login(client, "member")
    page = client.get(reverse(URL), {"topic": heat["topic"].pk, "mine": "true"}).content.decode()
    assert "Kollegin im KTT" in page and "Offene Expertin" not in page


def test_opted_in_is_per_topic(personas, heat):
    other_topic = f.TopicFactory(name="Energiecontrolling")
    Expertise.objects.create(person=heat["opted_in"], topic=other_topic, visible_everywhere=False)
    seen = set(expertise_visible_to(personas.user("member")).values_list("person__name", "topic__name"))
    assert ("Offene Expertin", "Kommunale Wärmeplanung") in seen
    assert ("Offene Expertin", "Energiecontrolling") not in seen


def test_anonymised_or_networkless_people_are_not_found_outside(personas, heat):
    gone = heat["opted_in"]
    gone.network_roles.all().delete()
    assert not expertise_visible_to(personas.user("member")).filter(person=gone).exists()
    loner = f.PersonFactory(name="Ohne Netzwerk")
    f.ExpertiseFactory(person=loner, topic=heat["topic"], visible_everywhere=True)
    assert not expertise_visible_to(personas.user("member")).filter(person=loner).exists()


def test_emails_of_other_networks_are_never_shown(client, personas, heat):
    expert = heat["opted_in"]
    expert.contact_visibility = "public"
    expert.save()
    personas.login(client, "member")
    page = client.get(reverse(URL), {"topic": heat["topic"].pk}).content.decode()
    assert expert.user.email not in page
    assert reverse("experts:ask", args=[expert.pk]) in page


def test_citizens_and_anonymous_are_refused(client, personas, heat):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "login" in response["Location"]
    personas.login(client, "citizen")
    assert client.get(reverse(URL)).status_code == 403


def test_profile_saves_the_opt_in_and_says_who_sees_it(client, personas):
    topic = f.TopicFactory()
    personas.login(client, "member")
    person = personas.people["member"]
    page = client.get(reverse("networks:profile")).content.decode()
    assert "expertise-0-visible_everywhere" in page or "expertise-1-visible_everywhere" in page
    data = {
        "profile-name": person.name,
        "profile-job_title": "",
        "profile-phone": "",
        "profile-contact_visibility": "members",
        "profile-language": "de",
        "expertise-TOTAL_FORMS": "1",
        "expertise-INITIAL_FORMS": "0",
        "expertise-0-topic": topic.pk,
        "expertise-0-level": "3",
        "expertise-0-visible_everywhere": "on",
    }
    assert client.post(reverse("networks:profile"), data).status_code == 302
    assert Expertise.objects.get(person=person, topic=topic).visible_everywhere is True
    data.pop("expertise-0-visible_everywhere")
    data.update({"expertise-INITIAL_FORMS": "1", "expertise-0-id": Expertise.objects.get(person=person).pk})
    assert client.post(reverse("networks:profile"), data).status_code == 302
    assert Expertise.objects.get(person=person, topic=topic).visible_everywhere is False


def test_expertise_off_by_default(personas):
    row = Expertise.objects.create(person=personas.people["member"], topic=f.TopicFactory())
    assert row.visible_everywhere is False


def test_search_queries_are_flat_across_networks(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    topic = f.TopicFactory()

    def grow(n):
        for i in range(n):
            expert_in(personas.network, topic=topic, visible_everywhere=False)
            expert_in(personas.other, topic=topic, visible_everywhere=i % 2 == 0)

    # networks for the filter, topics for the filter, count, page (session and account from the cache)
    assert_flat(client, reverse(URL), grow, django_assert_num_queries, 4, sizes=(3, 30))
