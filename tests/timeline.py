"""Where a run's seconds go, per pytest-xdist worker: SUITE_TIMELINE=<prefix> make test (or pytest) writes one line of
JSON per event and process to <prefix>.<worker>.jsonl (the worker's start, its collection, each test's setup, call
and teardown with the process's CPU seconds, its end); ``python -m tests.timeline <prefix>`` sums them up: each
worker's collection, busy and idle seconds, when it finished (the idle tail), the slowest units (modules and groups)
and the largest setups (module worlds, the demo, the test database).

Off unless SUITE_TIMELINE is set; it asserts nothing."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ENV = "SUITE_TIMELINE"
_out = None


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def _write(event: str, **fields) -> None:
    if _out is not None:
        _out.write(json.dumps({"event": event, "t": round(time.time(), 3), "cpu": _cpu(), **fields}) + "\n")


def pytest_configure(config) -> None:
    global _out
    prefix = os.environ.get(ENV)
    if prefix and _out is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _out = Path(f"{prefix}.{worker}.jsonl").open("a", buffering=1)  # noqa: SIM115 (open until unconfigure)
        _write("configure", worker=worker)


def pytest_collection_finish(session) -> None:
    _write("collected", n=len(session.items))


def pytest_runtest_logreport(report) -> None:
    if _out is not None:
        _write(report.when, id=report.nodeid, d=round(report.duration, 3), outcome=report.outcome)


def pytest_unconfigure(config) -> None:
    global _out
    if _out is not None:
        _write("end")
        _out.close()
        _out = None


def summary(prefix: str, top: int = 25) -> str:
    lines, units, unit_cpu, setups = [], defaultdict(float), defaultdict(float), []
    files = sorted(Path(prefix).parent.glob(Path(prefix).name + ".*.jsonl"))
    events = {f.name[len(Path(prefix).name) + 1 : -len(".jsonl")]: [json.loads(x) for x in f.open()] for f in files}
    if not events:
        return f"no {prefix}.*.jsonl"
    start = min(e[0]["t"] for e in events.values())
    lines.append("worker   collected  first test   busy s   cpu s    idle s  last test ends   tests")
    for worker, evs in events.items():
        if worker == "main" and len(events) > 1:
            continue
        collected = next((e for e in evs if e["event"] == "collected"), evs[0])
        phases = [e for e in evs if e["event"] in ("setup", "call", "teardown")]
        if not phases:
            continue
        busy = sum(e["d"] for e in phases)
        first = phases[0]["t"] - phases[0]["d"] - start
        last = phases[-1]["t"] - start
        tests = sum(1 for e in phases if e["event"] == "call")
        idle = last - first - busy
        lines.append(
            f"{worker:7} {collected['t'] - start:9.1f} {first:11.1f} {busy:8.1f} {phases[-1]['cpu']:7.1f}"
            f" {idle:9.1f} {last:15.1f} {tests:7}"
        )
        cpu_before = collected["cpu"]
        for e in phases:
            path = e["id"].split("::", 1)[0]
            name = "tests/integration/ (services)" if path.startswith("tests/integration/") else path
            units[name] += e["d"]
            unit_cpu[name] += e["cpu"] - cpu_before  # the worker's CPU seconds in this phase (a loaded machine's
            cpu_before = e["cpu"]  # wall seconds say little; these do not count PostgreSQL's or Chromium's)
            if e["event"] == "setup" and e["d"] > 2:
                setups.append((e["d"], worker, e["id"]))
    lines.append(f"\nslowest {top} units (module or group): wall seconds, the worker's CPU seconds")
    lines += [f"{s:8.1f} {unit_cpu[u]:7.1f}  {u}" for u, s in sorted(units.items(), key=lambda x: -x[1])[:top]]
    lines.append(f"\nsetups over 2 s ({len(setups)}, {sum(s[0] for s in setups):.0f} s), the largest:")
    lines += [f"{d:8.1f}  {w}  {i}" for d, w, i in sorted(setups, reverse=True)[:top]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1]))
