"""The citizens' pages of issue 16 §1: "Mitmachen" (per roadmap and across roadmaps) and the citizen's own area."""

import pytest
from django.urls import reverse
from django.utils.text import capfirst

from measures.models import Measure, ProposalSupport, Sector
from tests.helpers import assert_flat, de
from tests.measures import factories as mf
from tests.networks import factories as f

Cost = Measure.CitizenCost
TAKE_PART = "Zeichnen Sie Anteile an der Energiegenossenschaft."


@pytest.fixture
def roadmap(db):
    return mf.RoadmapFactory(slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


def offer(roadmap, **kwargs):
    kwargs.setdefault("how_to_take_part", TAKE_PART)
    return mf.MeasureFactory(roadmap=roadmap, **kwargs)


def titles(response) -> list[str]:
    return [o.measure.title for o in response.context["page"].object_list]


# --- What is listed -----------------------------------------------------------------------------------------


def test_only_public_measures_that_say_how_to_take_part(client, roadmap):
    listed = offer(roadmap, title="Bürgersolarpark")
    offer(roadmap, title="Ohne Text", how_to_take_part="")
    offer(roadmap, title="Unveröffentlicht", published=False)
    offer(mf.RoadmapFactory(published=False), title="Entwurfsroadmap")
    for url in (reverse("measures:participate"), reverse("measures:roadmap-participate", args=[roadmap.slug])):
        response = client.get(url)
        assert titles(response) == [listed.title]
    html = client.get(reverse("measures:participate")).content.decode()
    assert TAKE_PART in html
    assert f'href="{listed.get_absolute_url()}"' in html


def test_each_roadmap_page_lists_only_its_own_offers(client, roadmap):
    offer(roadmap, title="Dürener Angebot")
    other = mf.RoadmapFactory()
    offer(other, title="Anderes Angebot")
    response = client.get(reverse("measures:roadmap-participate", args=[roadmap.slug]))
    assert titles(response) == ["Dürener Angebot"]
    assert sorted(titles(client.get(reverse("measures:participate")))) == ["Anderes Angebot", "Dürener Angebot"]


def test_entry_links_its_contact_only_when_publicly_named_and_its_external_links(client, roadmap):
    named = f.PersonFactory(name="Klara Kontakt", contact_visibility="public")
    hidden = f.PersonFactory(name="Verborgene Person", contact_visibility="members")
    offer(roadmap, title="Mit Kontakt", responsible_person=named)
    offer(roadmap, title="Ohne öffentlichen Kontakt", responsible_person=hidden)
    offer(roadmap, title="Kontakt intern", responsible_person=named, internal_fields=["responsible_person"], code="X-1")
    offers = {o.measure.title: o for o in client.get(reverse("measures:participate")).context["page"].object_list}
    assert offers["Mit Kontakt"].contact == named
    assert offers["Ohne öffentlichen Kontakt"].contact is None
    assert offers["Kontakt intern"].contact is None
    html = client.get(reverse("measures:participate")).content.decode()
    assert "Verborgene Person" not in html


def test_external_links_are_listed(client, roadmap):
    from measures import models

    if not hasattr(models, "MeasureLink"):
        pytest.skip("the measure page's links are not there yet")
    measure = offer(roadmap)
    models.MeasureLink.objects.create(measure=measure, label="Förderantrag stellen", url="https://example.org/pv")
    html = client.get(reverse("measures:participate")).content.decode()
    assert 'href="https://example.org/pv"' in html


# --- Filters ------------------------------------------------------------------------------------------------


def test_filter_by_sector(client, roadmap):
    offer(roadmap, title="Wärme", sector=Sector.BUILDINGS_HEAT)
    offer(roadmap, title="Rad", sector=Sector.MOBILITY)
    response = client.get(reverse("measures:participate"), {"handlungsfeld": Sector.MOBILITY})
    assert titles(response) == ["Rad"]


def test_filter_by_municipality_as_roadmap_lead_or_partner(client, roadmap):
    town = f.OrganisationFactory(name="Stadt Jülich", slug="stadt-juelich", kind="city")
    company = f.OrganisationFactory(name="Firma", slug="firma", kind="company")
    offer(roadmap, title="Geführt", lead_organisation=town)
    partnered = offer(roadmap, title="Partnerin")
    partnered.partners.add(town)
    offer(roadmap, title="Anderswo", lead_organisation=company)
    town_roadmap = mf.RoadmapFactory(organisation=town)
    offer(town_roadmap, title="Eigene Roadmap")
    response = client.get(reverse("measures:participate"), {"kommune": "stadt-juelich"})
    assert sorted(titles(response)) == ["Eigene Roadmap", "Geführt", "Partnerin"]
    options = [o.slug for o in response.context["form"].fields["kommune"].queryset]
    assert "stadt-juelich" in options and "firma" not in options  # public bodies only


def test_filter_by_a_place_typed_instead_of_a_list_of_every_municipality(client, roadmap):
    town = f.OrganisationFactory(name="Stadt Jülich", slug="stadt-juelich", kind="city")
    company = f.OrganisationFactory(name="Jülicher Solar GmbH", slug="juelicher-solar", kind="company")
    offer(roadmap, title="Geführt", lead_organisation=town)
    offer(roadmap, title="Partnerin").partners.add(town)
    offer(roadmap, title="Firma", lead_organisation=company)  # not a public body: not a place
    offer(mf.RoadmapFactory(organisation=town), title="Eigene Roadmap")
    offer(roadmap, title="Anderswo")
    response = client.get(reverse("measures:participate"), {"ort": " jülich "})
    assert sorted(titles(response)) == ["Eigene Roadmap", "Geführt", "Partnerin"]
    content = response.content.decode()
    assert 'name="ort" value=" jülich "' in content  # what was typed stays in the box
    assert '<select name="kommune"' not in content and "Stadt Jülich</option>" not in content
    long = client.get(reverse("measures:participate"), {"ort": "x" * 5000})
    assert long.status_code == 200 and titles(long) == [] and long.context["form"].errors == {}


def test_filter_cost_for_me_at_most(client, roadmap):
    for cost in (Cost.FREE, Cost.LOW, Cost.MEDIUM, Cost.HIGH, Cost.UNKNOWN):
        offer(roadmap, title=f"Kosten {cost or 'unbekannt'}", citizen_cost=cost)
    response = client.get(reverse("measures:participate"), {"kosten": Cost.LOW})
    assert sorted(titles(response)) == ["Kosten free", "Kosten low"]
    assert len(titles(client.get(reverse("measures:participate"), {"kosten": Cost.HIGH}))) == 4
    assert len(titles(client.get(reverse("measures:participate")))) == 5


def test_unknown_filter_values_are_ignored_with_a_note_as_in_every_list(client, roadmap):
    """networks.filtering, as the measure list and the events list: 200, unfiltered by what is unknown, a note."""
    offer(roadmap)
    response = client.get(reverse("measures:participate"), {"handlungsfeld": "<b>quatsch</b>", "kommune": "nirgends"})
    assert response.status_code == 200
    assert len(titles(response)) == 1
    content = response.content.decode()
    assert "<b>quatsch</b>" not in content  # the note shows the value escaped
    notes = response.context["filter_notes"]
    assert len(notes) == 2 and "nirgends" in notes[1]


def test_the_filter_form_has_no_errors_of_its_own_every_unknown_value_is_a_note(client, roadmap):
    """The form's fields are all choices: what no choice knows becomes a note (never a form error or a 400), and
    the known values still filter."""
    offer(roadmap, title="Frei", citizen_cost=Cost.FREE, sector=Sector.HOUSEHOLDS)
    offer(roadmap, title="Teuer", citizen_cost=Cost.HIGH, sector=Sector.HOUSEHOLDS)
    data = {"handlungsfeld": ["households", "x" * 300], "kommune": "1' OR 1=1", "kosten": ["teuer", Cost.FREE]}
    response = client.get(reverse("measures:roadmap-participate", args=[roadmap.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert len(response.context["filter_notes"]) == 3
    assert titles(response) == ["Frei"]
    assert 'class="errorlist' not in response.content.decode()


# --- Who may see what ---------------------------------------------------------------------------------------

PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_participate_pages_are_public(client, personas, roadmap, persona):
    offer(roadmap)
    personas.login(client, persona)
    assert client.get(reverse("measures:participate")).status_code == 200
    assert client.get(reverse("measures:roadmap-participate", args=[roadmap.slug])).status_code == 200
    assert client.post(reverse("measures:participate")).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_roadmap_participate_is_404_but_for_its_editors(client, personas, persona):
    draft = mf.RoadmapFactory(
        published=False, organisation=personas.people["editor"].organisation_roles.get().organisation
    )
    personas.login(client, persona)
    expected = 200 if persona in ("editor", "staff") else 404
    assert client.get(reverse("measures:roadmap-participate", args=[draft.slug])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 200),
        ("other_network", 200),
        ("member", 200),
        ("coordinator", 200),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_my_participation_needs_a_login(client, personas, persona, status):
    personas.login(client, persona)
    response = client.get(reverse("measures:my-participation"))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("measures:my-participation")).status_code == (302 if status == 302 else 405)


def test_my_participation_shows_only_my_own(client, personas, roadmap):
    me = personas.people["citizen"]
    someone = f.PersonFactory(name="Jemand")
    mine = mf.ProposalFactory(roadmap=roadmap, author=me, title="Mein Vorschlag")  # pending
    mf.ProposalFactory(roadmap=roadmap, author=someone, title="Fremder Vorschlag")
    supported = mf.ProposalFactory(roadmap=roadmap, author=someone, title="Unterstützt", status="published")
    ProposalSupport.objects.create(proposal=supported, person=me)
    mf.CommentFactory(measure=offer(roadmap), author=me, text="Mein Kommentar zur Maßnahme")
    mf.CommentFactory(measure=offer(roadmap), author=someone, text="Fremder Kommentar")
    personas.login(client, "citizen")
    response = client.get(reverse("measures:my-participation"))
    assert [p.title for p in response.context["proposals"]] == [mine.title]
    assert [c.text for c in response.context["comments"]] == ["Mein Kommentar zur Maßnahme"]
    assert [s.proposal.title for s in response.context["supports"]] == ["Unterstützt"]
    html = response.content.decode()
    assert "Fremder Vorschlag" not in html and "Fremder Kommentar" not in html


# --- Query counts stay flat ---------------------------------------------------------------------------------


def test_participate_queries_are_flat(client, roadmap, django_assert_num_queries):
    town = f.OrganisationFactory(kind="municipality")

    def grow(n):
        for _ in range(n):
            measure = offer(roadmap, lead_organisation=town, responsible_person=f.PersonFactory())
            measure.partners.add(f.OrganisationFactory(kind="city"))

    # measures counted, the page of measures (roadmap, organisation, lead, contact joined), their links, the
    # municipalities of the filter
    links = 1 if "links" in {f.name for f in Measure._meta.get_fields()} else 0
    assert_flat(client, reverse("measures:participate"), grow, django_assert_num_queries, 3 + links, sizes=(3, 25))
    # and the roadmap first
    url = reverse("measures:roadmap-participate", args=[roadmap.slug])
    assert_flat(client, url, grow, django_assert_num_queries, 4 + links, sizes=(3, 25))


def test_my_participation_queries_are_flat(client, personas, roadmap, django_assert_num_queries):
    me = personas.people["citizen"]
    personas.login(client, "citizen")

    def grow(n):
        for _ in range(n):
            proposal = mf.ProposalFactory(roadmap=roadmap, author=me, status="published")
            ProposalSupport.objects.create(proposal=mf.ProposalFactory(roadmap=roadmap, status="published"), person=me)
            mf.CommentFactory(measure=offer(roadmap), author=me)
            ProposalSupport.objects.create(proposal=proposal, person=f.PersonFactory())

    # the session, the person, proposals with supports counted, comments with their measure, supports, the places at
    # events to come
    assert_flat(client, reverse("measures:my-participation"), grow, django_assert_num_queries, 6, sizes=(3, 20))


def test_my_area_lists_my_places_at_events_to_come(client, personas):
    from events.models import Registration
    from tests.events.factories import EventFactory, RegistrationFactory, in_days

    me = personas.people["citizen"]
    soon = RegistrationFactory(person=me, event=EventFactory(network=personas.network, starts_at=in_days(3)))
    RegistrationFactory(person=me, event=EventFactory(network=personas.network, starts_at=in_days(-3)))  # past
    cancelled = RegistrationFactory(
        person=me, event=EventFactory(network=personas.network), status=Registration.Status.CANCELLED
    )
    personas.login(client, "citizen")
    response = client.get(reverse("measures:my-participation"))
    assert response.context["registrations"] == [soon]
    assert cancelled not in response.context["registrations"]


def test_editors_set_the_cost_for_citizens(client, personas):
    from tests.measures.test_editor import _measure_data

    organisation = personas.people["editor"].organisation_roles.get().organisation
    roadmap = mf.RoadmapFactory(organisation=organisation)
    measure = mf.MeasureFactory(roadmap=roadmap, code="M-01")
    personas.login(client, "editor")
    edit = reverse("measures:measure-edit", args=[roadmap.slug, measure.pk])
    assert 'name="citizen_cost"' in client.get(edit).content.decode()
    data = _measure_data(code="M-01", how_to_take_part=TAKE_PART, citizen_cost=Cost.LOW, published="on")
    assert client.post(edit, data).status_code == 302
    measure.refresh_from_db()
    assert measure.citizen_cost == Cost.LOW
    response = client.get(reverse("measures:roadmap-participate", args=[roadmap.slug]), {"kosten": Cost.MEDIUM})
    assert titles(response) == [measure.title]
    assert capfirst(de("low (up to 100 euros)")) in response.content.decode()


# --- The proposal list and the events FAQ: networks.filtering, as every list -----------------------------------


def test_the_proposal_list_ignores_an_unknown_value_with_a_note(client, roadmap):
    from measures.models import Moderation

    mf.ProposalFactory(roadmap=roadmap, title="Radwege", sector=Sector.MOBILITY, status=Moderation.PUBLISHED)
    mf.ProposalFactory(roadmap=roadmap, title="Balkonkraftwerke", sector=Sector.HOUSEHOLDS, status="published")
    url = reverse("measures:proposal-list", args=[roadmap.slug])
    response = client.get(url, {"sector": [Sector.MOBILITY], "state": "<b>fertig</b>", "order": "zufall"})
    assert response.status_code == 200
    assert len(response.context["filter_notes"]) == 2
    content = response.content.decode()
    assert "Radwege" in content and "Balkonkraftwerke" not in content  # the known sector still filters
    assert "<b>fertig</b>" not in content and "&lt;b&gt;fertig&lt;/b&gt;" in content
    assert client.get(url, {"sector": Sector.MOBILITY}).context["filter_notes"] == []


def test_the_events_faq_ignores_an_unknown_topic_with_a_note(client, personas):
    from django.utils import timezone

    from tests.events.factories import QuestionFactory

    answered = QuestionFactory(event__network=personas.network, answer="Ja.", answered_at=timezone.now())
    personas.login(client, "member")
    url = reverse("events:faq", args=[personas.network.slug])
    response = client.get(url, {"topic": "999999"})
    assert response.status_code == 200
    assert len(response.context["filter_notes"]) == 1 and "999999" in response.context["filter_notes"][0]
    assert answered.text in response.content.decode()


def test_the_demo_has_english_summaries_for_measures_of_dueren():
    """measures.demo: a few Düren measures carry the editors' English summary (the English pages show it)."""
    from measures import demo

    codes = {spec.code for spec in demo.DUEREN_MEASURES}
    assert len(demo.SUMMARIES_EN) >= 5 and set(demo.SUMMARIES_EN) <= codes
    assert all(0 < len(text) <= Measure._meta.get_field("summary_en").max_length for text in demo.SUMMARIES_EN.values())
