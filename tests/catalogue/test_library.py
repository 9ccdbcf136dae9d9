"""The measure library (issue 17 §1): offering a measure and keeping its entry in step, withdrawing it, curated
entries with history, "Copy into my roadmap" with its lineage on both sides, the library page's filters and sorts,
the entry page's adoptions and whom to ask, the search, every persona on every page, and flat query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from measures.catalogue import selectors, services
from measures.catalogue.models import Adoption, LibraryEntry
from measures.catalogue.search import entry_document
from measures.models import Measure, Milestone, Sector
from networks.models import NetworkRole, Person
from networks.search import scopes
from tests.catalogue.factories import AdoptionFactory, LibraryEntryFactory
from tests.conftest import PERSONAS
from tests.helpers import messages_of
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, MilestoneFactory, RoadmapFactory
from tests.monitoring.factories import IndicatorFactory, IndicatorValueFactory
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    """English pages (/en/...): assertions read the source strings."""
    with translation.override("en"):
        return reverse(f"catalogue:{name}", args=list(args))


def _measure_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"measures:{name}", args=list(args))


@pytest.fixture
def editor(personas):
    return personas.people["editor"]


@pytest.fixture
def source(editor):
    """A published measure of Kreis Düren with internal fields, a responsible person and milestones."""
    organisation = editor.organisation_roles.get().organisation
    organisation.name, organisation.kind, organisation.population = "Kreis Düren", "county", 265_000
    organisation.save()
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")
    measure = MeasureFactory(
        roadmap=roadmap,
        code="PH-01",
        title="PV auf Kreisliegenschaften",
        summary="Alle Dächer der Kreisverwaltung",
        description="Solarkataster, dann Ausschreibung.",
        target_groups="Verwaltung",
        cost_estimate=Decimal("400000"),
        funding_programme="progres.nrw",
        effect_expected=Decimal("300"),
        effect_method="kWp × Ertrag",
        internal_fields=["target_groups"],
        internal_note="GEHEIM-NOTIZ",
        responsible_person=editor,
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
    )
    MilestoneFactory(measure=measure, title="Kataster ausgewertet", due_date=date(2025, 4, 1))
    MilestoneFactory(measure=measure, title="Ausschreibung", due_date=date(2026, 1, 15))
    return measure


@pytest.fixture
def adopter():
    """An editor of Stadt Troisdorf with a roadmap."""
    person = f.OrganisationRoleFactory(
        person__name="Troisdorf Redaktion",
        organisation__name="Stadt Troisdorf",
        organisation__kind="city",
        organisation__population=75_000,
        organisation__state="NW",
    ).person
    roadmap = RoadmapFactory(organisation=person.organisation_roles.get().organisation, slug="stadt-troisdorf")
    return person, roadmap


def _offer(client, measure):
    return client.post(
        reverse("catalogue:measure-offer", args=[measure.roadmap.slug, measure.pk]), {"offer": "1"}, follow=False
    )


# --- Offering, keeping in step, withdrawing --------------------------------------------------------------


def test_editor_offers_a_measure_with_the_travelling_fields_only(client, personas, source):
    personas.login(client, "editor")
    response = _offer(client, source)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/massnahmen/{source.pk}/#library")
    entry = LibraryEntry.objects.get(source_measure=source)
    assert entry.published and entry.offered
    assert (entry.title, entry.source_code, entry.source_organisation_id) == (
        "PV auf Kreisliegenschaften",
        "PH-01",
        source.roadmap.organisation_id,
    )
    assert entry.cost_low == entry.cost_high == Decimal("400000")
    assert entry.funding == "progres.nrw"
    assert entry.target_groups == ""  # marked internal: stays behind
    assert entry.milestone_template == [
        {"title": "Kataster ausgewertet", "months": 3},
        {"title": "Ausschreibung", "months": 12},
    ]
    assert entry.effect_band == "large" and entry.cost_band == "high"
    assert entry.effect_per_keur == pytest.approx(0.75)
    values = " ".join(str(v) for v in LibraryEntry.objects.filter(pk=entry.pk).values().get().values())
    assert "GEHEIM-NOTIZ" not in values and str(personas.people["editor"].name) not in values
    assert entry.history.count() == 1 and entry.history.get().history_user == personas.people["editor"].user


def test_the_entry_follows_its_measure_and_hides_while_it_is_not_public(source, editor):
    entry = services.entry_offer(measure=source, by=editor)
    source.title = "PV auf allen Kreisdächern"
    source.save()
    entry.refresh_from_db()
    assert entry.title == "PV auf allen Kreisdächern"
    MilestoneFactory(measure=source, title="Inbetriebnahme", due_date=date(2027, 1, 1))
    entry.refresh_from_db()
    assert [step["title"] for step in entry.milestone_template][-1] == "Inbetriebnahme"
    source.published = False
    source.save()
    entry.refresh_from_db()
    assert entry.offered and not entry.published
    source.published = True
    source.save()
    entry.refresh_from_db()
    assert entry.published


def test_an_unpublished_measure_cannot_be_offered(client, personas, source):
    source.published = False
    source.save()
    personas.login(client, "editor")
    response = _offer(client, source)
    assert response.status_code == 302
    assert not LibraryEntry.objects.exists()
    assert any("published" in m or "veröffentlicht" in m for m in messages_of(response))


def test_withdrawing_keeps_the_adoptions_and_the_adopter_sees_it_withdrawn(client, personas, source, editor, adopter):
    entry = services.entry_offer(measure=source, by=editor)
    person, roadmap = adopter
    copy = services.entry_adopt(entry=entry, roadmap=roadmap, by=person)
    personas.login(client, "editor")
    response = client.post(reverse("catalogue:measure-offer", args=[source.roadmap.slug, source.pk]), {"offer": "0"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.published and entry.withdrawn_at is not None and entry.is_withdrawn
    assert Adoption.objects.filter(entry=entry, measure=copy).exists()
    client.force_login(person.user)
    page = client.get(_measure_url("measure-edit", roadmap.slug, copy.pk))
    assert "entry withdrawn" in page.content.decode()
    assert client.get(_url("entry", entry.slug)).status_code == 404  # not for other organisations


def test_offer_switch_permissions(client, personas, source):
    url = reverse("catalogue:measure-offer", args=[source.roadmap.slug, source.pk])
    expected = {"anonymous": 302, "citizen": 403, "member": 403, "coordinator": 403, "other_network": 403}
    for who, status in expected.items():
        client.logout()
        personas.login(client, who)
        assert client.post(url, {"offer": "1"}).status_code == status, who
    assert not LibraryEntry.objects.exists()
    client.logout()
    personas.login(client, "staff")
    assert client.post(url, {"offer": "1"}).status_code == 302
    assert client.post(url, {"offer": "vielleicht"}).status_code == 302  # a bad value changes nothing
    assert LibraryEntry.objects.get().published
    assert client.get(url).status_code == 405


# --- Copy into my roadmap ----------------------------------------------------------------------------------


def test_copy_into_my_roadmap_makes_a_draft_with_lineage_on_both_sides(client, personas, source, editor, adopter):
    entry = services.entry_offer(measure=source, by=editor)
    person, roadmap = adopter
    client.force_login(person.user)
    form = client.get(_url("entry-adopt", entry.slug))
    assert form.status_code == 200 and roadmap.title in form.content.decode()
    response = client.post(_url("entry-adopt", entry.slug), {"roadmap": roadmap.pk})
    copy = Measure.objects.get(roadmap=roadmap)
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:measure-edit", args=[roadmap.slug, copy.pk])
    assert (copy.code, copy.title, copy.published, copy.status) == ("PH-01", source.title, False, "not_started")
    assert copy.target_groups == "" and copy.responsible_person is None and "GEHEIM" not in copy.internal_note
    assert list(copy.milestones.values_list("title", flat=True)) == ["Kataster ausgewertet", "Ausschreibung"]
    assert copy.milestones.first().due_date == timezone.localdate() + timedelta(days=0) + _months(3)
    adoption = Adoption.objects.get(measure=copy)
    assert (adoption.entry, adoption.organisation_id, adoption.created_by) == (entry, roadmap.organisation_id, person)
    assert copy.history.first().history_user == person.user
    # the lineage on the copy's editor page and (once published) on its public page
    editor_page = client.get(_measure_url("measure-edit", roadmap.slug, copy.pk)).content.decode()
    assert "Based on the library entry" in editor_page and entry.get_absolute_url() in editor_page
    assert "PH-01, Kreis Düren" in editor_page
    copy.published = True
    copy.save()
    client.logout()
    public = client.get(copy.get_absolute_url()).content.decode()
    assert "PH-01, Kreis Düren" in public and entry.get_absolute_url() in public
    # the source: its public page and the entry show the adoption
    assert "1 organisation copied it" in client.get(source.get_absolute_url()).content.decode()
    entry_page = client.get(_url("entry", entry.slug)).content.decode()
    assert copy.get_absolute_url() in entry_page and "Stadt Troisdorf" in entry_page


def _months(n):
    from dateutil.relativedelta import relativedelta

    return relativedelta(months=n)


def test_a_second_copy_gets_a_free_code(source, editor, adopter):
    entry = services.entry_offer(measure=source, by=editor)
    person, roadmap = adopter
    first = services.entry_adopt(entry=entry, roadmap=roadmap, by=person)
    second = services.entry_adopt(entry=entry, roadmap=roadmap, by=person)
    assert (first.code, second.code) == ("PH-01", "PH-01-2")


def test_copy_permissions_and_bad_input(client, personas, adopter):
    entry = LibraryEntryFactory()
    person, roadmap = adopter
    url = _url("entry-adopt", entry.slug)
    for who, status in {"anonymous": 302, "citizen": 403, "member": 403, "other_network": 403}.items():
        client.logout()
        personas.login(client, who)
        assert client.get(url).status_code == status, who
    client.force_login(person.user)
    foreign = RoadmapFactory()  # a roadmap the editor does not edit
    response = client.post(url, {"roadmap": foreign.pk})
    assert response.status_code == 400 and not Measure.objects.exists()
    assert client.post(url, {"roadmap": "x"}).status_code == 400
    withdrawn = LibraryEntryFactory(published=False, withdrawn_at=timezone.now())
    assert client.post(_url("entry-adopt", withdrawn.slug), {"roadmap": roadmap.pk}).status_code == 404
    assert not Adoption.objects.exists()


# --- Curated entries -----------------------------------------------------------------------------------------


CURATED = {
    "title": "Klimacheck für Ratsvorlagen",
    "summary": "Jede Vorlage sagt, wie sie aufs Klima wirkt.",
    "description": "- Checkliste\n- Schulung",
    "sector": Sector.ADMINISTRATION,
    "target_groups": "Verwaltung, Rat",
    "participation_level": "",
    "cost_low": "2000",
    "cost_high": "8000",
    "funding": "",
    "effect_low": "",
    "effect_expected": "",
    "effect_high": "",
    "effect_method": "",
    "effect_source": "",
    "milestones": "2: Checkliste beschlossen\n6: Erste Vorlagen mit Klimacheck",
    "published": "on",
}


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_curators_create_and_edit_entries_with_history(client, personas, who):
    personas.login(client, who)
    response = client.post(_url("entry-create"), CURATED)
    entry = LibraryEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.is_curated and entry.curator == personas.people[who] and entry.published
    assert entry.milestone_template[1] == {"title": "Erste Vorlagen mit Klimacheck", "months": 6}
    assert "<li>Checkliste</li>" in entry.description_html
    response = client.post(_url("entry-edit", entry.slug), {**CURATED, "title": "Klimacheck"})
    assert response.status_code == 302
    page = client.get(_url("entry-edit", entry.slug)).content.decode()
    assert page.count('class="history-entry"') == 2 and personas.people[who].name in page


def test_curated_form_bad_input_keeps_what_was_typed(client, personas):
    personas.login(client, "coordinator")
    bad = {**CURATED, "milestones": "bald: irgendwann", "cost_low": "9000", "summary": "Mein Text bleibt"}
    response = client.post(_url("entry-create"), bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mein Text bleibt" in body and "bald: irgendwann" in body
    assert not LibraryEntry.objects.exists()
    response = client.post(_url("entry-create"), {**CURATED, "description": "x" * 20_001})
    assert response.status_code == 400 and not LibraryEntry.objects.exists()


def test_curating_permissions(client, personas, source, editor):
    entry = LibraryEntryFactory()
    offered = services.entry_offer(measure=source, by=editor)
    for who in PERSONAS:
        client.logout()
        personas.login(client, who)
        expected = {"anonymous": 302, "coordinator": 200, "staff": 200}.get(who, 403)
        assert client.get(_url("entry-create")).status_code == expected, who
        assert client.get(_url("entry-edit", entry.slug)).status_code == expected, who
        # an offered entry follows its measure: nobody edits it here
        assert client.get(_url("entry-edit", offered.slug)).status_code in (302, 403), who


# --- The library page and the entry page ----------------------------------------------------------------------


def test_every_persona_reads_published_entries_only(client, personas):
    entry = LibraryEntryFactory(title="Öffentlicher Eintrag")
    draft = LibraryEntryFactory(title="Entwurf", published=False)
    for who in PERSONAS:
        client.logout()
        personas.login(client, who)
        page = client.get(_url("entry-list"))
        assert page.status_code == 200 and "Öffentlicher Eintrag" in page.content.decode(), who
        assert "Entwurf" not in page.content.decode(), who
        assert client.get(_url("entry", entry.slug)).status_code == 200, who
        expected = 200 if who in ("coordinator", "staff") else 404
        assert client.get(_url("entry", draft.slug)).status_code == expected, who


def _titles(client, query: str) -> list[str]:
    response = client.get(_url("entry-list") + query)
    assert response.status_code == 200
    return [entry.title for entry in response.context["page"].object_list]


def test_filters_and_sorting(client, adopter):
    _person, roadmap = adopter  # Stadt Troisdorf: 75,000 inhabitants, NW, city
    small = f.OrganisationFactory(name="Gemeinde Klein", population=4_000, state="RP")
    cheap = LibraryEntryFactory(title="Günstig", cost_low=1000, cost_high=3000, effect_expected=5, effect_low=None,
                                effect_high=None, source_organisation=small)  # fmt: skip
    dear = LibraryEntryFactory(title="Teuer", cost_low=2_000_000, cost_high=2_000_000, effect_expected=2000,
                               effect_low=None, effect_high=None, sector=Sector.MOBILITY)  # fmt: skip
    AdoptionFactory(entry=dear, measure=MeasureFactory(roadmap=roadmap, status="completed"))
    assert _titles(client, "?handlungsfeld=mobility") == ["Teuer"]
    assert _titles(client, "?kosten=low") == ["Günstig"]
    assert _titles(client, "?wirkung=vlarge") == ["Teuer"]
    assert _titles(client, "?groesse=50") == ["Günstig"]
    assert _titles(client, "?groesse=21&art=city&land=NW") == ["Teuer"]
    assert _titles(client, "?groesse=21&land=RP") == []
    assert _titles(client, "?erreicht=completed") == ["Teuer"]
    assert _titles(client, "?suche=günstig") == ["Günstig"]
    assert _titles(client, "?sortierung=uebernahmen")[0] == "Teuer"
    assert _titles(client, "?sortierung=wirkung-pro-euro") == ["Günstig", "Teuer"]  # 2.5 vs 1 t per 1,000 €
    assert _titles(client, "?sortierung=titel") == ["Günstig", "Teuer"]
    assert cheap.effect_band == "small"
    response = client.get(_url("entry-list") + "?handlungsfeld=weltraum&groesse=riesig")
    assert response.status_code == 200 and len(response.context["filter_notes"]) == 2
    assert client.get(_url("entry-list") + "?suche=" + "x" * 101).status_code == 400


def _library(size: int, roadmap) -> None:
    for n in range(size):
        entry = LibraryEntryFactory(source_organisation=roadmap.organisation, source_code=f"X-{n}")
        AdoptionFactory(entry=entry, measure=MeasureFactory(roadmap=roadmap))


@pytest.mark.parametrize("size", [2, 12])
def test_library_page_queries_do_not_grow(client, django_assert_num_queries, adopter, size):
    _library(size, adopter[1])
    # count, the page of entries with their adopters (anonymous: the curator check asks nothing)
    with django_assert_num_queries(2):
        assert client.get(_url("entry-list") + "?groesse=21&erreicht=in_progress").status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_signed_in_library_page_queries_do_not_grow(client, django_assert_num_queries, adopter, size):
    person, roadmap = adopter
    _library(size, roadmap)
    client.force_login(person.user)
    # count, the page of entries, whether the viewer curates (then remembered; whether they are a citizen comes with
    # the account from the cache)
    with django_assert_num_queries(3):
        assert client.get(_url("entry-list") + "?groesse=21&erreicht=in_progress").status_code == 200
    with django_assert_num_queries(0):  # then from the cache: the session, the flags and the page
        assert client.get(_url("entry-list") + "?groesse=21&erreicht=in_progress").status_code == 200


def test_signed_in_library_page_comes_from_the_cache_and_shows_changes_at_once(client, personas, adopter):
    """A signed-in editor's library page is kept per curator/staff/citizen flags under the library's version: a new
    adoption, a copy's new status and a coordinator's new role show on the next request."""
    person, roadmap = adopter
    entry = LibraryEntryFactory(title="Lastenrad-Verleih", source_organisation=f.OrganisationFactory())
    client.force_login(person.user)
    url = _url("entry-list")

    def fresh(query: str = ""):
        response = client.get(url + query)
        assert response.status_code == 200 and response.context is not None  # rendered afresh
        return response

    assert fresh().context["page"].object_list[0].adopter_count == 0
    cached = client.get(url)
    assert cached.context is None and "Lastenrad-Verleih" in cached.content.decode()
    copy = MeasureFactory(roadmap=roadmap, status=Measure.Status.PLANNED)
    AdoptionFactory(entry=entry, measure=copy, organisation=roadmap.organisation)
    assert fresh().context["page"].object_list[0].adopter_count == 1  # a new adoption: at once
    assert list(fresh("?erreicht=completed").context["page"].object_list) == []
    copy.status = Measure.Status.COMPLETED
    copy.save()  # the copy's status travels to the entry's stored flags
    assert [e.title for e in fresh("?erreicht=completed").context["page"].object_list] == ["Lastenrad-Verleih"]
    assert list(fresh("?erreicht=in_progress").context["page"].object_list) == []
    assert "New library entry" not in client.get(url).content.decode()
    f.NetworkRoleFactory(person=person, role=NetworkRole.Role.COORDINATOR)  # now a curator: the button at once
    assert "New library entry" in client.get(url).content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_entry_page_queries_do_not_grow(client, django_assert_num_queries, adopter, size):
    person, roadmap = adopter
    entry = LibraryEntryFactory(source_organisation=roadmap.organisation)
    for _n in range(size):
        measure = MeasureFactory(roadmap=RoadmapFactory())
        MeasureUpdateFactory(measure=measure)
        AdoptionFactory(entry=entry, measure=measure)
        indicator = IndicatorFactory(roadmap=measure.roadmap)
        indicator.measures.add(measure)
        IndicatorValueFactory(indicator=indicator)
    client.force_login(person.user)
    # entry; adoptions; their public progress reports; the viewer's organisations; monitoring: the linked public
    # indicators and their values; whom to ask: the editors of the organisation of origin (one query with
    # subqueries), else the coordinators; roadmaps to copy into (exists)
    with django_assert_num_queries(9):
        assert client.get(_url("entry", entry.slug)).status_code == 200


def test_entry_page_shows_public_adopters_by_name_and_others_anonymously(client, source, editor, adopter):
    entry = services.entry_offer(measure=source, by=editor)
    person, roadmap = adopter
    public_copy = services.entry_adopt(entry=entry, roadmap=roadmap, by=person)
    public_copy.published, public_copy.cost_estimate = True, Decimal("123456")
    public_copy.save()
    hidden_roadmap = RoadmapFactory(published=False, title="Geheime Roadmap")
    AdoptionFactory(entry=entry, measure=MeasureFactory(roadmap=hidden_roadmap, cost_estimate=999_999))
    internal = MeasureFactory(roadmap=RoadmapFactory(), cost_estimate=777_777, internal_fields=["cost_estimate"])
    AdoptionFactory(entry=entry, measure=internal)
    body = client.get(_url("entry", entry.slug)).content.decode()
    assert "Stadt Troisdorf" in body and "123,456" in body or "123.456" in body
    assert "Geheime Roadmap" not in body and "999" not in body and "777" not in body
    assert "another municipality" in body
    assert "3 organisations" in body


def test_entry_page_shows_the_indicators_of_public_copies(client):
    entry = LibraryEntryFactory()
    public = MeasureFactory(roadmap=RoadmapFactory())
    hidden = MeasureFactory(roadmap=RoadmapFactory(), published=False)
    for measure, name in ((public, "Lastenrad-Ausleihen"), (hidden, "Geheimer Zähler")):
        AdoptionFactory(entry=entry, measure=measure)
        indicator = IndicatorFactory(roadmap=measure.roadmap, name=name, unit="Ausleihen")
        indicator.measures.add(measure)
        IndicatorValueFactory(indicator=indicator, year=2024, value=100)
        IndicatorValueFactory(indicator=indicator, year=2025, value=1234)
    body = client.get(_url("entry", entry.slug)).content.decode()
    assert "Lastenrad-Ausleihen: 1,234 Ausleihen (2025)" in body
    assert "Geheimer Zähler" not in body


# --- Whom to ask ----------------------------------------------------------------------------------------------


def test_whom_to_ask_follows_contact_visibility(personas, source, editor):
    entry = services.entry_offer(measure=source, by=editor)
    network = personas.network
    assert selectors.whom_to_ask(entry, personas.user("anonymous")) == {"editors": [], "coordinators": []}
    member = personas.people["member"]
    # the editor shares no network with the member and lets only members see the contact: the coordinator
    # of a network shared with the organisation of origin is named instead
    f.MembershipFactory(network=network, organisation=source.roadmap.organisation)
    found = selectors.whom_to_ask(entry, member.user)
    assert found["editors"] == []
    assert [role.person for role in found["coordinators"]] == [personas.people["coordinator"]]
    f.NetworkRoleFactory(network=network, person=editor)  # now they share the network
    assert selectors.whom_to_ask(entry, member.user)["editors"] == [editor]
    Person.objects.filter(pk=editor.pk).update(contact_visibility=Person.ContactVisibility.NOBODY)
    assert selectors.whom_to_ask(entry, member.user)["editors"] == []
    Person.objects.filter(pk=editor.pk).update(contact_visibility=Person.ContactVisibility.PUBLIC)
    outsider = personas.people["other_network"]
    assert selectors.whom_to_ask(entry, outsider.user)["editors"] == [editor]
    assert NetworkRole.objects.filter(person=editor).exists()


# --- For the comparison, and the search -------------------------------------------------------------------------


def test_entries_adopted_by(source, editor, adopter):
    entry = services.entry_offer(measure=source, by=editor)
    person, roadmap = adopter
    copy = services.entry_adopt(entry=entry, roadmap=roadmap, by=person)
    LibraryEntryFactory()  # adopted by nobody
    found = selectors.entries_adopted_by([roadmap.organisation])
    assert found == [entry]
    assert [a.measure for a in found[0].adopted_by] == [copy] and found[0].adopted_by[0].is_public is False
    assert selectors.entries_adopted_by([roadmap.organisation.pk]) == [entry]
    assert selectors.entries_adopted_by([source.roadmap.organisation]) == []


def test_search_documents_are_public_and_withdrawn_entries_leave(source, editor):
    entry = services.entry_offer(measure=source, by=editor)
    document = entry_document(entry)
    assert document.scopes == frozenset({scopes.PUBLIC}) and "PH-01" in document.body
    assert "GEHEIM" not in document.body
    services.entry_withdraw(measure=source, by=editor)
    entry.refresh_from_db()
    assert entry_document(entry) is None


def test_milestone_template_survives_a_deleted_source(source, editor):
    entry = services.entry_offer(measure=source, by=editor)
    Milestone.objects.filter(measure=source).delete()
    source.delete()
    entry.refresh_from_db()
    assert entry.source_measure is None and entry.source_code == "PH-01" and entry.origin_label
