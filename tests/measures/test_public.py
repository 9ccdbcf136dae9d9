"""Public roadmap pages: who sees what, the measure list's filters and sorting, open data, query counts."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Visibility
from measures.models import Measure, Moderation, Sector
from networks import panels
from tests.events.factories import EventFactory
from tests.helpers import assert_flat
from tests.measures.factories import (
    CommentFactory,
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    ProposalFactory,
    RoadmapFactory,
)
from tests.networks.factories import OrganisationFactory, PersonFactory

ALL = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
ONLY_EDITORS = {"editor": 200, "staff": 200}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def measure(roadmap):
    return MeasureFactory(roadmap=roadmap, code="EV-01", slug="ev-01-solar", title="Solardächer auf Schulen")


def _url(name, roadmap, *args):
    return reverse(f"measures:{name}", args=[roadmap.slug, *args])


def _get(client, personas, persona, url, **params):
    personas.login(client, persona)
    return client.get(url, params)


def _text(response) -> str:
    return response.content.decode()


# --- Permission matrix ----------------------------------------------------------------------------


PUBLIC_PAGES = ["roadmap", "measure-list", "open-data-csv", "open-data-json"]


@pytest.mark.parametrize("persona", ALL)
def test_roadmap_list_is_open_to_all(client, personas, roadmap, persona):
    response = _get(client, personas, persona, reverse("measures:roadmap-list"))
    assert response.status_code == 200
    assert roadmap.title in _text(response)


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_published_roadmap_pages_are_open_to_all(client, personas, roadmap, measure, persona, page):
    assert _get(client, personas, persona, _url(page, roadmap)).status_code == 200


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_unpublished_roadmap_is_a_404_except_for_its_editors(client, personas, roadmap, measure, persona, page):
    roadmap.published = False
    roadmap.save()
    assert _get(client, personas, persona, _url(page, roadmap)).status_code == ONLY_EDITORS.get(persona, 404)


@pytest.mark.parametrize("persona", ALL)
def test_published_measure_is_open_to_all(client, personas, measure, persona):
    response = _get(client, personas, persona, measure.get_absolute_url())
    assert response.status_code == 200
    assert "Solardächer auf Schulen" in _text(response)


@pytest.mark.parametrize("persona", ALL)
def test_unpublished_measure_is_a_404_except_for_editors(client, personas, measure, persona):
    measure.published = False
    measure.save()
    response = _get(client, personas, persona, measure.get_absolute_url())
    assert response.status_code == ONLY_EDITORS.get(persona, 404)
    if response.status_code == 200:
        assert "This measure is not published." in _text(response)


@pytest.mark.parametrize("persona", ALL)
def test_published_measure_of_an_unpublished_roadmap_is_a_404_except_for_editors(client, personas, measure, persona):
    measure.roadmap.published = False
    measure.roadmap.save()
    assert _get(client, personas, persona, measure.get_absolute_url()).status_code == ONLY_EDITORS.get(persona, 404)


@pytest.mark.parametrize("persona", ["anonymous", "editor", "staff"])
def test_measure_of_another_roadmap_in_this_roadmaps_url_is_a_404(client, personas, roadmap, persona):
    foreign = MeasureFactory(roadmap=RoadmapFactory(), slug="fremd")
    url = _url("measure", roadmap, foreign.slug)
    assert _get(client, personas, persona, url).status_code == 404
    assert _get(client, personas, persona, _url("measure", roadmap, "gibt-es-nicht")).status_code == 404


def test_unknown_roadmap_is_a_404(client, db):
    assert client.get(reverse("measures:roadmap", args=["gibt-es-nicht"])).status_code == 404
    assert client.get(reverse("measures:open-data-csv", args=["gibt-es-nicht"])).status_code == 404


@pytest.mark.parametrize("page", ["roadmap", "measure-list", "open-data-csv", "open-data-json"])
def test_public_pages_only_answer_get(client, personas, roadmap, page):
    personas.login(client, "editor")
    assert client.post(_url(page, roadmap)).status_code == 405
    assert client.post(reverse("measures:roadmap-list")).status_code == 405


def test_measure_detail_only_answers_get(client, measure):
    assert client.post(measure.get_absolute_url()).status_code == 405


# --- Roadmap list and home page ---------------------------------------------------------------------


def test_roadmap_list_shows_target_year_count_and_progress(client, roadmap):
    MeasureFactory.create_batch(3, roadmap=roadmap, status=Measure.Status.COMPLETED)
    MeasureFactory(roadmap=roadmap, status=Measure.Status.NOT_STARTED)
    MeasureFactory(roadmap=roadmap, status=Measure.Status.COMPLETED, published=False)
    page = _text(client.get(reverse("measures:roadmap-list")))
    assert "2035" in page and roadmap.organisation.name in page
    assert "4 measures" in page
    assert "3 of 4 measures are completed (75 %)" in page
    assert "share-75" in page and "share-25" in page
    assert "dropped" not in page


def test_roadmap_card_says_how_many_of_its_measures_were_dropped(client, roadmap):
    MeasureFactory.create_batch(3, roadmap=roadmap, status=Measure.Status.COMPLETED)
    MeasureFactory(roadmap=roadmap, status=Measure.Status.DROPPED)
    page = _text(client.get(reverse("measures:roadmap-list")))
    # 4 measures, but the bar counts the 3 not dropped: the card says why the numbers differ
    assert "4 measures, 1 of them dropped" in page
    assert "3 of 3 measures are completed (100 %)" in page


def test_editors_also_see_their_unpublished_roadmaps_marked(client, personas, roadmap):
    hidden = RoadmapFactory(organisation=roadmap.organisation, title="Entwurf Roadmap", published=False)
    foreign = RoadmapFactory(title="Fremder Entwurf", published=False)
    url = reverse("measures:roadmap-list")
    assert "Entwurf Roadmap" not in _text(client.get(url))
    personas.login(client, "editor")
    page = _text(client.get(url))
    assert hidden.title in page and "not published" in page
    assert foreign.title not in page
    personas.login(client, "other_network")
    assert hidden.title not in _text(client.get(url))


def test_home_page_leads_to_the_published_roadmaps(client, roadmap):
    RoadmapFactory(title="Unveröffentlichte Roadmap", published=False)
    MeasureFactory(roadmap=roadmap, status=Measure.Status.COMPLETED)
    page = _text(client.get(reverse("networks:home")))
    assert roadmap.get_absolute_url() in page
    assert "Climate-neutral by" in page and "2035" in page
    assert "Unveröffentlichte Roadmap" not in page
    assert reverse("measures:roadmap-list") in page


def test_home_panel_is_hidden_without_published_roadmaps(rf, db):
    RoadmapFactory(published=False)
    request = rf.get("/")
    request.user = AnonymousUser()
    keys = [p["template"] for p in panels.render_context("home", request, None)]
    assert "measures/partials/public_panel_home.html" not in keys


# --- Roadmap page ----------------------------------------------------------------------------------


def test_roadmap_page_shows_progress_by_sector_timeline_and_links(client, personas, roadmap):
    this_year = timezone.localdate().year
    MeasureFactory(roadmap=roadmap, sector=Sector.MOBILITY, status=Measure.Status.COMPLETED)
    MeasureFactory(roadmap=roadmap, sector=Sector.MOBILITY, status=Measure.Status.PAUSED)
    MeasureFactory(
        roadmap=roadmap,
        sector=Sector.BUILDINGS_HEAT,
        status=Measure.Status.PLANNED,
        start=date(this_year + 1, 3, 1),
        end=date(this_year + 3, 6, 30),
    )
    MeasureFactory(roadmap=roadmap, sector=Sector.BUILDINGS_HEAT, status=Measure.Status.DROPPED)
    MeasureFactory(roadmap=roadmap, sector=Sector.AGRICULTURE, status=Measure.Status.COMPLETED, published=False)
    page = _text(client.get(roadmap.get_absolute_url()))
    assert "Climate-neutral by" in page and "2035" in page
    assert "1 of 3 measures is completed, 1 is in progress and 1 has not started yet." in page
    assert "1 dropped measure is not counted." in page
    assert "Mobility" in page and "Buildings and heat" in page and "Agriculture" not in page
    assert "?handlungsfeld=mobility" in page and "?status=paused" in page
    # timeline: the planned measure starts next year and ends in three years; this year and the target year are marked
    assert f'<time datetime="{this_year + 1:04d}">' in page and "2035" in page
    assert "1 measure starts" in page and "1 measure is to be completed" in page
    assert "this year" in page and "target year" in page
    for name in ("measure-list", "open-data-csv", "open-data-json", "proposal-list"):
        assert _url(name, roadmap) in page
    assert roadmap.licence_url in page and 'rel="license"' in page
    assert _url("editor-dashboard", roadmap) not in page
    personas.login(client, "editor")
    assert _url("editor-dashboard", roadmap) in _text(client.get(roadmap.get_absolute_url()))


def test_roadmap_page_without_measures_says_so(client, roadmap):
    page = _text(client.get(roadmap.get_absolute_url()))
    assert "No measures have been published yet." in page
    assert "There are no progress reports yet." in page
    assert "Timeline" not in page


def test_timeline_is_left_out_while_nothing_is_dated(client, roadmap):
    MeasureFactory(roadmap=roadmap, start=None, end=None)
    assert "Timeline" not in _text(client.get(roadmap.get_absolute_url()))
    MeasureFactory(roadmap=roadmap, start=None, end=date(2030, 5, 1))
    page = _text(client.get(roadmap.get_absolute_url()))
    assert "Timeline" in page and '<time datetime="2030">' in page


def test_open_data_answers_head(client, roadmap, measure):
    response = client.head(_url("open-data-csv", roadmap))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_roadmap_page_shows_only_public_updates_of_published_measures(client, roadmap, measure):
    MeasureUpdateFactory(measure=measure, text="Öffentlicher Sachstand", percent=30)
    MeasureUpdateFactory(measure=measure, text="Interner Sachstand", percent=90, public=False)
    hidden = MeasureFactory(roadmap=roadmap, published=False)
    MeasureUpdateFactory(measure=hidden, text="Sachstand einer unveröffentlichten Maßnahme")
    page = _text(client.get(roadmap.get_absolute_url()))
    assert "Öffentlicher Sachstand" in page and "30 % done" in page
    assert "Interner Sachstand" not in page and "90 % done" not in page
    assert "unveröffentlichten" not in page
    assert measure.get_absolute_url() in page


def test_roadmap_page_counts_published_proposals_only(client, roadmap):
    ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED)
    ProposalFactory(roadmap=roadmap)
    ProposalFactory(roadmap=roadmap, status=Moderation.REJECTED, rejection_reason="Doppelt")
    assert "Ideas from citizens (1)" in _text(client.get(roadmap.get_absolute_url()))


# --- Measure list: filters, search, sorting, bad input -----------------------------------------------


@pytest.fixture
def spread(roadmap):
    """Five measures that differ in every filterable and sortable field."""
    county, utility = OrganisationFactory(name="Kreisverwaltung"), OrganisationFactory(name="Stadtwerke")
    today = timezone.localdate()
    specs = [
        ("A-01", "Radwege ausbauen", Sector.MOBILITY, "in_progress", county, 300, 5, ""),
        ("B-02", "Wärmenetz Nord", Sector.BUILDINGS_HEAT, "planned", utility, 50, None, "Fernwärme aus Abwärme"),
        ("C-03", "Ladesäulen", Sector.MOBILITY, "completed", utility, 10, 900, ""),
        ("D-04", "Energieberatung", Sector.HOUSEHOLDS, "not_started", None, None, 20, ""),
        ("E-05", "Zero Waste", Sector.INDUSTRY, "blocked", county, 600, 1, ""),
    ]
    measures = {}
    for code, title, sector, status, lead, end_days, effect, description in specs:
        measures[code] = MeasureFactory(
            roadmap=roadmap,
            code=code,
            slug=code.lower(),
            title=title,
            sector=sector,
            status=status,
            lead_organisation=lead,
            end=today + timedelta(days=end_days) if end_days else None,
            effect_expected=effect,
            description=description,
            summary="",
        )
    return measures


def _codes(client, roadmap, **params):
    response = client.get(_url("measure-list", roadmap), params)
    assert response.status_code == 200, response.status_code
    page = _text(response)
    return [code for code in ("A-01", "B-02", "C-03", "D-04", "E-05") if f">{code}</td>" in page], page


def _order(client, roadmap, sort):
    page = _text(client.get(_url("measure-list", roadmap), {"sortierung": sort}))
    positions = {code: page.index(f">{code}</td>") for code in ("A-01", "B-02", "C-03", "D-04", "E-05")}
    return sorted(positions, key=positions.get)


def test_measure_list_filters_narrow(client, roadmap, spread):
    assert _codes(client, roadmap)[0] == ["A-01", "B-02", "C-03", "D-04", "E-05"]
    assert _codes(client, roadmap, handlungsfeld=Sector.MOBILITY)[0] == ["A-01", "C-03"]
    assert _codes(client, roadmap, status="planned")[0] == ["B-02"]
    utility = spread["B-02"].lead_organisation
    assert _codes(client, roadmap, federfuehrung=utility.pk)[0] == ["B-02", "C-03"]
    assert _codes(client, roadmap, federfuehrung=utility.pk, handlungsfeld=Sector.MOBILITY)[0] == ["C-03"]
    codes, page = _codes(client, roadmap, handlungsfeld=Sector.ADAPTATION)
    assert codes == [] and "No measure matches these filters." in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [("radweg", ["A-01"]), ("e-05", ["E-05"]), ("abwärme", ["B-02"]), ("  ", ["A-01", "B-02", "C-03", "D-04", "E-05"])],
)
def test_measure_list_searches_code_title_summary_and_description(client, roadmap, spread, query, expected):
    assert _codes(client, roadmap, suche=query)[0] == expected


def test_search_does_not_look_into_internal_texts(client, roadmap, spread):
    spread["A-01"].internal_note = "Vertraulicher Vermerk"
    spread["A-01"].objectives = "Geheimziel"
    spread["A-01"].internal_fields = ["objectives"]
    spread["A-01"].save()
    assert _codes(client, roadmap, suche="Vertraulicher")[0] == []
    assert _codes(client, roadmap, suche="Geheimziel")[0] == []


def test_lead_organisation_choices_are_those_of_published_measures(client, roadmap, spread):
    MeasureFactory(roadmap=roadmap, lead_organisation=OrganisationFactory(name="Verborgene GmbH"), published=False)
    MeasureFactory(lead_organisation=OrganisationFactory(name="Fremde AG"))
    page = _text(client.get(_url("measure-list", roadmap)))
    assert "Kreisverwaltung" in page and "Stadtwerke" in page
    assert "Verborgene GmbH" not in page and "Fremde AG" not in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["A-01", "B-02", "C-03", "D-04", "E-05"]),
        ("-code", ["E-05", "D-04", "C-03", "B-02", "A-01"]),
        ("titel", ["D-04", "C-03", "A-01", "B-02", "E-05"]),
        ("status", ["D-04", "B-02", "A-01", "E-05", "C-03"]),
        ("-status", ["C-03", "E-05", "A-01", "B-02", "D-04"]),
        ("ende", ["C-03", "B-02", "A-01", "E-05", "D-04"]),
        ("-ende", ["E-05", "A-01", "B-02", "C-03", "D-04"]),
        ("wirkung", ["E-05", "A-01", "D-04", "C-03", "B-02"]),
        ("-wirkung", ["C-03", "D-04", "A-01", "E-05", "B-02"]),
    ],
)
def test_measure_list_sorts(client, roadmap, spread, sort, expected):
    assert _order(client, roadmap, sort) == expected


def test_sorting_by_effect_treats_an_internal_effect_as_unknown(client, roadmap, spread):
    spread["C-03"].internal_fields = ["effect"]
    spread["C-03"].save()
    order = _order(client, roadmap, "-wirkung")
    assert order == ["D-04", "A-01", "E-05", "B-02", "C-03"]
    assert "900" not in _text(client.get(_url("measure-list", roadmap), {"sortierung": "-wirkung"}))


def test_column_headers_link_to_the_other_direction(client, roadmap, spread):
    page = _text(client.get(_url("measure-list", roadmap), {"sortierung": "titel", "status": "planned"}))
    assert 'aria-sort="ascending"' in page
    assert "?sortierung=-titel&amp;status=planned" in page or "?status=planned&amp;sortierung=-titel" in page


def test_measure_list_marks_late_and_shows_percent(client, roadmap):
    MeasureFactory(roadmap=roadmap, code="L-01", is_late=True)
    MeasureFactory(roadmap=roadmap, code="L-02", is_late=True, late_override_reason="Förderbescheid verzögert")
    page = _text(client.get(_url("measure-list", roadmap)))
    assert page.count('class="status status-late"') == 1
    row = page.split(">L-01</td>")[1].split("</tr>")[0]
    assert "late" in row
    measure = Measure.objects.get(code="L-02")
    MeasureUpdateFactory(measure=measure, percent=60, date=timezone.localdate() - timedelta(days=10))
    MeasureUpdateFactory(measure=measure, percent=None, date=timezone.localdate())
    MeasureUpdateFactory(measure=measure, percent=95, public=False, date=timezone.localdate())
    row = _text(client.get(_url("measure-list", roadmap))).split(">L-02</td>")[1].split("</tr>")[0]
    assert "60 % done" in row and "95" not in row


def test_measure_list_paginates(client, roadmap):
    MeasureFactory.create_batch(30, roadmap=roadmap)
    first = _text(client.get(_url("measure-list", roadmap)))
    assert "30 measures found" in first and "Page 1 of 2" in first
    second = _text(client.get(_url("measure-list", roadmap), {"page": 2}))
    assert second.count('class="measure-code"') == 5


@pytest.mark.parametrize("params", [{"suche": "x" * 500}, {"suche": "nul\x00byte"}])
def test_bad_filter_values_are_a_400_with_a_message(client, roadmap, spread, params):
    response = client.get(_url("measure-list", roadmap), params)
    assert response.status_code == 400
    assert 'class="error"' in _text(response)
    assert ">A-01</td>" in _text(response)  # the list is still there, unfiltered by the bad value


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"handlungsfeld": "weltraum"}, "Sector “weltraum”"),
        ({"status": "fertig"}, "Status “fertig”"),
        ({"federfuehrung": "abc"}, "Lead organisation “abc”"),
        ({"federfuehrung": "999999"}, "Lead organisation “999999”"),
        ({"sortierung": "passwort"}, "Sort by “passwort”"),
    ],
)
def test_unknown_filter_values_are_ignored_with_a_note(client, roadmap, spread, params, shown):
    """networks.filtering: the list answers 200, unfiltered by the unknown value, and says what it ignored."""
    response = client.get(_url("measure-list", roadmap), params)
    assert response.status_code == 200
    assert f"Unknown filter value ignored: {shown}" in _text(response)
    assert ">A-01</td>" in _text(response) and ">E-05</td>" in _text(response)


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "9999"}, {"page": "-1"}, {"suche": "100%_'\""}])
def test_odd_but_harmless_values_are_no_error(client, roadmap, spread, params):
    assert client.get(_url("measure-list", roadmap), params).status_code == 200


def test_federfuehrung_of_an_organisation_without_published_measures_is_ignored(client, roadmap, spread):
    other = MeasureFactory(lead_organisation=OrganisationFactory())
    response = client.get(_url("measure-list", roadmap), {"federfuehrung": other.lead_organisation_id})
    assert response.status_code == 200
    assert "Unknown filter value ignored" in _text(response)


# --- Measure page ----------------------------------------------------------------------------------


def test_measure_page_tells_what_how_far_and_how_to_take_part(client, roadmap):
    partner = OrganisationFactory(name="Sparkasse Düren")
    measure = MeasureFactory(
        roadmap=roadmap,
        title="Bürgersolaranlagen",
        summary="Bürger*innen beteiligen sich an Solaranlagen.",
        description="Genossenschaftliche Anlagen auf Dächern des Kreises.",
        objectives="20 Anlagen bis 2028",
        target_groups="Bürger*innen, Vereine",
        effect_expected=Decimal("120.5"),
        effect_low=Decimal("80"),
        effect_high=Decimal("150"),
        effect_method="Ertragsrechnung mit Emissionsfaktor",
        effect_source="Klimaschutzkonzept 2021",
        how_to_take_part="Werden Sie Mitglied der Energiegenossenschaft.",
        plain_language_summary="Viele Menschen kaufen zusammen Solar-Anlagen.",
        responsible_body="Kreistag",
        continuous=True,
        end=None,
    )
    measure.partners.add(partner)
    MilestoneFactory(measure=measure, title="Genossenschaft gegründet", done_date=timezone.localdate())
    MeasureUpdateFactory(measure=measure, text="Erste Anlage läuft.", percent=25)
    page = _text(client.get(measure.get_absolute_url()))
    for expected in (
        "Bürgersolaranlagen",
        "Genossenschaftliche Anlagen",
        "20 Anlagen bis 2028",
        "Bürger*innen, Vereine",
        "120.5 t CO2e",
        "at least 80",
        "at most 150",
        "Ertragsrechnung mit Emissionsfaktor",
        "Klimaschutzkonzept 2021",
        "Werden Sie Mitglied der Energiegenossenschaft.",
        "In plain language",
        "Viele Menschen kaufen zusammen Solar-Anlagen.",
        "Kreistag",
        "Sparkasse Düren",
        "Genossenschaft gegründet",
        "Erste Anlage läuft.",
        'value="25"',
        "continuous task",
        "Proposed by the administration.",
        "css/print.css",
    ):
        assert expected in page, expected


def test_measure_page_without_plain_language_summary_has_no_such_section(client, measure):
    assert "In plain language" not in _text(client.get(measure.get_absolute_url()))


def test_measure_page_shows_public_updates_only_as_a_timeline(client, measure):
    MeasureUpdateFactory(measure=measure, text="Alt", percent=10, date=date(2025, 1, 5))
    MeasureUpdateFactory(measure=measure, text="Neu", percent=50, date=date(2025, 6, 5))
    MeasureUpdateFactory(measure=measure, text="Nur intern", percent=99, public=False, date=date(2025, 9, 5))
    page = _text(client.get(measure.get_absolute_url()))
    assert page.index("Neu") < page.index("Alt")
    assert "Nur intern" not in page and "99 % done" not in page
    assert 'value="50"' in page


def test_origin_links_the_workshop_only_for_who_may_see_it(client, personas, roadmap):
    public_event = EventFactory(network=personas.network, title="Auftaktworkshop", visibility=Visibility.PUBLIC)
    measure = MeasureFactory(roadmap=roadmap, origin=Measure.Origin.WORKSHOP, origin_event=public_event)
    page = _text(client.get(measure.get_absolute_url()))
    assert "From the event on" in page and public_event.get_absolute_url() in page

    internal = EventFactory(network=personas.network, title="Interner Workshop", visibility=Visibility.NETWORK)
    measure.origin_event = internal
    measure.save()
    page = _text(client.get(measure.get_absolute_url()))
    assert "Interner Workshop" not in page and internal.get_absolute_url() not in page
    assert "From a stakeholder workshop." in page
    personas.login(client, "member")
    page = _text(client.get(measure.get_absolute_url()))
    assert "Interner Workshop" in page and internal.get_absolute_url() in page


def test_origin_names_the_proposal_only_once_published(client, roadmap):
    proposal = ProposalFactory(roadmap=roadmap, title="Idee aus der Bürgerschaft")
    measure = MeasureFactory(roadmap=roadmap, origin=Measure.Origin.PROPOSAL, origin_proposal=proposal)
    page = _text(client.get(measure.get_absolute_url()))
    assert "Idee aus der Bürgerschaft" not in page and "From a citizen proposal." in page
    proposal.status = Moderation.PUBLISHED
    proposal.save()
    page = _text(client.get(measure.get_absolute_url()))
    assert "Idee aus der Bürgerschaft" in page and _url("proposal", roadmap, proposal.pk) in page


def test_measure_page_shows_published_comments_and_the_authors_own(client, personas, measure):
    citizen = personas.people["citizen"]
    CommentFactory(measure=measure, text="Veröffentlichter Kommentar", status=Moderation.PUBLISHED)
    CommentFactory(measure=measure, text="Wartender Kommentar")
    CommentFactory(measure=measure, text="Eigener wartender Kommentar", author=citizen)
    page = _text(client.get(measure.get_absolute_url()))
    assert "Veröffentlichter Kommentar" in page and "Wartender" not in page
    personas.login(client, "citizen")
    page = _text(client.get(measure.get_absolute_url()))
    assert "Eigener wartender Kommentar" in page and "Wartender Kommentar" not in page
    assert "Waiting for moderation" in page


def test_comments_are_markdown_sanitised(client, measure):
    CommentFactory(measure=measure, text="**Sehr gut** <script>alert(1)</script>", status=Moderation.PUBLISHED)
    page = _text(client.get(measure.get_absolute_url()))
    assert "<strong>Sehr gut</strong>" in page
    assert "<script>alert(1)" not in page


def test_editors_get_their_links_on_the_measure_page(client, personas, measure):
    edit = _url("measure-edit", measure.roadmap, measure.pk)
    assert edit not in _text(client.get(measure.get_absolute_url()))
    personas.login(client, "editor")
    assert edit in _text(client.get(measure.get_absolute_url()))


def test_late_is_shown_beside_the_status(client, measure):
    measure.is_late = True
    measure.save()
    page = _text(client.get(measure.get_absolute_url()))
    assert 'class="status status-late"' in page
    measure.late_override_reason = "Verzögerung durch Lieferengpass, Termin neu vereinbart"
    measure.save()
    assert 'class="status status-late"' not in _text(client.get(measure.get_absolute_url()))


# --- Open data -------------------------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


# The open data's formats: tests/measures/test_open_data.py


def test_open_data_leaves_internal_fields_empty(client, roadmap, measure):
    measure.cost_estimate = Decimal("123456.78")
    measure.internal_fields = ["cost_estimate"]
    measure.save()
    row = json.loads(client.get(_url("open-data-json", roadmap)).content)["measures"][0]
    assert row["cost_estimate_eur"] is None
    assert "123456" not in client.get(_url("open-data-csv", roadmap)).content.decode()


def test_roadmap_page_links_the_open_data(client, roadmap):
    page = _text(client.get(roadmap.get_absolute_url()))
    assert _url("open-data-csv", roadmap) in page and _url("open-data-json", roadmap) in page


# --- Query counts stay flat ------------------------------------------------------------------------


def _grow(roadmap, n, *, measure=None):
    """n more published measures, each with a milestone and public and internal updates, and, on ``measure``,
    n more milestones, updates, partners and comments."""
    author = PersonFactory()
    for i in range(n):
        sector = list(Sector)[i % len(Sector)]
        m = MeasureFactory(roadmap=roadmap, sector=sector, lead_organisation=OrganisationFactory())
        MilestoneFactory(measure=m)
        MeasureUpdateFactory(measure=m, author=author)
        MeasureUpdateFactory(measure=m, author=author, public=False)
        m.partners.add(OrganisationFactory())
        if measure is not None:
            MilestoneFactory(measure=measure)
            MeasureUpdateFactory(measure=measure, author=author)
            measure.partners.add(OrganisationFactory())
            CommentFactory(measure=measure, author=author, status=Moderation.PUBLISHED)


def test_roadmap_list_queries_are_flat(client, db, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            MeasureFactory.create_batch(2, roadmap=RoadmapFactory())

    # the count, the page of roadmaps with their measures by status
    assert_flat(client, reverse("measures:roadmap-list"), grow, django_assert_num_queries, 2)


def test_roadmap_list_queries_are_flat_for_editors(client, personas, roadmap, django_assert_num_queries):
    personas.login(client, "editor")

    def grow(n):
        for _ in range(n):
            MeasureFactory(roadmap=RoadmapFactory(organisation=roadmap.organisation, published=False))

    # session and account from the cache (no query); the count and the page of roadmaps (published or edited by the
    # user) with their measures by status
    assert_flat(client, reverse("measures:roadmap-list"), grow, django_assert_num_queries, 2)


def test_roadmap_page_queries_are_flat(client, roadmap, django_assert_num_queries):
    # roadmap, counts by sector and status, timeline years, milestone years, recent updates, proposal count
    grow = lambda n: _grow(roadmap, n)  # noqa: E731
    # 6 + monitoring: indicators, balance, path, reports; + issue 16: the measures' effects (gap to the target), the
    # network hosted by the organisation, its next public events (events panel), participation phases
    assert_flat(client, roadmap.get_absolute_url(), grow, django_assert_num_queries, 14)


def test_roadmap_page_queries_are_flat_for_editors(client, personas, roadmap, django_assert_num_queries):
    personas.login(client, "editor")
    # session and account from the cache (no query); the 14 of the page, editor check, the person and whether
    # they follow the roadmap (participation)
    grow = lambda n: _grow(roadmap, n)  # noqa: E731
    assert_flat(client, roadmap.get_absolute_url(), grow, django_assert_num_queries, 17)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # roadmap, count, page of measures (with latest percent), lead organisations and municipalities for the filter
        ("", 5),
        # and the search: the published measures' texts, matched in Python (measures.filters.search_ids)
        ("?handlungsfeld=energy_supply&status=in_progress&suche=solar&sortierung=-wirkung", 6),
    ],
)
def test_measure_list_queries_are_flat(client, roadmap, django_assert_num_queries, query, expected):
    grow = lambda n: _grow(roadmap, n)  # noqa: E731
    assert_flat(client, _url("measure-list", roadmap) + query, grow, django_assert_num_queries, expected)


def test_measure_list_filtered_by_organisation_queries_are_flat(client, roadmap, django_assert_num_queries):
    lead = OrganisationFactory()
    MeasureFactory(roadmap=roadmap, lead_organisation=lead)
    url = _url("measure-list", roadmap) + f"?federfuehrung={lead.pk}"
    # roadmap, the chosen organisation checked (networks.filtering) and validated by the form, count, page,
    # organisations for the two filters
    assert_flat(client, url, lambda n: _grow(roadmap, n), django_assert_num_queries, 7)


def test_measure_page_queries_are_flat(client, personas, roadmap, measure, django_assert_num_queries):
    measure.responsible_person = PersonFactory()
    measure.origin_event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    measure.save()
    # roadmap, measure (with lead organisation and event), public updates, responsible person, milestones,
    # partners, the event's network; + issue 16: linked indicators, links, last changed, previous, next, related
    # measures; participation's feedback and replies (the comments, with their authors); + issue 17: the measure
    # library's lineage (the entry it was offered as or copied from, one query); + issue 18: the council decisions
    # (its links to council papers: one query while there are none)
    grow = lambda n: _grow(roadmap, n, measure=measure)  # noqa: E731
    assert_flat(client, measure.get_absolute_url(), grow, django_assert_num_queries, 17)


def test_measure_page_queries_are_flat_for_citizens(client, personas, roadmap, measure, django_assert_num_queries):
    personas.login(client, "citizen")
    # session and account from the cache (no query); roadmap, measure, editor check, public updates, milestones,
    # partners; + issue 16: linked indicators, links, last changed, previous, next, related measures;
    # participation's person, verified email, follow, replies (the comments, with their authors), feedback,
    # netiquette; + issue 17: the measure library's lineage; + issue 18: the council decisions (the links)
    expected = 20
    grow = lambda n: _grow(roadmap, n, measure=measure)  # noqa: E731
    assert_flat(client, measure.get_absolute_url(), grow, django_assert_num_queries, expected)


@pytest.mark.parametrize("name", ["open-data-csv", "open-data-json"])
def test_open_data_queries_are_flat(client, roadmap, django_assert_num_queries, name):
    # roadmap, measures with lead organisation and latest percent
    grow = lambda n: _grow(roadmap, n)  # noqa: E731
    assert_flat(client, _url(name, roadmap), grow, django_assert_num_queries, 2)


def test_home_page_queries_grow_by_one_for_roadmaps(client, db, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            MeasureFactory(roadmap=RoadmapFactory())

    # networks and their count, the events panel, the roadmaps panel: its roadmaps and their count
    assert_flat(client, reverse("networks:home"), grow, django_assert_num_queries, 5)
