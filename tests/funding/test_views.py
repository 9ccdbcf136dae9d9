"""Pages of the funding radar: behaviour behind each permission (the persona × URL table is in
tests/security/rooms/funding.py), forms that keep what was typed, history, feeds, flat query counts."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events.services.personal import calendar_token_get
from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding
from tests.funding.factories import CallFactory, ProgrammeFactory, programme_with_call
from tests.helpers import assert_flat, de
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import MembershipFactory, OrganisationRoleFactory

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "staff"]
MAINTAIN = {"anonymous": 302, "citizen": 403, "other_network": 403, "member": 403, "coordinator": 200, "staff": 200}


def form_data(**extra) -> dict:
    return {"name": "Klimaschutz vor Ort", "funder": "Land NRW", "status": "active", "rate": "70", **extra}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_is_open_maintaining_is_for_coordinators_and_staff(client, personas, persona):
    programme = programme_with_call(name="Kommunalrichtlinie", notes="Intern: Ansprechpartner ZUG")
    personas.login(client, persona)
    detail = client.get(programme.get_absolute_url())
    assert detail.status_code == 200
    assert ("Intern: Ansprechpartner ZUG" in detail.content.decode()) is (MAINTAIN[persona] == 200)
    assert client.get(reverse("funding:programme-list")).status_code == 200
    for name, args in [
        ("programme-create", []),
        ("programme-import", []),
        ("programme-edit", [programme.slug]),
        ("programme-history", [programme.slug]),
        ("call-create", [programme.slug]),
    ]:
        assert client.get(reverse(f"funding:{name}", args=args)).status_code == MAINTAIN[persona], name


def test_create_edit_with_history_and_a_form_that_keeps_what_was_typed(client, personas):
    personas.login(client, "coordinator")
    response = client.post(
        reverse("funding:programme-create"),
        form_data(population_min="50.000", population_max="10.000", summary="Mein langer Text"),
    )
    assert response.status_code == 400
    assert "Mein langer Text" in response.content.decode()
    response = client.post(
        reverse("funding:programme-create"),
        form_data(population_min="10.000", sectors=["mobility"], states=["NW"], amount_max="1.500.000,50"),
    )
    programme = FundingProgramme.objects.get(name="Klimaschutz vor Ort")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert (programme.population_min, programme.sectors, programme.states) == (10_000, ["mobility"], ["NW"])
    assert str(programme.amount_max) == "1500000.50"
    assert programme.created_by == personas.people["coordinator"]
    client.post(reverse("funding:programme-edit", args=[programme.slug]), form_data(rate="80", name=programme.name))
    programme.refresh_from_db()
    assert programme.rate == 80
    assert programme.history.count() == 2
    assert programme.history.first().history_user == personas.people["coordinator"].user
    page = client.get(reverse("funding:programme-history", args=[programme.slug])).content.decode()
    assert de("funding rate up to (%)") in page


def test_calls_are_added_edited_and_deleted(client, personas):
    programme = ProgrammeFactory()
    personas.login(client, "staff")
    today = timezone.localdate()
    bad = {"title": "Fenster", "opens": str(today + timedelta(days=9)), "deadline": str(today)}
    response = client.post(reverse("funding:call-create", args=[programme.slug]), bad)
    assert response.status_code == 400 and not FundingCall.objects.exists()
    good = {**bad, "opens": str(today)}
    assert client.post(reverse("funding:call-create", args=[programme.slug]), good).status_code == 302
    call = programme.calls.get()
    edit = reverse("funding:call-edit", args=[programme.slug, call.pk])
    client.post(edit, {**good, "title": "Fenster 2"})
    call.refresh_from_db()
    assert call.title == "Fenster 2"
    other = CallFactory()
    assert client.post(reverse("funding:call-delete", args=[programme.slug, other.pk])).status_code == 404
    assert client.post(reverse("funding:call-delete", args=[programme.slug, call.pk])).status_code == 302
    assert not programme.calls.exists() and FundingCall.history.filter(history_type="-").count() == 1


def test_list_filters_and_demo_mark(client):
    programme_with_call(name="Mobilität NRW", sectors=["mobility"], states=["NW"], is_demo=True)
    programme_with_call(name="Gebäude Bayern", sectors=["buildings_heat"], states=["BY"])
    ProgrammeFactory(name="Beendet", status="ended")
    page = client.get(reverse("funding:programme-list")).content.decode()
    assert "Mobilität NRW" in page and "Gebäude Bayern" in page and "Beendet" not in page
    assert 'class="badge badge-demo"' in page
    page = client.get(reverse("funding:programme-list"), {"sector": "mobility", "state": "NW"}).content.decode()
    assert "Mobilität NRW" in page and "Gebäude Bayern" not in page
    assert client.get(reverse("funding:programme-list"), {"sector": "nonsense", "page": "x"}).status_code == 200


def test_list_and_detail_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "coordinator")
    client.get(reverse("funding:programme-list"))  # the coordinator's role is looked up once, then cached
    # the feed's token, count, the page, its upcoming calls (session, user and "may maintain", the coordinator's
    # role under the roles scope: networks.access.coordinates_a_network, come from the cache)
    assert_flat(
        client,
        reverse("funding:programme-list"),
        lambda n: [programme_with_call() for _ in range(n)],
        django_assert_num_queries,
        4,
    )
    programme = ProgrammeFactory()
    # programme, its calls (may maintain: from the cache)
    assert_flat(
        client,
        programme.get_absolute_url(),
        lambda n: CallFactory.create_batch(n, programme=programme),
        django_assert_num_queries,
        2,
    )


@pytest.fixture
def editor_measure(personas):
    editor = personas.people["editor"]
    organisation = editor.organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation)
    return MeasureFactory(roadmap=roadmap, funding_status="", sector="mobility", code="MO-7", title="Radweg")


def test_measure_page_shows_fits_and_takes_the_kind(client, personas, editor_measure):
    programme_with_call(name="Radverkehr", sectors=["mobility"])
    programme_with_call(name="Nur Konzepte", measure_kinds=["concept"])
    url = reverse("funding:measure-funding", args=[editor_measure.roadmap.slug, editor_measure.pk])
    personas.login(client, "editor")
    page = client.get(url)
    assert [fit.programme.name for fit in page.context["fits"]] == ["Nur Konzepte", "Radverkehr"]  # same deadline
    assert client.post(url, {"kinds": ["investment"]}).status_code == 302
    assert MeasureFunding.objects.get(measure=editor_measure).kinds == ["investment"]
    assert [fit.programme.name for fit in client.get(url).context["fits"]] == ["Radverkehr"]
    assert client.post(url, {"kinds": ["nonsense"]}).status_code == 400
    personas.login(client, "member")
    assert client.get(url).status_code == 403


def test_measure_page_queries_are_flat(client, personas, editor_measure, django_assert_num_queries):
    personas.login(client, "editor")
    url = reverse("funding:measure-funding", args=[editor_measure.roadmap.slug, editor_measure.pk])
    # roadmap, may edit (the role), measure (access), measure with what matching needs, programmes, next calls
    # (session and user come from the cache)
    assert_flat(client, url, lambda n: [programme_with_call() for _ in range(n)], django_assert_num_queries, 6)


def test_dashboard_and_roadmap_editor_panels(client, personas, editor_measure):
    programme_with_call(name="Radverkehr", sectors=["mobility"])
    personas.login(client, "editor")
    dashboard = client.get(reverse("networks:dashboard"))
    panel = next(p for p in dashboard.context["panels"] if p["template"] == "funding/panels/dashboard.html")
    assert [m.code for m in panel["measures"]] == ["MO-7"]
    funding_page = reverse("funding:measure-funding", args=[editor_measure.roadmap.slug, editor_measure.pk])
    assert f'href="{funding_page}"' in dashboard.content.decode()
    editor_page = client.get(reverse("measures:editor-dashboard", args=[editor_measure.roadmap.slug]))
    assert "Radverkehr" in editor_page.content.decode()


def test_network_radar_shows_open_calls_that_fit_member_organisations(client, personas, editor_measure):
    organisation = editor_measure.roadmap.organisation
    MembershipFactory(
        network=personas.network, organisation=organisation, since=timezone.localdate() - timedelta(days=9)
    )
    today = timezone.localdate()
    programme_with_call(20, name="Radverkehr", sectors=["mobility"])
    CallFactory(programme=ProgrammeFactory(name="Noch nicht offen"), opens=today + timedelta(days=5))
    programme_with_call(60, name="Nur Bayern", states=["BY"])
    personas.login(client, "member")
    response = client.get(reverse("funding:network-radar", args=[personas.network.slug]))
    radar = response.context["radar"]
    assert [entry.call.programme.name for entry in radar] == ["Radverkehr"]
    assert radar[0].closing_soon
    assert [(o, [m.code for m in ms]) for o, ms in radar[0].organisations if o == organisation] == [
        (organisation, ["MO-7"])
    ]
    personas.login(client, "other_network")
    assert client.get(reverse("funding:network-radar", args=[personas.network.slug])).status_code == 403


def test_network_radar_names_no_draft_measures(client, personas, editor_measure):
    """Other members read an organisation's published measures only: a draft (or a measure of an unpublished
    roadmap) that fits a call is not named on the network's radar."""
    MembershipFactory(
        network=personas.network,
        organisation=editor_measure.roadmap.organisation,
        since=timezone.localdate() - timedelta(days=9),
    )
    draft = MeasureFactory(roadmap=editor_measure.roadmap, funding_status="", sector="mobility", code="MO-8")
    draft.published = False
    draft.save()
    hidden_roadmap = RoadmapFactory(organisation=editor_measure.roadmap.organisation, published=False)
    MeasureFactory(roadmap=hidden_roadmap, funding_status="", sector="mobility", code="MO-9")
    programme_with_call(20, name="Radverkehr", sectors=["mobility"])
    personas.login(client, "member")
    response = client.get(reverse("funding:network-radar", args=[personas.network.slug]))
    (entry,) = response.context["radar"]
    assert [m.code for _o, ms in entry.organisations for m in ms] == ["MO-7"]
    assert "MO-8" not in response.content.decode() and "MO-9" not in response.content.decode()


def test_network_radar_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")

    def grow(n):
        for _ in range(n):
            organisation = OrganisationRoleFactory().organisation
            MembershipFactory(network=personas.network, organisation=organisation, since=timezone.localdate())
            MeasureFactory(roadmap=RoadmapFactory(organisation=organisation), funding_status="")
            programme_with_call()

    # network (the role is remembered), member organisations, programmes, their calls to come (the open ones among
    # them), measures (session and user come from the cache)
    address = reverse("funding:network-radar", args=[personas.network.slug])
    assert_flat(client, address, grow, django_assert_num_queries, 5)


def test_feeds(client, personas, editor_measure):
    programme_with_call(25, name="Radverkehr", sectors=["mobility"], is_demo=True)
    programme_with_call(50, name="Gebäude", sectors=["buildings_heat"])
    everything = icalendar.Calendar.from_ical(client.get(reverse("funding:deadlines-feed")).content)
    summaries = sorted(str(e["summary"]) for e in everything.walk("VEVENT"))
    assert len(summaries) == 2 and "Gebäude" in summaries[0] and "Radverkehr" in summaries[1]
    token = calendar_token_get(person=personas.people["editor"]).token
    response = client.get(reverse("funding:personal-deadlines-feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1 and "Radverkehr" in str(events[0]["summary"]) and "MO-7" in str(events[0]["description"])
    assert client.get(reverse("funding:personal-deadlines-feed", args=["x" * 40])).status_code == 404


def test_programme_index_comes_from_the_cache_and_a_new_call_shows_at_once(
    client, personas, editor_measure, django_assert_num_queries
):
    programme_with_call(name="Radverkehr", sectors=["mobility"])
    personas.login(client, "editor")
    url = reverse("funding:measure-funding", args=[editor_measure.roadmap.slug, editor_measure.pk])
    client.get(url)  # the day's index is built once and kept
    # roadmap, may edit (the role), measure (access), measure with what matching needs: no programme, no call
    with django_assert_num_queries(4):
        assert [fit.programme.name for fit in client.get(url).context["fits"]] == ["Radverkehr"]
    programme_with_call(10, name="Aaa Mobilität", sectors=["mobility"])  # a new programme with a call
    assert [fit.programme.name for fit in client.get(url).context["fits"]] == ["Aaa Mobilität", "Radverkehr"]
    CallFactory(programme=FundingProgramme.objects.get(name="Radverkehr"), deadline=timezone.localdate())
    fits = client.get(url).context["fits"]  # the new call is Radverkehr's next deadline now: it comes first
    assert [(fit.programme.name, fit.deadline) for fit in fits][0] == ("Radverkehr", timezone.localdate())
    ended = FundingProgramme.objects.get(name="Radverkehr")
    ended.status = FundingProgramme.Status.ENDED
    ended.save()
    assert [fit.programme.name for fit in client.get(url).context["fits"]] == ["Aaa Mobilität"]


def test_network_radar_page_comes_from_the_cache_and_follows_calls_and_measures(
    client, personas, editor_measure, django_assert_num_queries
):
    organisation = editor_measure.roadmap.organisation
    MembershipFactory(network=personas.network, organisation=organisation, since=timezone.localdate())
    programme_with_call(20, name="Radverkehr", sectors=["mobility"])
    personas.login(client, "member")
    address = reverse("funding:network-radar", args=[personas.network.slug])

    def shown():
        response = client.get(address)
        assert response.status_code == 200 and response.context is not None  # rendered afresh, not from the cache
        return [
            (entry.call.programme.name, [m.code for _o, ms in entry.with_measures for m in ms])
            for entry in response.context["radar"]
        ]

    assert shown() == [("Radverkehr", ["MO-7"])]
    # a hit: the session and the access check come from the cache, the page too (no query at all)
    with django_assert_num_queries(0):
        response = client.get(address)
    assert response.context is None and "MO-7" in response.content.decode()
    MeasureFactory(roadmap=editor_measure.roadmap, funding_status="", sector="mobility", code="MO-8")
    assert shown() == [("Radverkehr", ["MO-7", "MO-8"])]  # a new measure with open funding: at once
    programme_with_call(10, name="Busse", sectors=["mobility"])
    assert shown() == [("Busse", ["MO-7", "MO-8"]), ("Radverkehr", ["MO-7", "MO-8"])]  # a new call: at once
    editor_measure.funding_status = "granted"
    editor_measure.save()
    assert shown() == [("Busse", ["MO-8"]), ("Radverkehr", ["MO-8"])]  # funding found: it leaves the radar
