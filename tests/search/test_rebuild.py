"""The nightly rebuild of the search index reads each source a page at a time (keyset by primary key), never the
whole table at once: behind PgBouncer (DATABASE_POOLER=pgbouncer) server-side cursors are off, and .iterator()
would then read every row of a million-item source into memory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.search import index
from networks.search.models import SearchEntry
from tests.measures.factories import MeasureFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def test_rebuild_reads_a_source_page_by_page_and_indexes_every_row(monkeypatch):
    roadmap = RoadmapFactory()
    measures = [MeasureFactory(roadmap=roadmap) for _ in range(5)]
    SearchEntry.objects.filter(kind="measure").delete()
    monkeypatch.setattr(index, "BATCH", 2)

    with CaptureQueriesContext(connection) as queries:
        assert index.rebuild("measure") == 5

    assert set(SearchEntry.objects.filter(kind="measure").values_list("object_id", flat=True)) == {
        measure.pk for measure in measures
    }
    table = f'FROM "{measures[0]._meta.db_table}"'
    pages = [q["sql"] for q in queries.captured_queries if table in q["sql"] and "LIMIT 2" in q["sql"]]
    assert len(pages) == 3  # 2 + 2 + 1 rows, each page after the last key of the one before
    assert all('"id" >' in sql for sql in pages[1:])


def test_a_source_of_exactly_full_pages_ends_with_one_empty_read(monkeypatch):
    roadmap = RoadmapFactory()
    for _ in range(4):
        MeasureFactory(roadmap=roadmap)
    monkeypatch.setattr(index, "BATCH", 2)
    assert index.rebuild("measure") == 4
