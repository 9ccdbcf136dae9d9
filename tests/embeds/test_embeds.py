"""Embeds for municipal websites (issue 18 §4): script-free frames that only the websites the roadmap's editors list
may show (CSP frame-ancestors per roadmap, default 'none'), the editors' page and its hosts form, the badge."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import html as lxml_html

from measures.models import Measure
from monitoring.embeds.models import EmbedSettings
from monitoring.embeds.origins import normalise_origin, parse_origins
from monitoring.embeds.services import embed_origins_set
from tests.helpers import assert_flat, de
from tests.measures.factories import MeasureFactory, MeasureUpdateFactory, RoadmapFactory
from tests.monitoring.factories import IndicatorFactory, IndicatorValueFactory


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")
    MeasureFactory(roadmap=roadmap, status=Measure.Status.COMPLETED, slug="solar")
    for _ in range(9):
        MeasureFactory(roadmap=roadmap)
    return roadmap


def urls(roadmap) -> list[str]:
    indicator = IndicatorFactory(roadmap=roadmap, name="PV-Leistung")
    IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("12.5"))
    return [
        reverse("embeds:progress", args=[roadmap.slug]),
        reverse("embeds:measure", args=[roadmap.slug, "solar"]),
        reverse("embeds:indicator", args=[roadmap.slug, indicator.pk]),
    ]


# --- Who may frame them -----------------------------------------------------------------------------------------


def test_no_website_may_frame_them_by_default(client, roadmap):
    for url in urls(roadmap):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"


def test_the_listed_websites_may_frame_them(client, roadmap, personas):
    allowed = ["https://www.kreis-dueren.de", "https://*.dueren.de"]
    embed_origins_set(roadmap=roadmap, origins=allowed, by=personas.user("editor"))
    for url in urls(roadmap):
        response = client.get(url)
        assert directives(response)["frame-ancestors"] == allowed
        assert "X-Frame-Options" not in response
        assert directives(response)["default-src"] == ["'self'"]  # the rest of the policy stays


def test_other_pages_stay_unframeable(client, roadmap, personas):
    embed_origins_set(roadmap=roadmap, origins=["https://www.kreis-dueren.de"], by=personas.user("editor"))
    response = client.get(roadmap.get_absolute_url())
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_another_roadmaps_websites_do_not_count(client, roadmap, personas):
    other = RoadmapFactory()
    embed_origins_set(roadmap=other, origins=["https://www.anderswo.de"], by=personas.user("staff"))
    response = client.get(reverse("embeds:progress", args=[roadmap.slug]))
    assert directives(response)["frame-ancestors"] == ["'none'"]


# --- What they show ---------------------------------------------------------------------------------------------


def test_progress_in_german_without_scripts_and_links_to_the_whole_window(client, roadmap):
    response = client.get(reverse("embeds:progress", args=[roadmap.slug]), HTTP_ACCEPT_LANGUAGE="de")
    page = lxml_html.fromstring(response.content)
    assert page.xpath("//script") == []
    assert page.xpath("//*[@style]") == []  # CSP: no inline styles either
    links = page.xpath("//a[@href]")
    assert links and all(a.get("target") == "_top" for a in links)
    text = page.text_content()
    assert "Klima-Roadmap Kreis Düren" in text and "(10 %)" in text  # 1 of 10 completed


def test_measure_card_shows_status_and_latest_public_percent(client, roadmap):
    measure = roadmap.measures.get(slug="solar")
    MeasureUpdateFactory(measure=measure, percent=80, public=True)
    MeasureUpdateFactory(measure=measure, percent=95, public=False)  # internal: not shown
    page = lxml_html.fromstring(client.get(reverse("embeds:measure", args=[roadmap.slug, "solar"])).content)
    assert page.xpath("//meter/@value") == ["80"]
    assert measure.title in page.xpath("string(//h1)")


def test_indicator_chart_is_the_server_svg_with_its_table(client, roadmap):
    url = urls(roadmap)[2]
    page = lxml_html.fromstring(client.get(url).content)
    assert page.xpath("//svg[@role='img']") and page.xpath("//table[@class='chart-table']")
    assert page.xpath("//script") == []


@pytest.mark.parametrize("what", ["roadmap", "measure", "indicator", "foreign_indicator"])
def test_what_is_not_public_is_404(client, roadmap, what):
    progress, measure, indicator = urls(roadmap)
    if what == "roadmap":
        roadmap.published = False
        roadmap.save(update_fields=["published"])
        url = progress
    elif what == "measure":
        roadmap.measures.filter(slug="solar").update(published=False)
        url = measure
    elif what == "indicator":
        roadmap.indicators.update(public=False)
        url = indicator
    else:
        url = reverse("embeds:indicator", args=[roadmap.slug, IndicatorFactory().pk])
    assert client.get(url).status_code == 404


def test_progress_queries_do_not_grow_with_measures(client, roadmap, django_assert_num_queries):
    url = reverse("embeds:progress", args=[roadmap.slug])
    # roadmap with organisation, measures by status, the allowed websites
    assert_flat(client, url, lambda n: MeasureFactory.create_batch(n, roadmap=roadmap), django_assert_num_queries, 3)


def test_indicator_chart_queries_do_not_grow_with_values(client, roadmap, django_assert_num_queries):
    indicator = IndicatorFactory(roadmap=roadmap)
    url = reverse("embeds:indicator", args=[roadmap.slug, indicator.pk])
    years = iter(range(1990, 2100))

    def grow(n):
        for _ in range(n):
            IndicatorValueFactory(indicator=indicator, year=next(years))

    # roadmap with organisation, the indicator, its values, the allowed websites
    assert_flat(client, url, grow, django_assert_num_queries, 4)


# --- The badge --------------------------------------------------------------------------------------------------


def test_badge_svg_says_the_share_completed(client, roadmap):
    response = client.get(reverse("embeds:badge", args=[roadmap.slug, "svg"]), HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Type"] == "image/svg+xml"
    assert de("%(percent)s %% completed", percent=10) in response.content.decode()
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_badge_png_is_an_image_and_answers_304_while_unchanged(client, roadmap):
    url = reverse("embeds:badge", args=[roadmap.slug, "png"])
    first = client.get(url)
    assert first["Content-Type"] == "image/png" and first.content.startswith(b"\x89PNG")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    roadmap.measures.filter(status=Measure.Status.IN_PROGRESS).update(status=Measure.Status.COMPLETED)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_badge_of_an_unknown_format_is_404(client, roadmap):
    assert client.get(f"/einbetten/{roadmap.slug}/abzeichen.gif").status_code == 404


# --- The editors' page and its hosts form -------------------------------------------------------------------------

VALID = [
    ("https://www.kreis-dueren.de", "https://www.kreis-dueren.de"),
    ("HTTPS://WWW.Kreis-Dueren.DE/", "https://www.kreis-dueren.de"),
    ("https://*.kreis-dueren.de", "https://*.kreis-dueren.de"),
    ("https://cms.example.org:8443", "https://cms.example.org:8443"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
]
INVALID = [
    "www.kreis-dueren.de",  # no scheme
    "http://www.kreis-dueren.de",  # not https
    "*",
    "https://*",
    "https://*.de",  # a whole top-level domain
    "https://www.*.de",
    "https://*.*.dueren.de",
    "https://www.kreis-dueren.de/klima",  # a path
    "https://www.kreis-dueren.de?x=1",
    "https://user@www.kreis-dueren.de",
    "https://10.0.0.1",
    "https://www.kreis-dueren.de:99999",
    "https://www.kreis-dueren.de;script-src",  # CSP injection
    "javascript:alert(1)",
    "data:text/html,x",
    "'self'",
]


@pytest.mark.parametrize(("entry", "stored"), VALID)
def test_origins_that_editors_may_allow(entry, stored):
    assert normalise_origin(entry) == stored


@pytest.mark.parametrize("entry", INVALID)
def test_origins_that_are_refused(entry):
    with pytest.raises(ValidationError):
        normalise_origin(entry)


def test_a_list_is_deduplicated_and_every_error_named():
    assert parse_origins("https://a.de\nhttps://A.de/ , https://b.de") == ["https://a.de", "https://b.de"]
    with pytest.raises(ValidationError) as refused:
        parse_origins("http://a.de https://ok.de *")
    assert len(refused.value.messages) == 2


def test_editor_saves_the_websites(client, roadmap, personas):
    personas.login(client, "editor")
    url = reverse("embeds:settings", args=[roadmap.slug])
    response = client.post(url, {"origins": "https://www.kreis-dueren.de\n\nhttps://*.dueren.de"})
    assert response.status_code == 302
    assert EmbedSettings.objects.get(roadmap=roadmap).origins == ["https://www.kreis-dueren.de", "https://*.dueren.de"]
    assert directives(client.get(reverse("embeds:progress", args=[roadmap.slug])))["frame-ancestors"] == [
        "https://www.kreis-dueren.de",
        "https://*.dueren.de",
    ]


def test_a_wrong_website_is_a_form_error_and_nothing_is_saved(client, roadmap, personas):
    embed_origins_set(roadmap=roadmap, origins=["https://www.kreis-dueren.de"], by=personas.user("editor"))
    personas.login(client, "editor")
    text = "https://www.kreis-dueren.de\nhttp://unsicher.de"
    response = client.post(reverse("embeds:settings", args=[roadmap.slug]), {"origins": text})
    assert response.status_code == 400
    page = lxml_html.fromstring(response.content)
    assert "http://unsicher.de" in page.xpath("string(//p[@class='error'])")
    assert page.xpath("string(//textarea)").strip() == text  # the input is kept
    assert EmbedSettings.objects.get(roadmap=roadmap).origins == ["https://www.kreis-dueren.de"]


def test_emptying_the_list_allows_no_website_again(client, roadmap, personas):
    embed_origins_set(roadmap=roadmap, origins=["https://www.kreis-dueren.de"], by=personas.user("editor"))
    personas.login(client, "editor")
    client.post(reverse("embeds:settings", args=[roadmap.slug]), {"origins": ""})
    response = client.get(reverse("embeds:progress", args=[roadmap.slug]))
    assert directives(response)["frame-ancestors"] == ["'none'"] and response["X-Frame-Options"] == "DENY"


def test_the_editor_dashboard_offers_the_snippet(client, roadmap, personas):
    personas.login(client, "editor")
    page = lxml_html.fromstring(client.get(reverse("measures:editor-dashboard", args=[roadmap.slug])).content)
    snippet = page.xpath("string(//section[h2[@id='embed-heading']]//p/code)")
    assert snippet.startswith("<iframe src=") and "/einbetten/kreis-dueren/" in snippet
    assert page.xpath("//a[@href=$u]", u=reverse("embeds:settings", args=[roadmap.slug]))
