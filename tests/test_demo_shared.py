"""The run's demo snapshot (tests/template_db.py writes it, tests/demo_snapshot.shared reads it in each worker)."""

import json
import time

from tests import demo_snapshot, template_db
from tests.demo_snapshot import Snapshot, Table


def _announce(monkeypatch, work, status="ok") -> None:
    (work / "status").write_text(status)
    announced = {"name": "t", "status": str(work / "status"), "log": str(work / "log"), "demo": str(work / "demo")}
    monkeypatch.setenv(template_db.ENV, json.dumps(announced))


def test_a_worker_reads_the_runs_snapshot_for_its_own_database_with_its_files(tmp_path, monkeypatch):
    media = tmp_path / "loaded"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "r.pdf").write_bytes(b"%PDF")
    table = Table(name="networks_network", columns=["id", "name"], rows=b"1\tKTT\n", count=1)
    taken = Snapshot(database="test_x_template_demo", output="Demo geladen", media=media, tables=[table])
    taken.sequences = [("public.networks_network_id_seq", 1, True)]
    work = tmp_path / "run"
    work.mkdir()
    demo_snapshot.save(taken, work / "demo")
    (media / "reports" / "r.pdf").unlink()  # the load's own directory goes away; the run's copy stays
    _announce(monkeypatch, work)

    shared = demo_snapshot.shared("test_x_gw1")
    assert shared is not None and shared.fresh("test_x_gw1")
    assert shared.database == "test_x_gw1" and shared.output == "Demo geladen"
    assert shared.tables == [table] and shared.sequences == taken.sequences
    assert (shared.media / "reports" / "r.pdf").read_bytes() == b"%PDF"


def test_without_the_runs_snapshot_each_worker_loads_its_own_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(demo_snapshot, "SHARED_WAIT", 30)
    for end in ("demo.unwanted", "demo.failed"):
        work = tmp_path / end
        work.mkdir()
        (work / end).touch()
        _announce(monkeypatch, work)
        started = time.monotonic()
        assert demo_snapshot.shared("test_x_gw0") is None
        assert time.monotonic() - started < 5, end  # no waiting for a file that never comes
    work = tmp_path / "template failed"
    work.mkdir()
    _announce(monkeypatch, work, status="failed")
    assert demo_snapshot.shared("test_x_gw0") is None
    monkeypatch.delenv(template_db.ENV)
    assert demo_snapshot.shared("test_x_gw0") is None
