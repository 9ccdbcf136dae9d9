"""The search's query path on the backend the suite runs on (SQLite locally, PostgreSQL in CI): German folding
and stemming, phrases, facets, snippets, sorting, paging, and input that is no query at all."""

import pytest
from django.contrib.auth.models import AnonymousUser

from networks.search import registry
from networks.search import text as search_text
from networks.search.query import search
from tests.measures.factories import MeasureFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


def titles(q, user=ANON, **options):
    return [h.title_html.replace("<mark>", "").replace("</mark>", "") for h in search(user, q, **options).hits]


@pytest.fixture
def measures():
    roadmap = RoadmapFactory(title="Klima-Roadmap Kreis Düren", slug="dueren")
    made = {
        "plan": MeasureFactory(roadmap=roadmap, code="W-1", title="Kommunale Wärmeplanung beauftragen"),
        "pump": MeasureFactory(roadmap=roadmap, code="W-2", title="Wärmepumpen in Schulen", summary="Heizung"),
        "street": MeasureFactory(
            roadmap=roadmap, code="V-1", title="Fahrradstraße am Bahnhof", summary="Die Straße wird umgebaut."
        ),
        "phrase": MeasureFactory(
            roadmap=roadmap, code="E-1", title="Energiesteuer senken", summary="Wärme der Zukunft: Netze."
        ),
        "hidden": MeasureFactory(roadmap=roadmap, code="X-1", title="Geheime Wärmeplanung", published=False),
    }
    registry.reindex()
    return made


def test_umlaut_transcription_finds_umlaut():
    assert search_text.alternatives("waerme") == ("waerme", "warme")
    assert search_text.alternatives("quelle") == ("quelle",)


def test_waerme_finds_waerme_with_umlaut(measures):
    assert set(titles("Waerme")) == set(titles("Wärme"))
    assert "W-2 Wärmepumpen in Schulen" in titles("Waerme")


def test_plural_compound_finds_planning(measures):
    assert titles("Wärmepläne") == ["W-1 Kommunale Wärmeplanung beauftragen"]
    assert titles("waermeplaene") == ["W-1 Kommunale Wärmeplanung beauftragen"]


def test_sharp_s_and_ss(measures):
    assert titles("Strasse") == ["V-1 Fahrradstraße am Bahnhof"]
    assert titles("Straße") == ["V-1 Fahrradstraße am Bahnhof"]


def test_all_words_must_match(measures):
    assert titles("Wärmepumpen Schulen") == ["W-2 Wärmepumpen in Schulen"]
    assert titles("Wärmepumpen Bahnhof") == []


def test_phrase_in_order(measures):
    assert titles('"Wärme der Zukunft"') == ["E-1 Energiesteuer senken"]
    assert titles('"Zukunft Wärme"') == []


def test_unpublished_is_not_public(measures):
    assert "X-1 Geheime Wärmeplanung" not in titles("Geheime")


def test_snippet_and_title_marked_and_escaped(measures):
    MeasureFactory(code="S-1", title="<script>alert(1)</script> Wärmenetz", summary="<b>Wärmenetz</b> & mehr")
    registry.reindex("measure")
    hit = search(ANON, "Wärmenetz").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>Wärmenetz</mark>" in hit.title_html
    assert "<b>" not in hit.snippet_html and "<mark>" in hit.snippet_html


def test_facets_count_what_is_visible(measures):
    result = search(ANON, "Wärme")
    kinds = {f.value: f.count for f in result.kinds}
    assert kinds == {"measure": 3}
    assert result.total == 3


@pytest.mark.parametrize(
    "q", ["", "   ", "!!!", '"', '"""', "NEAR(a b", "*", "a* OR b", "AND", "x" * 5000, "der die das", "'; DROP"]
)
def test_odd_input_is_no_error(measures, q):
    result = search(ANON, q)
    assert result.total >= 0


def test_sort_by_date_and_paging(measures):
    for n in range(25):
        MeasureFactory(code=f"P-{n}", title=f"Photovoltaik Dach {n}")
    registry.reindex("measure")
    first = search(ANON, "Photovoltaik", order="date")
    assert first.total == 25 and first.pages == 2 and len(first.hits) == 20
    second = search(ANON, "Photovoltaik", order="date", page=2)
    assert len(second.hits) == 5
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}
    assert search(ANON, "Photovoltaik", page=99).page == 2


def test_more_hits_than_the_cap_are_said_and_counted_newest_first(measures, monkeypatch):
    from networks.search import backends, query

    monkeypatch.setattr(backends, "CAP", 5)
    monkeypatch.setattr(query, "CAP", 5)
    monkeypatch.setattr(query, "MAX_PAGE", 1)
    for n in range(8):
        MeasureFactory(code=f"C-{n}", title=f"Kappungsgrenze {n}")
    registry.reindex("measure")
    result = search(ANON, "Kappungsgrenze", order="date")
    assert result.more and result.total == 5 and sum(f.count for f in result.kinds) == 5
    assert len(result.hits) == 5 and result.pages == 1
    narrowed = search(ANON, "Kappungsgrenze", kind="measure")
    assert narrowed.total == 5 and len(narrowed.hits) == 5


def test_a_filter_reaches_beyond_the_newest_hits(measures, monkeypatch):
    """The kind filter has candidates of its own: older hits of that kind are found though newer ones of other
    kinds fill the unfiltered candidates."""
    from networks.search import backends, query

    monkeypatch.setattr(backends, "CAP", 3)
    monkeypatch.setattr(query, "CAP", 3)
    roadmap = RoadmapFactory(title="Eigenstrom Roadmap")  # older than the measures below
    for n in range(4):
        MeasureFactory(code=f"E-{n + 10}", title=f"Eigenstrom {n}")
    registry.reindex()
    assert search(ANON, "Eigenstrom", kind="roadmap").total == 1
    assert roadmap.title in search(ANON, "Eigenstrom", kind="roadmap").hits[0].title_html.replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_sorting_by_date_ranks_nothing(measures):
    """Sorted by date, the candidates are not ranked (ts_rank reads each candidate's whole tsvector); the hits are
    the same as by relevance, newest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as by_date:
        dated = search(ANON, "Wärme", order="date")
    with CaptureQueriesContext(connection) as by_relevance:
        ranked = search(ANON, "Wärme")
    assert {h.object_id for h in dated.hits} == {h.object_id for h in ranked.hits} and len(dated.hits) == 3
    dates = [h.date for h in dated.hits]
    assert dates == sorted(dates, reverse=True)
    if connection.vendor == "postgresql":
        assert not any("ts_rank" in q["sql"] for q in by_date.captured_queries)
        assert any("ts_rank" in q["sql"] for q in by_relevance.captured_queries)


# --- PostgreSQL: a prefix written as the lexemes it stands for (migration 0003's lexicon) ------------------------


def _lexicon(prefix: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM search_lexeme WHERE starts_with(word, %s)", [prefix])
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the lexicon is PostgreSQL's (SQLite's FTS5 has no prefix bitmap to avoid)")


def test_the_lexicon_follows_the_index(on_postgresql, measures):
    """Every lexeme of an indexed item is in the lexicon, also after its text changes (the triggers of 0003)."""
    assert {"warmepump", "warmeplan"} <= _lexicon("warme")
    measure = measures["pump"]
    measure.title = "Wärmepumpenquartier Zwiebelturm"
    measure.save()
    registry.reindex("measure")
    assert _lexicon("zwiebelturm") and _lexicon("warmepumpenquarti")


def test_expanded_prefixes_find_what_the_prefix_finds(on_postgresql, measures, monkeypatch, settings):
    """A query of several words finds, counts and ranks the same with its prefixes written out as lexemes as with
    the GIN index's prefix match; the lexemes are looked up in one statement, none for a word alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks.search import backends

    settings.PUBLIC_PAGE_CACHE = False  # every search runs its statements (networks.search.answers)
    MeasureFactory(code="W-3", title="Wärmepumpenförderung für Schulen", summary="Wärmepumpe im Schulzentrum")
    MeasureFactory(code="W-4", title="Schulen heizen", summary="Wärmepumpen und Wärmenetze")
    registry.reindex("measure")
    queries = ["Wärmepumpe Schulen", "Wärme Schulen", "waermepumpen schule", "Schulen Wärmepumpen", "Wärm Zukunft"]
    expanded = {q: (search(ANON, q).total, titles(q), titles(q, order="date")) for q in queries}
    with CaptureQueriesContext(connection) as captured:
        search(ANON, "Wärmepumpe Schulen")
    assert any("search_lexeme" in q["sql"] for q in captured.captured_queries)
    written_out = [q["sql"] for q in captured.captured_queries if "search_searchentry" in q["sql"]][0]
    assert "'warmepump':*" not in written_out and "'warmepump'" in written_out
    with CaptureQueriesContext(connection) as alone:
        search(ANON, "Wärmepumpe")
    assert not any("search_lexeme" in q["sql"] for q in alone.captured_queries)

    monkeypatch.setattr(backends.PostgresBackend, "_lexemes", staticmethod(lambda query: {}))
    assert {q: (search(ANON, q).total, titles(q), titles(q, order="date")) for q in queries} == expanded
    assert expanded["Wärmepumpe Schulen"][0] == 3 and expanded["Wärme Schulen"][0] >= 3  # W-2, W-3, W-4


def test_a_prefix_of_many_lexemes_stays_a_prefix(on_postgresql, measures):
    from networks.search import backends

    for n in range(backends.PREFIX_LEXEMES + 2):
        MeasureFactory(code=f"Z-{n}", title=f"Zählpunkt{n}x Bahnhof")
    registry.reindex("measure")
    query = search_text.parse("Zählpunkt Bahnhof")
    assert "zahlpunkt" not in backends.PostgresBackend._lexemes(query)  # Bahnhof is written out
    assert search(ANON, "Zählpunkt Bahnhof").total == backends.PREFIX_LEXEMES + 2


def test_marking_keeps_a_titles_punctuation_and_finds_a_late_hit():
    """A title is marked whole, its quotes and closing mark kept; a snippet of a long text is the words around its
    first hit (found by the stems' patterns: umlauts, "ae", "ß", capitals), with … where text is left out."""
    from networks.search.backends import START, STOP, mark_words

    stems = search_text.parse("Wärmepumpe Straße").highlight_words()
    title = mark_words("„Was kostet eine Wärmepumpe?“", stems, whole=True)
    assert title == f"„Was kostet eine {START}Wärmepumpe{STOP}?“"
    body = "Vorwort " * 3000 + "Die WAERMEPUMPEN an der Strasse. " + "Nachwort " * 100
    snippet = mark_words(body, stems)
    assert snippet.startswith("… Vorwort") and snippet.endswith(" …")
    assert f"{START}WAERMEPUMPEN{STOP}" in snippet and f"{START}Strasse{STOP}" in snippet
    assert mark_words("Nichts davon hier.", stems) == "Nichts davon hier"  # the words, from the start
