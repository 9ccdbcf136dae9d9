"""The journeys' demo (demo_data: loaded once per process, then restored from a snapshot, tests/demo_snapshot.py):
each test starts from the exact state load_demo left, whatever the test before it changed, and the live server
sees it. The tests of this module run in this order, on one worker (each browser module is a group of its own)."""

import hashlib
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.db import connection
from django.utils.text import slugify

from measures.models import Measure
from networks.models import Network, Organisation, Person
from tests import demo_snapshot

pytestmark = pytest.mark.browser

_seen: dict[str, object] = {}


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Every table the snapshot covers: its number of rows and a hash of all their values."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (the catalogue's names)
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def _network(name: str) -> Network:
    return Network.objects.create(name=name, short_name=name, slug=slugify(name), host=Organisation.objects.first())


def media_fingerprint() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_test_that_changes_the_demo_rows_sequences_and_files(demo_data):
    _seen["database"] = database_fingerprint()
    _seen["media"] = media_fingerprint()
    _seen["network_ids"] = sorted(Network.objects.values_list("pk", flat=True))
    assert _seen["media"], "the demo writes files (the published report's PDF)"
    assert Network.objects.filter(slug="kek-dortmund").exists()

    person = Person.objects.get(user__email="kek.mitglied@example.org")
    person.name = "Umbenannt"
    person.save()
    Measure.objects.order_by("pk").first().delete()
    _seen["next_network_id"] = _network("Nur hier").pk
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.write_bytes(b"changed")
    (Path(settings.MEDIA_ROOT) / "left-behind.txt").write_text("by the test before")

    assert database_fingerprint() != _seen["database"]


def test_the_next_test_reads_the_demo_unchanged_also_through_the_live_server(demo_data, live_server):
    assert "database" in _seen, "runs after the test above"
    assert database_fingerprint() == _seen["database"]
    assert media_fingerprint() == _seen["media"]
    # The same primary keys as after the load, and the next new row gets the key it got after the load.
    assert sorted(Network.objects.values_list("pk", flat=True)) == _seen["network_ids"]
    assert _network("Neu").pk == _seen["next_network_id"]

    with urlopen(live_server.url + "/netzwerke/") as response:  # noqa: S310 (the test's own server)
        page = response.read().decode()
    assert "Konsultationskreis Energieeffizienz und Klimaschutz Dortmund" in page
    assert "Umbenannt" not in page and "Nur hier" not in page


def test_the_snapshot_holds_every_row_the_load_made(demo_data):
    """Every table the demo fills is in the snapshot, with as many rows as restored (taken right after the load)."""
    snapshot = demo_snapshot._snapshots[connection.alias]
    restored = database_fingerprint()
    assert {t.name: t.count for t in snapshot.tables} == {table: count for table, (count, _h) in restored.items()}
    assert sum(t.count for t in snapshot.tables) > 1000
