"""Editor pages of a roadmap (issue 4 §1–§2): permission matrices, bad input, IDOR, history, bulk status,
milestones that make a measure late, and flat query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from measures.models import Measure, MeasureUpdate, Milestone, Moderation, Roadmap, Sector
from networks.models import Person
from tests.conftest import PERSONAS
from tests.events.factories import EventFactory
from tests.helpers import messages_of
from tests.measures.factories import (
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    ProposalFactory,
    RoadmapFactory,
)
from tests.networks import factories as f

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, "other_editor"]  # plus an editor of ANOTHER organisation
EDITORS = ("editor", "staff")


def _url(name: str, *args) -> str:
    """English pages (/en/...): assertions read the source strings."""
    with translation.override("en"):
        return reverse(f"measures:{name}", args=list(args))


def _login(client, personas, who: str) -> None:
    if who == "other_editor":
        client.force_login(f.OrganisationRoleFactory(person__name="Andere Redaktion").person.user)
    else:
        personas.login(client, who)


@pytest.fixture
def editor(personas):
    return personas.people["editor"]


@pytest.fixture
def organisation(editor):
    return editor.organisation_roles.get().organisation


@pytest.fixture
def roadmap(organisation):
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def hidden_roadmap(organisation):
    return RoadmapFactory(organisation=organisation, slug="entwurf", published=False)


@pytest.fixture
def measure(roadmap):
    return MeasureFactory(roadmap=roadmap, code="M-01", title="Solaroffensive Kreishaus")


@pytest.fixture
def foreign_measure(db):
    """A measure of another organisation's roadmap."""
    return MeasureFactory(roadmap=RoadmapFactory(), code="X-01", title="Fremde Maßnahme")


def _expected(persona: str, *, published: bool, ok: int = 200) -> int:
    if persona == "anonymous":
        return 302
    if persona in EDITORS:
        return ok
    return 403 if published else 404


def _measure_data(**overrides) -> dict:
    data = {
        "code": "M-99",
        "title": "Kommunale Wärmeplanung",
        "sector": Sector.BUILDINGS_HEAT,
        "summary": "Wärmeplan für alle Kommunen des Kreises",
        "description": "",
        "objectives": "",
        "target_groups": "",
        "status": Measure.Status.PLANNED,
        "priority": Measure.Priority.HIGH,
        "start": "2025-01-01",
        "end": "2027-06-30",
        "late_override_reason": "",
        "lead_organisation": "",
        "responsible_person": "",
        "responsible_body": "Kreistag",
        "cost_estimate": "250000",
        "funding_programme": "NKI",
        "funding_amount": "",
        "funding_status": "",
        "funding_deadline": "",
        "effect_expected": "1200",
        "effect_low": "800",
        "effect_high": "1500",
        "effect_method": "",
        "effect_source": "",
        "qualitative_effect": "",
        "participation_level": "",
        "how_to_take_part": "",
        "plain_language_summary": "",
        "origin": Measure.Origin.ADMINISTRATION,
        "origin_event": "",
        "origin_proposal": "",
        "internal_note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _sheet(measure: Measure) -> dict:
    """What a failed form must leave untouched."""
    measure.refresh_from_db()
    return {
        "title": measure.title,
        "status": measure.status,
        "end": measure.end,
        "code": measure.code,
        "effect_low": measure.effect_low,
        "internal_fields": measure.internal_fields,
        "history": measure.history.count(),
    }


# --- Permission matrices: every view × every persona ------------------------------------------------

GET_VIEWS = ["editor-dashboard", "roadmap-edit", "measure-create", "measure-edit", "milestones-edit", "measure-history"]


def _args(name: str, roadmap: Roadmap, measure: Measure | None) -> list:
    return (
        [roadmap.slug, measure.pk] if name in ("measure-edit", "milestones-edit", "measure-history") else [roadmap.slug]
    )


@pytest.mark.parametrize("name", GET_VIEWS)
@pytest.mark.parametrize("persona", EVERYONE)
def test_get_views_on_published_roadmap(client, personas, roadmap, measure, name, persona):
    _login(client, personas, persona)
    response = client.get(_url(name, *_args(name, roadmap, measure)))
    assert response.status_code == _expected(persona, published=True)
    if persona == "anonymous":
        assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize("name", GET_VIEWS)
@pytest.mark.parametrize("persona", EVERYONE)
def test_get_views_on_unpublished_roadmap(client, personas, hidden_roadmap, name, persona):
    measure = MeasureFactory(roadmap=hidden_roadmap, published=False)
    _login(client, personas, persona)
    response = client.get(_url(name, *_args(name, hidden_roadmap, measure)))
    assert response.status_code == _expected(persona, published=False)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("published", [True, False])
def test_measure_edit_post_matrix(client, personas, organisation, persona, published):
    roadmap = RoadmapFactory(organisation=organisation, published=published)
    measure = MeasureFactory(roadmap=roadmap, code="M-01", title="Alt")
    before = _sheet(measure)
    _login(client, personas, persona)
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), _measure_data(code="M-01", title="Neu"))
    assert response.status_code == _expected(persona, published=published, ok=302)
    measure.refresh_from_db()
    assert measure.title == ("Neu" if persona in EDITORS else before["title"])


@pytest.mark.parametrize("persona", EVERYONE)
def test_measure_create_post_matrix(client, personas, roadmap, persona):
    _login(client, personas, persona)
    response = client.post(_url("measure-create", roadmap.slug), _measure_data())
    assert response.status_code == _expected(persona, published=True, ok=302)
    assert roadmap.measures.filter(code="M-99").exists() is (persona in EDITORS)


@pytest.mark.parametrize("persona", EVERYONE)
def test_roadmap_edit_post_matrix(client, personas, roadmap, persona):
    _login(client, personas, persona)
    data = {"title": "Neuer Titel", "slug": roadmap.slug, "target_year": "2040", "licence": "CC0-1.0"}
    response = client.post(_url("roadmap-edit", roadmap.slug), data)
    assert response.status_code == _expected(persona, published=True, ok=302)
    roadmap.refresh_from_db()
    assert (roadmap.title == "Neuer Titel") is (persona in EDITORS)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("published", [True, False])
def test_update_create_matrix(client, personas, organisation, persona, published):
    roadmap = RoadmapFactory(organisation=organisation, published=published)
    measure = MeasureFactory(roadmap=roadmap)
    _login(client, personas, persona)
    data = {"update-date": date.today().isoformat(), "update-text": "Zehn Dächer belegt", "update-percent": "40"}
    response = client.post(_url("update-create", roadmap.slug, measure.pk), data)
    assert response.status_code == _expected(persona, published=published, ok=302)
    assert measure.updates.exists() is (persona in EDITORS)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("published", [True, False])
def test_milestones_post_matrix(client, personas, organisation, persona, published):
    roadmap = RoadmapFactory(organisation=organisation, published=published)
    measure = MeasureFactory(roadmap=roadmap)
    _login(client, personas, persona)
    response = client.post(
        _url("milestones-edit", roadmap.slug, measure.pk), _milestone_data(("Beschluss", "2030-01-01", ""))
    )
    assert response.status_code == _expected(persona, published=published, ok=302)
    assert measure.milestones.exists() is (persona in EDITORS)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("published", [True, False])
def test_bulk_status_matrix(client, personas, organisation, persona, published):
    roadmap = RoadmapFactory(organisation=organisation, published=published)
    measure = MeasureFactory(roadmap=roadmap, status=Measure.Status.PLANNED)
    _login(client, personas, persona)
    response = client.post(_url("bulk-status", roadmap.slug), {"measures": [measure.pk], "status": "completed"})
    assert response.status_code == _expected(persona, published=published, ok=302)
    measure.refresh_from_db()
    assert (measure.status == Measure.Status.COMPLETED) is (persona in EDITORS)


@pytest.mark.parametrize(
    ("name", "method"),
    [("bulk-status", "get"), ("update-create", "get"), ("measure-history", "post"), ("editor-dashboard", "post")],
)
def test_wrong_method(client, personas, roadmap, measure, name, method):
    personas.login(client, "editor")
    args = [roadmap.slug, measure.pk] if name in ("update-create", "measure-history") else [roadmap.slug]
    assert getattr(client, method)(_url(name, *args)).status_code == 405


# --- Creating and editing a roadmap -----------------------------------------------------------------

CREATE = {"anonymous": 302, "citizen": 403, "other_network": 403, "member": 403, "coordinator": 403}


@pytest.mark.parametrize("persona", EVERYONE)
def test_roadmap_create_matrix(client, personas, persona):
    _login(client, personas, persona)
    assert client.get(_url("roadmap-create")).status_code == CREATE.get(persona, 200)


def test_roadmap_create_offers_only_the_organisations_one_edits(client, personas, organisation):
    other = f.OrganisationFactory(name="Stadt Dortmund")
    personas.login(client, "editor")
    choices = list(client.get(_url("roadmap-create")).context["form"].fields["organisation"].queryset)
    assert choices == [organisation]
    data = {
        "organisation": other.pk,
        "title": "Klima-Luft 2030",
        "slug": "",
        "target_year": "2030",
        "licence": "CC0-1.0",
    }
    response = client.post(_url("roadmap-create"), data)
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Roadmap.objects.exists()


def test_staff_may_create_for_any_organisation(client, personas):
    other = f.OrganisationFactory(name="Stadt Dortmund")
    personas.login(client, "staff")
    data = {
        "organisation": other.pk,
        "title": "Klima-Luft 2030",
        "slug": "",
        "target_year": "2030",
        "licence": "CC0-1.0",
    }
    response = client.post(_url("roadmap-create"), data)
    roadmap = Roadmap.objects.get()
    assert (roadmap.organisation, roadmap.slug, roadmap.published) == (other, "klima-luft-2030", False)
    data = {**data, "title": "Klimaschutzprogramm Köln", "slug": ""}
    client.post(_url("roadmap-create"), data)
    assert Roadmap.objects.filter(slug="klimaschutzprogramm-koeln").exists()  # umlauts as in measure addresses
    assert response["Location"] == _url("editor-dashboard", "klima-luft-2030")


def test_editor_creates_a_roadmap(client, personas, organisation):
    personas.login(client, "editor")
    data = {
        "organisation": organisation.pk,
        "title": "Klimaschutzprogramm",
        "slug": "mein-programm",
        "target_year": "2035",
        "baseline_year": "2019",
        "baseline_emissions": "1200000",
        "description": "Bis 2035 klimaneutral.",
        "licence": "dl-de/by-2-0",
        "published": "on",
    }
    assert client.post(_url("roadmap-create"), data).status_code == 302
    roadmap = Roadmap.objects.get(slug="mein-programm")
    assert (roadmap.organisation, roadmap.target_year, roadmap.published) == (organisation, 2035, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "neu"}, "slug"),  # the create page's address
        ({"slug": "andere-roadmap"}, "slug"),  # taken
        ({"slug": "mit leerzeichen"}, "slug"),
        ({"baseline_year": "2040", "target_year": "2035"}, "baseline_year"),
        ({"target_year": "1999"}, "target_year"),
        ({"baseline_emissions": "-5"}, "baseline_emissions"),
        ({"title": ""}, "title"),
    ],
)
def test_roadmap_edit_bad_input(client, personas, roadmap, changes, field):
    RoadmapFactory(slug="andere-roadmap")
    personas.login(client, "editor")
    data = {"title": "Geändert", "slug": roadmap.slug, "target_year": "2035", "licence": "CC0-1.0", **changes}
    response = client.post(_url("roadmap-edit", roadmap.slug), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    roadmap.refresh_from_db()
    assert (roadmap.title, roadmap.slug) == ("Klima-Roadmap Kreis Düren", "kreis-dueren")


def test_roadmap_edit_moves_the_address(client, personas, roadmap):
    personas.login(client, "editor")
    data = {"title": roadmap.title, "slug": "kreis-dueren-2035", "target_year": "2035", "licence": "CC0-1.0"}
    response = client.post(_url("roadmap-edit", roadmap.slug), data)
    assert response["Location"] == _url("editor-dashboard", "kreis-dueren-2035")
    roadmap.refresh_from_db()
    assert roadmap.organisation.roles.exists()  # the organisation is not part of the edit form
    assert roadmap.slug == "kreis-dueren-2035"


# --- The measure sheet ------------------------------------------------------------------------------


def test_create_measure_with_partners_and_internal_fields(client, personas, roadmap, editor):
    partner = f.OrganisationFactory(name="Stadtwerke Düren")
    lead = f.OrganisationFactory(name="Energieagentur")
    personas.login(client, "editor")
    data = _measure_data(
        partners=[partner.pk], lead_organisation=lead.pk, internal_fields=["cost_estimate", "funding"], published="on"
    )
    response = client.post(_url("measure-create", roadmap.slug), data)
    measure = roadmap.measures.get(code="M-99")
    assert response["Location"] == _url("measure-edit", roadmap.slug, measure.pk)
    assert list(measure.partners.all()) == [partner]
    assert measure.lead_organisation == lead
    assert measure.internal_fields == ["cost_estimate", "funding"]
    assert measure.slug == "m-99-kommunale-waermeplanung"
    assert {r.history_user for r in measure.history.all()} == {editor.user}  # the sheet, then its partners


def test_measure_form_shows_plain_labels_and_fieldsets(client, personas, roadmap, measure):
    personas.login(client, "editor")
    page = client.get(_url("measure-edit", roadmap.slug, measure.pk)).text
    for legend in ("Basics", "Timing and status", "Responsibility", "Funding and costs", "Effect", "Participation"):
        assert f"<legend>{legend}</legend>" in page
    assert "<legend>Origin</legend>" in page and "<legend>Visibility</legend>" in page
    assert "Costs internal" in page and "Partners internal" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2026-01-01", "end": "2025-01-01"}, "end"),
        ({"effect_low": "1300", "effect_expected": "1200"}, "effect_low"),
        ({"effect_high": "1100", "effect_expected": "1200"}, "effect_high"),
        ({"effect_low": "900", "effect_high": "800", "effect_expected": ""}, "effect_high"),
        ({"continuous": "on", "end": "2027-06-30"}, "end"),
        ({"code": "M-02"}, "code"),  # taken in this roadmap
        ({"code": ""}, "code"),
        ({"cost_estimate": "-1"}, "cost_estimate"),
        ({"end": "31.02.2027"}, "end"),
        ({"status": "late"}, "status"),
        ({"internal_fields": ["internal_note"]}, "internal_fields"),
        ({"show_on_time": "on", "late_override_reason": "  "}, "late_override_reason"),
        ({"origin": "administration", "origin_event": "EVENT"}, "origin_event"),
        ({"origin": "workshop", "origin_proposal": "PROPOSAL"}, "origin_proposal"),
        ({"origin": "proposal", "origin_proposal": "PENDING"}, "origin_proposal"),
        ({"partners": ["999999"]}, "partners"),
        ({"effect_expected": "1" * 20}, "effect_expected"),
    ],
)
def test_measure_edit_bad_input_changes_nothing(client, personas, roadmap, measure, organisation, changes, field):
    MeasureFactory(roadmap=roadmap, code="M-02")
    network = f.MembershipFactory(organisation=organisation).network
    event = EventFactory(network=network, starts_at=timezone.now() - timedelta(days=30))
    published = ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED)
    pending = ProposalFactory(roadmap=roadmap)
    links = {"EVENT": event.pk, "PROPOSAL": published.pk, "PENDING": pending.pk}
    changes = {key: links.get(value, value) if isinstance(value, str) else value for key, value in changes.items()}
    before = _sheet(measure)
    personas.login(client, "editor")
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), _measure_data(**{"code": "M-01", **changes}))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert _sheet(measure) == before


def test_measure_create_bad_input_writes_nothing(client, personas, roadmap):
    personas.login(client, "editor")
    response = client.post(_url("measure-create", roadmap.slug), _measure_data(start="2027-01-01", end="2026-01-01"))
    assert response.status_code == 400
    assert "end" in response.context["form"].errors
    assert not roadmap.measures.exists()
    assert not Measure.history.exists()


def test_same_code_in_another_roadmap_is_fine(client, personas, roadmap, foreign_measure):
    personas.login(client, "editor")
    assert client.post(_url("measure-create", roadmap.slug), _measure_data(code="X-01")).status_code == 302


def test_responsible_person_from_the_lead_organisation_chosen_in_the_same_step(client, personas, roadmap, measure):
    lead = f.OrganisationFactory(name="Stadtwerke Düren")
    public = Person.ContactVisibility.PUBLIC
    person = f.PersonFactory(organisation=lead, name="Netzplanerin", contact_visibility=public)
    stranger = f.PersonFactory(name="Fremde Person", contact_visibility=public)
    personas.login(client, "editor")
    url = _url("measure-edit", roadmap.slug, measure.pk)
    refused = client.post(url, _measure_data(code="M-01", lead_organisation=lead.pk, responsible_person=stranger.pk))
    assert "responsible_person" in refused.context["form"].errors
    client.post(url, _measure_data(code="M-01", lead_organisation=lead.pk, responsible_person=person.pk))
    measure.refresh_from_db()
    assert (measure.lead_organisation, measure.responsible_person) == (lead, person)


def test_origin_links_are_kept(client, personas, roadmap, measure, organisation):
    network = f.MembershipFactory(organisation=organisation).network
    event = EventFactory(network=network, title="Auftaktworkshop", starts_at=timezone.now() - timedelta(days=60))
    proposal = ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED)
    personas.login(client, "editor")
    client.post(
        _url("measure-edit", roadmap.slug, measure.pk),
        _measure_data(code="M-01", origin="workshop", origin_event=event.pk),
    )
    measure.refresh_from_db()
    assert (measure.origin, measure.origin_event) == ("workshop", event)
    data = _measure_data(code="M-01", origin="proposal", origin_proposal=proposal.pk)
    client.post(_url("measure-edit", roadmap.slug, measure.pk), data)
    measure.refresh_from_db()
    assert (measure.origin, measure.origin_event, measure.origin_proposal) == ("proposal", None, proposal)


def test_origin_event_choices_are_bounded(client, personas, roadmap, measure, organisation, editor):
    own = f.MembershipFactory(organisation=organisation).network
    hosted = f.NetworkFactory(host=organisation)
    mine = f.NetworkRoleFactory(person=editor).network
    now = timezone.now()
    expected = {
        EventFactory(network=own, starts_at=now - timedelta(days=100)),
        EventFactory(network=hosted, starts_at=now + timedelta(days=20)),
        EventFactory(network=mine, starts_at=now - timedelta(days=400)),
    }
    EventFactory(network=f.NetworkFactory(), starts_at=now - timedelta(days=10))  # unrelated network
    EventFactory(network=own, starts_at=now - timedelta(days=365 * 8))  # too long ago
    EventFactory(network=own, starts_at=now + timedelta(days=500))  # too far ahead
    EventFactory(network=own, starts_at=now - timedelta(days=5), status=Event.Status.CANCELLED)
    personas.login(client, "editor")
    form = client.get(_url("measure-edit", roadmap.slug, measure.pk)).context["form"]
    assert set(form.fields["origin_event"].queryset) == expected


def test_late_override_needs_a_reason_and_is_cleared_when_unticked(client, personas, roadmap):
    measure = MeasureFactory(roadmap=roadmap, code="M-01", end=date.today() - timedelta(days=3))
    personas.login(client, "editor")
    url = _url("measure-edit", roadmap.slug, measure.pk)
    late = _measure_data(code="M-01", start="2024-01-01", end=(date.today() - timedelta(days=3)).isoformat())
    client.post(url, late)
    measure.refresh_from_db()
    assert measure.shows_late
    assert "By its dates this measure is late" in client.get(url).text

    client.post(url, {**late, "show_on_time": "on", "late_override_reason": "Der Kreistag hat die Frist verlängert."})
    measure.refresh_from_db()
    assert (measure.is_late, measure.shows_late) == (True, False)
    assert measure.late_override_reason == "Der Kreistag hat die Frist verlängert."

    client.post(url, {**late, "late_override_reason": "wird ignoriert, weil nicht angekreuzt"})
    measure.refresh_from_db()
    assert (measure.late_override_reason, measure.shows_late) == ("", True)


def test_late_reason_alone_without_the_tick_is_not_an_override(client, personas, roadmap, measure):
    personas.login(client, "editor")
    client.post(_url("measure-edit", roadmap.slug, measure.pk), _measure_data(code="M-01", late_override_reason="x"))
    measure.refresh_from_db()
    assert measure.late_override_reason == ""


# --- IDOR: a measure of another roadmap in this roadmap's URL ----------------------------------------


@pytest.mark.parametrize("persona", ["editor", "staff"])
def test_foreign_measure_in_own_roadmap_url_is_404_and_unchanged(client, personas, roadmap, foreign_measure, persona):
    before = _sheet(foreign_measure)
    personas.login(client, persona)
    pk = foreign_measure.pk
    assert client.get(_url("measure-edit", roadmap.slug, pk)).status_code == 404
    assert client.get(_url("measure-history", roadmap.slug, pk)).status_code == 404
    assert client.get(_url("milestones-edit", roadmap.slug, pk)).status_code == 404
    assert (
        client.post(_url("measure-edit", roadmap.slug, pk), _measure_data(code="X-01", title="Übernommen")).status_code
        == 404
    )
    data = {"update-date": date.today().isoformat(), "update-text": "fremd"}
    assert client.post(_url("update-create", roadmap.slug, pk), data).status_code == 404
    milestone = _milestone_data(("Fremd", "2020-01-01", ""))
    assert client.post(_url("milestones-edit", roadmap.slug, pk), milestone).status_code == 404
    assert _sheet(foreign_measure) == before
    assert not foreign_measure.updates.exists() and not foreign_measure.milestones.exists()


def test_own_measure_under_another_of_my_roadmaps_is_404(client, personas, roadmap, measure, organisation):
    second = RoadmapFactory(organisation=organisation)
    personas.login(client, "editor")
    assert client.get(_url("measure-edit", second.slug, measure.pk)).status_code == 404


# --- Milestones -------------------------------------------------------------------------------------


def _milestone_data(*rows, existing=()) -> dict:
    """Formset data: ``existing`` are (milestone, title, due, done, delete) rows, then new (title, due, done)."""
    data = {
        "milestones-TOTAL_FORMS": str(len(existing) + len(rows)),
        "milestones-INITIAL_FORMS": str(len(existing)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "60",
    }
    index = 0
    for milestone, title, due, done, delete in existing:
        data.update(
            {
                f"milestones-{index}-id": str(milestone.pk),
                f"milestones-{index}-title": title,
                f"milestones-{index}-due_date": due,
                f"milestones-{index}-done_date": done,
            }
        )
        if delete:
            data[f"milestones-{index}-DELETE"] = "on"
        index += 1
    for title, due, done in rows:
        data.update(
            {
                f"milestones-{index}-title": title,
                f"milestones-{index}-due_date": due,
                f"milestones-{index}-done_date": done,
            }
        )
        index += 1
    return data


def test_overdue_milestone_makes_the_measure_late_at_once(client, personas, roadmap, measure):
    assert not measure.is_late
    personas.login(client, "editor")
    past = (date.today() - timedelta(days=2)).isoformat()
    url = _url("milestones-edit", roadmap.slug, measure.pk)
    response = client.post(url, _milestone_data(("Ausschreibung", past, ""), ("Vergabe", "2035-01-01", "")))
    assert response["Location"] == _url("measure-edit", roadmap.slug, measure.pk)
    measure.refresh_from_db()
    assert measure.is_late and measure.milestones.count() == 2
    assert any("late" in text for text in messages_of(response))

    milestone = measure.milestones.get(title="Ausschreibung")
    other = measure.milestones.get(title="Vergabe")
    today = date.today().isoformat()
    data = _milestone_data(
        existing=[(milestone, "Ausschreibung", past, today, False), (other, "Vergabe", "2035-01-01", "", False)]
    )
    client.post(url, data)
    measure.refresh_from_db()
    assert not measure.is_late  # reached: no longer late


def test_deleting_the_overdue_milestone_ends_late(client, personas, roadmap, measure):
    milestone = MilestoneFactory(measure=measure, due_date=date.today() - timedelta(days=5))
    Measure.objects.filter(pk=measure.pk).update(is_late=True)
    personas.login(client, "editor")
    data = _milestone_data(existing=[(milestone, milestone.title, milestone.due_date.isoformat(), "", True)])
    client.post(_url("milestones-edit", roadmap.slug, measure.pk), data)
    measure.refresh_from_db()
    assert not measure.milestones.exists() and not measure.is_late


@pytest.mark.parametrize(
    "row",
    [
        ("", "2030-01-01", ""),  # no title
        ("Beschluss", "", ""),  # no due date
        ("Beschluss", "2030-01-01", "2099-01-01"),  # reached in the future
        ("Beschluss", "kein Datum", ""),
    ],
)
def test_milestones_bad_input_saves_nothing(client, personas, roadmap, measure, row):
    kept = MilestoneFactory(measure=measure, title="Bleibt")
    personas.login(client, "editor")
    data = _milestone_data(row, existing=[(kept, "Umbenannt", kept.due_date.isoformat(), "", False)])
    response = client.post(_url("milestones-edit", roadmap.slug, measure.pk), data)
    assert response.status_code == 400
    assert list(measure.milestones.values_list("title", flat=True)) == [
        "Bleibt"
    ]  # one transaction: nothing half-written


def test_milestone_of_another_measure_cannot_be_changed(client, personas, roadmap, measure, foreign_measure):
    foreign = MilestoneFactory(measure=foreign_measure, title="Fremd")
    personas.login(client, "editor")
    url = _url("milestones-edit", roadmap.slug, measure.pk)
    renamed = client.post(url, _milestone_data(existing=[(foreign, "Gekapert", "2020-01-01", "", False)]))
    deleted = client.post(url, _milestone_data(existing=[(foreign, "Fremd", "2020-01-01", "", True)]))
    assert renamed.status_code == deleted.status_code == 302  # rows outside this measure's milestones are ignored
    foreign.refresh_from_db()
    assert foreign.title == "Fremd" and foreign.measure == foreign_measure
    assert not measure.milestones.exists()


# --- Progress updates -------------------------------------------------------------------------------


def test_update_create_and_list_with_internal_marked(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    url = _url("update-create", roadmap.slug, measure.pk)
    response = client.post(
        url,
        {"update-date": date.today().isoformat(), "update-text": "Intern: Angebot liegt vor", "update-percent": "10"},
    )
    assert response["Location"].endswith("#updates")
    update = measure.updates.get()
    assert (update.author, update.percent, update.public) == (editor, 10, False)  # unticked box: internal
    MeasureUpdateFactory(measure=measure, text="Öffentlicher Sachstand", public=True)
    page = client.get(_url("measure-edit", roadmap.slug, measure.pk)).text
    section = page.split('id="updates"', 1)[1]
    assert "Intern: Angebot liegt vor" in section and "Öffentlicher Sachstand" in section
    assert section.count('class="badge badge-internal">internal<') == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"update-percent": "101"}, "percent"),
        ({"update-percent": "-1"}, "percent"),
        ({"update-percent": "viel"}, "percent"),
        ({"update-text": "   "}, "text"),
        ({"update-date": "2099-01-01"}, "date"),
        ({"update-date": ""}, "date"),
    ],
)
def test_update_bad_input(client, personas, roadmap, measure, changes, field):
    personas.login(client, "editor")
    data = {"update-date": date.today().isoformat(), "update-text": "Sachstand", "update-percent": "50", **changes}
    response = client.post(_url("update-create", roadmap.slug, measure.pk), data)
    assert response.status_code == 400
    assert field in response.context["update_form"].errors
    assert not MeasureUpdate.objects.exists()


# --- History ----------------------------------------------------------------------------------------


def test_history_shows_who_changed_what(client, personas, roadmap, measure, editor):
    lead = f.OrganisationFactory(name="Stadtwerke Düren")
    personas.login(client, "editor")
    data = _measure_data(
        code="M-01", title="Solaroffensive Kreishaus und Schulen", status="completed", lead_organisation=lead.pk
    )
    assert client.post(_url("measure-edit", roadmap.slug, measure.pk), data).status_code == 302
    response = client.get(_url("measure-history", roadmap.slug, measure.pk))
    (latest, created) = response.context["entries"]
    assert latest["who"] == editor.name and latest["kind"] == "~"
    changes = {row["label"]: (row["old"], row["new"]) for row in latest["changes"]}
    assert changes["Title"] == ("Solaroffensive Kreishaus", "Solaroffensive Kreishaus und Schulen")
    assert changes["Status"] == ("in progress", "completed")
    assert changes["Lead organisation"] == ("", "Stadtwerke Düren")
    assert created["kind"] == "+" and created["changes"] == []
    page = response.text
    assert "Redakteurin" in page and "Solaroffensive Kreishaus und Schulen" in page and "Stadtwerke Düren" in page


def test_history_of_bulk_status_names_the_editor(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    client.post(_url("bulk-status", roadmap.slug), {"measures": [measure.pk], "status": "paused"})
    latest = client.get(_url("measure-history", roadmap.slug, measure.pk)).context["entries"][0]
    assert latest["who"] == editor.name
    assert [(r["label"], r["new"]) for r in latest["changes"]] == [("Status", "paused")]


def _grow_history(measure, n: int, people) -> None:
    lead = f.OrganisationFactory()
    for i in range(n):
        measure.title = f"Titel {i}"
        measure.lead_organisation = lead if i % 2 else None
        measure._history_user = people[i % len(people)].user
        measure.save()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_history_queries_are_flat(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    url = _url("measure-history", roadmap.slug, measure.pk)
    people = [editor, personas.people["staff"]]
    _grow_history(measure, 2, people)
    # session and account from the cache (no query); roadmap, editor check, measure, page count, records (with user
    # and person),
    # the page of the timeline (sheet, milestones, progress reports: +1), the sheet's records, the records before
    # them, the partners of all these records, organisations of changed lead organisations
    small = _queries(client, url)
    _grow_history(measure, 10, people)
    assert _queries(client, url) == small == 9


def test_history_is_paginated_with_the_diff_across_pages(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    _grow_history(measure, 55, [editor])
    first = client.get(_url("measure-history", roadmap.slug, measure.pk)).context
    assert len(first["entries"]) == 50
    second = client.get(_url("measure-history", roadmap.slug, measure.pk) + "?page=2").context
    oldest_change = second["entries"][-2]  # the first save after creation: compared with the creation on this page
    assert {r["label"]: r["new"] for r in oldest_change["changes"]}["Title"] == "Titel 0"
    boundary = first["entries"][-1]  # compared with the first record of page 2
    assert boundary["changes"], "the last entry of a page is diffed against the next page's first record"


# --- Bulk status ------------------------------------------------------------------------------------


def test_bulk_status_changes_own_and_ignores_other_roadmaps(client, personas, roadmap, foreign_measure):
    mine = MeasureFactory.create_batch(3, roadmap=roadmap, status=Measure.Status.PLANNED)
    personas.login(client, "editor")
    data = {"measures": [mine[0].pk, mine[1].pk, foreign_measure.pk], "status": "in_progress"}
    response = client.post(_url("bulk-status", roadmap.slug), data)
    assert response["Location"] == _url("editor-dashboard", roadmap.slug) + "#measures"
    statuses = dict(Measure.objects.values_list("pk", "status"))
    assert statuses[mine[0].pk] == statuses[mine[1].pk] == "in_progress"
    assert statuses[mine[2].pk] == "planned"
    assert statuses[foreign_measure.pk] == "in_progress"  # the factory's default, untouched
    assert foreign_measure.history.count() == 1
    assert messages_of(response) == ["2 measures now have the status “in progress”."]


def test_bulk_status_on_foreign_measure_only_changes_nothing(client, personas, roadmap, foreign_measure):
    personas.login(client, "editor")
    response = client.post(_url("bulk-status", roadmap.slug), {"measures": [foreign_measure.pk], "status": "dropped"})
    foreign_measure.refresh_from_db()
    assert foreign_measure.status == Measure.Status.IN_PROGRESS
    assert messages_of(response) == ["0 measures now have the status “dropped”."]


@pytest.mark.parametrize(
    "data",
    [
        {"status": "completed"},  # nothing ticked
        {"measures": ["MEASURE"]},  # no status
        {"measures": ["MEASURE"], "status": "late"},
        {"measures": ["MEASURE", "abc"], "status": "completed"},
    ],
)
def test_bulk_status_bad_input_changes_nothing(client, personas, roadmap, measure, data):
    data = {
        k: [measure.pk if v == "MEASURE" else v for v in value] if isinstance(value, list) else value
        for k, value in data.items()
    }
    personas.login(client, "editor")
    response = client.post(_url("bulk-status", roadmap.slug), data)
    assert response.status_code == 302
    assert messages_of(response)  # says what was wrong
    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS and measure.history.count() == 1


# --- Dashboard --------------------------------------------------------------------------------------


def test_dashboard_counts_late_and_stale(client, personas, roadmap):
    today = date.today()
    old = today - timedelta(days=400)
    late = MeasureFactory(roadmap=roadmap, code="A-1", status="in_progress", is_late=True)
    excused = MeasureFactory(roadmap=roadmap, code="A-2", is_late=True, late_override_reason="Frist verlängert")
    stale = MeasureFactory(roadmap=roadmap, code="B-1", status="planned", sector=Sector.MOBILITY)
    Measure.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=400))
    MeasureUpdateFactory(measure=stale, date=old)
    fresh = MeasureFactory(roadmap=roadmap, code="B-2", status="planned", sector=Sector.MOBILITY)
    Measure.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=400))
    MeasureUpdateFactory(measure=fresh, date=today)
    new = MeasureFactory(roadmap=roadmap, code="B-3", status="planned")  # created now: not stale yet
    done = MeasureFactory(roadmap=roadmap, code="C-1", status="completed", sector=Sector.MOBILITY)
    Measure.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(days=400))
    MeasureFactory(code="Z-9", is_late=True)  # another roadmap
    personas.login(client, "editor")
    context = client.get(_url("editor-dashboard", roadmap.slug)).context
    assert [m.pk for m in context["late"]] == [late.pk]
    assert [m.pk for m in context["late_overridden"]] == [excused.pk]
    assert [m.pk for m in context["stale"]] == [stale.pk]
    assert new.pk not in [m.pk for m in context["stale"]]
    matrix = context["matrix"]
    mobility = next(row for row in matrix["rows"] if row["sector"] == Sector.MOBILITY)
    assert dict(mobility["cells"]) == {**dict.fromkeys(Measure.Status.values, 0), "planned": 2, "completed": 1}
    assert mobility["total"] == 3 and matrix["total"] == 6
    assert dict(matrix["totals"])["planned"] == 3
    assert context["page"].paginator.count == 6


def test_dashboard_page_links_and_bulk_form(client, personas, roadmap, measure):
    ProposalFactory(roadmap=roadmap)  # pending
    personas.login(client, "editor")
    page = client.get(_url("editor-dashboard", roadmap.slug)).text
    for name in (
        "measure-create",
        "measure-import",
        "measure-export-csv",
        "measure-export-xlsx",
        "moderation",
        "roadmap-edit",
    ):
        assert f'href="{_url(name, roadmap.slug)}"' in page, name
    assert f'action="{_url("bulk-status", roadmap.slug)}"' in page
    assert f'name="measures" value="{measure.pk}"' in page
    with translation.override("en"):
        assert f'href="{roadmap.get_absolute_url()}"' in page
    assert "Moderation (1)" in page


def test_dashboard_filter(client, personas, roadmap):
    MeasureFactory(roadmap=roadmap, code="E-1", title="Windpark", sector=Sector.ENERGY_SUPPLY)
    MeasureFactory(roadmap=roadmap, code="V-1", title="Radweg", sector=Sector.MOBILITY, status="planned")
    personas.login(client, "editor")
    url = _url("editor-dashboard", roadmap.slug)
    assert [m.code for m in client.get(url + "?sector=mobility").context["page"]] == ["V-1"]
    assert [m.code for m in client.get(url + "?status=planned").context["page"]] == ["V-1"]
    assert [m.code for m in client.get(url + "?q=wind").context["page"]] == ["E-1"]
    assert len(client.get(url + "?sector=unknown").context["page"]) == 2  # invalid filter: everything


def _grow_roadmap(roadmap, n: int, person) -> None:
    for _ in range(n):
        measure = MeasureFactory(roadmap=roadmap, lead_organisation=f.OrganisationFactory(), is_late=True)
        MeasureUpdateFactory(measure=measure, author=person, date=date.today() - timedelta(days=300))
        MilestoneFactory(measure=measure)
        Measure.objects.filter(pk=measure.pk).update(created_at=timezone.now() - timedelta(days=400))
    ProposalFactory(roadmap=roadmap)


def test_dashboard_queries_are_flat(client, personas, roadmap, editor):
    personas.login(client, "editor")
    url = _url("editor-dashboard", roadmap.slug)
    _grow_roadmap(roadmap, 2, editor)
    # session and account from the cache (no query); roadmap, editor check, matrix, late, stale, page count, page of
    # measures,
    # pending proposals, pending comments, recent imports
    client.get(url)  # the funding radar's programme index of the day is built once, then read from the cache
    small = _queries(client, url)
    _grow_roadmap(roadmap, 10, editor)
    # +1: the monitoring panel counts due indicators; +4: the participation panel (questions unanswered for 14
    # days: their count and the first 20; reported comments; confirmed feedback waiting); +1: the funding radar's
    # panel (the roadmap's measures with open funding; the programme index from the cache);
    # +1: the council panel (the organisation's OParl endpoint)
    assert _queries(client, url) == small == 17


def test_measure_edit_queries_are_flat(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    url = _url("measure-edit", roadmap.slug, measure.pk)

    def grow(n):
        for _ in range(n):
            MeasureUpdateFactory(measure=measure, author=editor)
            MilestoneFactory(measure=measure)
            measure.partners.add(f.OrganisationFactory())

    grow(2)
    # session and account from the cache (no query); roadmap, editor check, measure, updates, milestones, the
    # measure's partners,
    # choices: lead organisation, responsible person, partners, events, proposals; + issue 17: the measure
    # library's switch and lineage (one query); + issue 18: the council decisions (the measure's links to council
    # papers: one query while there are none)
    small = _queries(client, url)
    grow(10)
    assert _queries(client, url) == small == 13


def test_milestones_page_queries_are_flat(client, personas, roadmap, measure):
    personas.login(client, "editor")
    url = _url("milestones-edit", roadmap.slug, measure.pk)
    MilestoneFactory.create_batch(2, measure=measure)
    # session and account from the cache (no query); roadmap, editor check, measure, milestones of the formset
    small = _queries(client, url)
    MilestoneFactory.create_batch(10, measure=measure)
    assert _queries(client, url) == small == 4


def test_dashboard_of_empty_roadmap(client, personas, roadmap):
    personas.login(client, "editor")
    response = client.get(_url("editor-dashboard", roadmap.slug))
    assert response.status_code == 200
    assert "This roadmap has no measures yet." in response.text
    assert not Milestone.objects.exists()


def test_history_shows_partner_changes_by_name(client):
    from measures import services
    from measures.views.editor import history_entries
    from tests.measures.factories import MeasureFactory
    from tests.networks.factories import OrganisationFactory, PersonFactory

    measure = MeasureFactory()
    partner = OrganisationFactory(name="Stadtwerke Düren")
    services.measure_save(measure=measure, partners=[partner], by=PersonFactory())
    entries = history_entries(list(measure.history.all()))
    rows = [row for entry in entries for row in entry["changes"] if row["new"] == "Stadtwerke Düren"]
    assert rows and rows[0]["old"] == ""


# --- Contact person: people of the organisation and its partners who share their contact (issue 14 §2.7) ---


@pytest.fixture
def contacts(organisation, measure):
    """People around the measure: who may be named as its (public) contact and who may not. Only "public" is
    enough; "members" lets the members of one's networks see the contact, but is no consent to be named publicly."""
    partner = f.OrganisationFactory(name="Stadtwerke Düren")
    measure.partners.add(partner)
    stranger_org = f.OrganisationFactory(name="Stadt Dortmund")
    visibility = Person.ContactVisibility
    nobody, members, public = visibility.NOBODY, visibility.MEMBERS, visibility.PUBLIC
    return {
        "colleague": f.PersonFactory(organisation=organisation, name="Kollegin Sichtbar", contact_visibility=public),
        "members_colleague": f.PersonFactory(
            organisation=organisation, name="Kollegin Intern", contact_visibility=members
        ),
        "hidden_colleague": f.PersonFactory(
            organisation=organisation, name="Kollege Verborgen", contact_visibility=nobody
        ),
        "partner": f.PersonFactory(organisation=partner, name="Partnerin Sichtbar", contact_visibility=public),
        "members_partner": f.PersonFactory(organisation=partner, name="Partner Intern", contact_visibility=members),
        "hidden_partner": f.PersonFactory(organisation=partner, name="Partner Verborgen", contact_visibility=nobody),
        "stranger": f.PersonFactory(organisation=stranger_org, name="Fremde Sichtbar", contact_visibility=public),
        "members_stranger": f.PersonFactory(organisation=stranger_org, name="Fremd Intern", contact_visibility=members),
        "hidden_stranger": f.PersonFactory(
            organisation=stranger_org, name="Fremd Verborgen", contact_visibility=nobody
        ),
        "stranger_org": stranger_org,
    }


def _offered(response) -> set[str]:
    return {person.name for person in response.context["form"].fields["responsible_person"].queryset}


def test_contact_choices_are_the_organisations_and_partners_people_who_may_be_named_publicly(
    client, personas, roadmap, measure, contacts
):
    personas.login(client, "editor")
    response = client.get(_url("measure-edit", roadmap.slug, measure.pk))
    offered = _offered(response)
    assert {"Kollegin Sichtbar", "Partnerin Sichtbar"} <= offered
    hidden = {"Kollegin Intern", "Kollege Verborgen", "Partner Intern", "Partner Verborgen", "Redakteurin"}
    assert not offered & (hidden | {"Fremde Sichtbar", "Fremd Intern", "Fremd Verborgen"})
    assert "Fremde Sichtbar" not in response.text and "Kollegin Intern" not in response.text


@pytest.mark.parametrize(
    "who",
    ["members_colleague", "hidden_colleague", "members_partner", "hidden_partner", "stranger", "hidden_stranger"],
)
def test_posting_anyone_else_as_contact_is_not_a_valid_choice(client, personas, roadmap, measure, contacts, who):
    before = _sheet(measure)
    personas.login(client, "editor")
    response = client.post(
        _url("measure-edit", roadmap.slug, measure.pk), _measure_data(code="M-01", responsible_person=contacts[who].pk)
    )
    assert response.status_code == 400
    assert "valid choice" in str(response.context["form"].errors["responsible_person"])
    measure.refresh_from_db()
    assert measure.responsible_person is None and _sheet(measure) == before


def test_posting_another_organisation_as_lead_lists_none_of_its_non_public_people(
    client, personas, roadmap, measure, contacts
):
    """The lead organisation chosen in the same step brings along only its people who may be named publicly: the
    tester's case, Stadt Dortmund as lead and a Dortmund person who shares the contact with members only."""
    personas.login(client, "editor")
    url = _url("measure-edit", roadmap.slug, measure.pk)
    lead = contacts["stranger_org"].pk
    offered = _offered(client.post(url, _measure_data(code="M-01", lead_organisation=lead, responsible_person="x")))
    assert "Fremde Sichtbar" in offered
    assert not offered & {"Fremd Intern", "Fremd Verborgen", "Kollege Verborgen"}
    data = _measure_data(code="M-01", lead_organisation=lead, responsible_person=contacts["members_stranger"].pk)
    response = client.post(url, data)
    assert response.status_code == 400 and "responsible_person" in response.context["form"].errors
    measure.refresh_from_db()
    assert measure.responsible_person is None
    hostile = _measure_data(code="M-01", lead_organisation="1" * 30, responsible_person=contacts["stranger"].pk)
    assert client.post(url, hostile).status_code == 400  # an id beyond any integer: a form error, not a 500


def test_partner_chosen_in_the_same_step_brings_its_people(client, personas, roadmap):
    partner = f.OrganisationFactory(name="Verbraucherzentrale")
    person = f.PersonFactory(organisation=partner, name="Beraterin", contact_visibility=Person.ContactVisibility.PUBLIC)
    personas.login(client, "editor")
    data = _measure_data(code="M-02", partners=[partner.pk], responsible_person=person.pk)
    assert client.post(_url("measure-create", roadmap.slug), data).status_code == 302
    assert roadmap.measures.get(code="M-02").responsible_person == person


@pytest.mark.parametrize("lowered_to", ["members", "nobody"])
def test_public_page_names_the_contact_only_while_they_allow_it(client, roadmap, measure, contacts, lowered_to):
    """An existing contact who later lowers the visibility (even to "members") is no longer named in public."""
    colleague = contacts["colleague"]
    Measure.objects.filter(pk=measure.pk).update(published=True, responsible_person=colleague)
    url = reverse("measures:measure", args=[roadmap.slug, measure.slug])
    assert "Kollegin Sichtbar" in client.get(url).text
    colleague.contact_visibility = lowered_to
    colleague.save(update_fields=["contact_visibility"])
    response = client.get(url)
    assert response.status_code == 200 and "Kollegin Sichtbar" not in response.text


def test_public_page_never_names_a_members_only_contact(client, roadmap, measure, contacts):
    """A members-only person set as contact some other way (admin, an older rule) is not named in public."""
    person = contacts["members_stranger"]
    person.job_title = "Leitung Umweltamt"
    person.save(update_fields=["job_title"])
    Measure.objects.filter(pk=measure.pk).update(published=True, responsible_person=person)
    response = client.get(reverse("measures:measure", args=[roadmap.slug, measure.slug]))
    assert response.status_code == 200
    assert "Fremd Intern" not in response.text and "Leitung Umweltamt" not in response.text
