"""The search page (/suche/) for every persona, its queries, odd input; the index kept current on changes."""

import pytest
from django.urls import reverse

from events.models import Visibility
from networks.search import registry
from networks.search.models import SearchEntry
from tests.conftest import PERSONAS
from tests.events.factories import EventFactory
from tests.measures.factories import MeasureFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


@pytest.fixture
def indexed(personas):
    MeasureFactory(title="Wärmepumpe im Rathaus")
    EventFactory(network=personas.network, title="Wärmepumpen-Stammtisch intern")
    EventFactory(network=personas.network, title="Wärmepumpen-Fachtag", visibility=Visibility.PUBLIC)
    registry.reindex()
    return personas


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_the_page(indexed, client, persona):
    indexed.login(client, persona)
    response = client.get(URL, {"q": "Wärmepumpe"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<mark>Wärmepumpe</mark> im Rathaus" in content
    assert ("Stammtisch" in content) == (persona in ("member", "coordinator", "staff"))


def test_empty_query_shows_only_the_form(indexed, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["result"].total == 0 and not response.context["searched"]
    assert b'name="q"' in response.content
    assert b"search-results" not in response.content and b"search-nothing" not in response.content


def test_nothing_found_helps(indexed, client):
    response = client.get(URL, {"q": "Quantenschaum"})
    assert b"search-nothing" in response.content
    assert reverse("account_login").encode() in response.content  # anonymous: log in to find more


def test_header_box_on_every_page(client):
    response = client.get(reverse("networks:network-list"))
    assert b'class="header-search"' in response.content and f'action="{URL}"'.encode() in response.content
    assert b'class="header-search-link"' in response.content  # the phone's icon link


def test_english_page_links_english_addresses(indexed, client):
    response = client.get("/en" + URL, {"q": "Wärmepumpe Rathaus"})
    hit = response.context["result"].hits[0]
    assert hit.url.startswith("/en/")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "!!! ??? ..."},
        {"q": '"Wärme'},
        {"q": 'NEAR(Wärme "pumpe") OR *'},
        {"q": "Wärme", "page": "-3"},
        {"q": "Wärme", "page": "99999999999999999999"},
        {"q": "Wärme", "kind": "nonsense", "network": "abc"},
        {"q": "Wärme", "network": "99999999999999999999999"},
        {"q": "Wärme", "sort": "'; DROP TABLE"},
        {"q": "\x00Wärme\ue000"},
    ],
)
def test_odd_input_is_a_page(indexed, client, params):
    response = client.get(URL, params)
    assert response.status_code == 200


def test_facet_filters(indexed, client):
    response = client.get(URL, {"q": "Wärmepumpe", "kind": "measure"})
    result = response.context["result"]
    assert [h.kind for h in result.hits] == ["measure"]
    assert {f.value: f.selected for f in result.kinds}["measure"] is True


def test_constant_queries(indexed, client, django_assert_num_queries):
    """Session and user come from the cache. A new search: the search with its counts and the page with its
    snippets (1), the names of the facets' networks (1), and the viewer's scopes (1) on their first search only;
    the same search again runs no query at all (its answer and the scopes from the cache)."""
    indexed.login(client, "member")
    roadmap = RoadmapFactory()
    with django_assert_num_queries(3):  # the scopes read once, then kept
        assert client.get(URL, {"q": "Stammtisch"}).status_code == 200
    for size in (3, 30):
        for n in range(size):
            MeasureFactory(roadmap=roadmap, title=f"Wärmepumpe {size}-{n}")
            EventFactory(network=indexed.network, title=f"Wärmepumpen-Treffen {size}-{n}")
        registry.reindex()
        with django_assert_num_queries(2):
            response = client.get(URL, {"q": "Wärmepumpe"})
        assert response.status_code == 200
        result = response.context["result"]
        assert len(result.hits) == min(2 * size + 3, 20)  # the fixture's three items too
        assert result.networks[0].label == (indexed.network.short_name or indexed.network.name)
        with django_assert_num_queries(0):
            again = client.get(URL, {"q": "Wärmepumpe"}).context["result"]
        assert again.hits == result.hits and again.networks == result.networks


def test_post_is_refused(client):
    assert client.post(URL, {"q": "x"}).status_code == 405


# --- The index follows changes (after commit) -----------------------------------------------------------------


def _titles(kind):
    return set(SearchEntry.objects.filter(kind=kind).values_list("title", flat=True))


def test_save_unpublish_and_delete_follow(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        measure = MeasureFactory(code="K-1", title="Klimaanpassung")
    assert "K-1 Klimaanpassung" in _titles("measure")
    with django_capture_on_commit_callbacks(execute=True):
        measure.title = "Hitzeschutz"
        measure.save()
    assert "K-1 Hitzeschutz" in _titles("measure") and "K-1 Klimaanpassung" not in _titles("measure")
    assert SearchEntry.objects.get(kind="measure", object_id=measure.pk).scopes == "public"
    with django_capture_on_commit_callbacks(execute=True):
        measure.published = False
        measure.save()
    entry = SearchEntry.objects.get(kind="measure", object_id=measure.pk)
    assert entry.scopes == f"editors:{measure.roadmap.organisation_id}"
    with django_capture_on_commit_callbacks(execute=True):
        measure.delete()
    assert not SearchEntry.objects.filter(kind="measure", object_id=measure.pk).exists()


def test_dependency_reindexes_related(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        measure = MeasureFactory()
    roadmap = measure.roadmap
    with django_capture_on_commit_callbacks(execute=True):
        roadmap.published = False
        roadmap.save()
    assert SearchEntry.objects.get(kind="measure", object_id=measure.pk).scopes.startswith("editors:")


def test_a_dependency_is_read_once_after_the_commit_and_never_when_rolled_back(django_capture_on_commit_callbacks):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):
        measure = MeasureFactory()
    roadmap = measure.roadmap
    measures_of_roadmap = f'"measures_measure"."roadmap_id" = {roadmap.pk}'

    def reads(queries) -> int:
        return sum(measures_of_roadmap in q["sql"] and "SELECT" in q["sql"] for q in queries)

    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks() as callbacks:
            for published in (True, True, False):
                roadmap.published = published
                roadmap.save()
        assert reads(queries.captured_queries) == 0  # nothing read before the commit
        for callback in callbacks:
            callback()
    assert reads(queries.captured_queries) == 1  # three saves, one read
    assert SearchEntry.objects.get(kind="measure", object_id=measure.pk).scopes.startswith("editors:")

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        roadmap.published = True
        roadmap.save()
        transaction.set_rollback(True)
    assert reads(queries.captured_queries) == 0


def test_changes_rolled_back_are_not_indexed(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                MeasureFactory(title="Verworfen")
                raise RuntimeError
        except RuntimeError:
            pass
        MeasureFactory(title="Behalten")
    titles = " ".join(_titles("measure"))
    assert "Behalten" in titles and "Verworfen" not in titles


def test_many_changes_go_to_a_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # one transaction, as an import's
        roadmap = RoadmapFactory()
        for n in range(registry.INLINE_LIMIT + 5):
            MeasureFactory(roadmap=roadmap, title=f"Massenimport {n}")
    assert len([t for t in _titles("measure") if "Massenimport" in t]) == registry.INLINE_LIMIT + 5


def test_rebuild_drops_what_is_gone():
    measure = MeasureFactory(title="Vergessen")
    registry.reindex("measure")
    SearchEntry.objects.filter(kind="measure").update(indexed_at="2000-01-01T00:00:00Z")
    from measures.models import Measure

    Measure.objects.filter(pk=measure.pk).delete()  # a bulk delete: no signal
    registry.reindex("measure")
    assert not SearchEntry.objects.filter(kind="measure", object_id=measure.pk).exists()


def test_reindex_command(capsys):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    MeasureFactory()
    out = StringIO()
    call_command("search_reindex", "--kind", "measure", stdout=out)
    assert "measure: 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("search_reindex", "--kind", "nonsense")
