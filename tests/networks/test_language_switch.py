"""The language switch works both ways on every page shape (issue 14 §4), also on pages from the page cache.

Each test reads the switch form of the page as served (its hidden ``next``), presses the other language's
button and follows the redirect: the visitor lands on the same page in the chosen language."""

import html
import re

import pytest

from networks.language import url_in_language
from tests.measures.factories import MeasureFactory, RoadmapFactory

SWITCH = "/i18n/setlang/"  # literal: after an /en/ page reverse() would build English addresses


@pytest.fixture
def roadmap(db):
    roadmap = RoadmapFactory(slug="kreis-dueren")
    MeasureFactory(roadmap=roadmap, sector="mobility")
    return roadmap


def _switch_form_next(page: str) -> str:
    form = page.split('class="language-switch"', 1)[1].split("</form>", 1)[0]
    return html.unescape(re.search(r'name="next" value="([^"]*)"', form)[1])


def _switch(client, url: str, language: str, *, status: int = 200) -> str:
    page = client.get(url)
    assert page.status_code == status
    response = client.post(SWITCH, {"language": language, "next": _switch_form_next(page.text)})
    assert response.status_code == 302
    return response["Location"]


def _lands_in(client, url: str, language: str, status: int = 200) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert f'<html lang="{language}">' in response.text


PAGES = [
    # (German address, English address, status)
    ("/", "/en/", 200),
    ("/netzwerke/", "/en/netzwerke/", 200),
    ("/netzwerke/ktt/", "/en/netzwerke/ktt/", 200),
    (
        "/klima-roadmaps/kreis-dueren/massnahmen/?handlungsfeld=mobility&seite=1",
        "/en/klima-roadmaps/kreis-dueren/massnahmen/?handlungsfeld=mobility&seite=1",
        200,
    ),
    ("/gibt-es-nicht/", "/en/gibt-es-nicht/", 404),
    ("/konto/login/?next=%2Fnetzwerke%2F", "/en/konto/login/?next=%2Fen%2Fnetzwerke%2F", 200),
]


@pytest.mark.parametrize("cache_on", [False, True], ids=["no-cache", "page-cache"])
@pytest.mark.parametrize(("german", "english", "status"), PAGES)
def test_switch_both_ways(client, settings, personas, roadmap, german, english, status, cache_on):
    settings.PUBLIC_PAGE_CACHE = cache_on
    for _ in range(2 if cache_on else 1):  # with the cache: the second answer is the stored page
        assert _switch(client, english, "de", status=status) == german
        assert _switch(client, german, "en", status=status) == english
    _lands_in(client, german, "de", status)
    _lands_in(client, english, "en", status)


def test_the_cached_english_page_sends_visitors_to_german(client, settings, roadmap):
    settings.PUBLIC_PAGE_CACHE = True
    url = "/en/klima-roadmaps/kreis-dueren/massnahmen/?handlungsfeld=mobility"
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    response = client.post(SWITCH, {"language": "de", "next": _switch_form_next(cached.text)})
    assert response["Location"] == "/klima-roadmaps/kreis-dueren/massnahmen/?handlungsfeld=mobility"
    assert response.cookies["django_language"].value == "de"


def test_the_referer_is_used_without_next_and_other_hosts_are_refused(client, db):
    response = client.post(SWITCH, {"language": "de"}, HTTP_REFERER="http://testserver/en/netzwerke/?q=1")
    assert response["Location"] == "/netzwerke/?q=1"
    response = client.post(SWITCH, {"language": "de", "next": "https://evil.example/en/"})
    assert response["Location"] == "/"
    response = client.post(SWITCH, {"language": "xx", "next": "/en/netzwerke/"})
    assert response["Location"] == "/en/netzwerke/" and "django_language" not in response.cookies


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("/en", "de", "/"),
        ("/english-page/", "en", "/en/english-page/"),
        ("/en/netzwerke/#kalender", "de", "/netzwerke/#kalender"),
        (
            "/konto/login/?next=https%3A%2F%2Fevil.example%2F",
            "en",
            "/en/konto/login/?next=https%3A%2F%2Fevil.example%2F",
        ),
    ],
)
def test_url_in_language(url, language, expected):
    assert url_in_language(url, language) == expected
