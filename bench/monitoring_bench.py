# ruff: noqa: E402 (Django is set up before the project is imported)
"""Monitoring report performance (issue 5 "Performance"): one table. Run with ``make bench``.

    bench/with_postgres.sh .venv/bin/python -m bench.monitoring_bench

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates
it, measures and drops it again.

A published roadmap of 1,000 measures (every sector and status, milestones, public and internal progress
reports) and 50 indicators with 10 years of measured values and targets, a GHG balance of 10 years in five
sectors with a target path, heat planning, and a network with 24 meetings in the year. Measured per stage of
a report build (the snapshot from the database, then HTML, PDF, XLSX and CSV from the snapshot alone): the
time of the stage (the best of three), the peak of Python's allocations during it (tracemalloc, in a
separate run, as tracemalloc slows what it watches) and the process's peak resident memory after it
(getrusage ru_maxrss: what the worker needs, WeasyPrint's C libraries included). Goal: the whole build
under 30 s and under 500 MB.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # a line per page and pass otherwise

from django.db import connection
from django.utils import timezone, translation

from bench.common import fresh_database, ms
from bench.measures_bench import roadmap_setup
from events.models import Event, Registration
from measures.models import Roadmap
from monitoring.models import (
    BiskoSector,
    EmissionBalance,
    EmissionPath,
    HeatPlanning,
    Indicator,
    IndicatorValue,
    Report,
    Stage,
)
from monitoring.reporting import RENDERERS
from monitoring.reporting.snapshot import build_snapshot
from networks.models import Membership, Network, Person, User

INDICATORS = 50
YEARS = range(2016, 2026)
MEETINGS = 24
PEOPLE = 30
GOAL_SECONDS = 30
GOAL_MB = 500


def monitoring_setup(roadmap: Roadmap) -> Report:
    organisation = roadmap.organisation
    organisation.population = 265_000
    organisation.save(update_fields=["population"])
    for i in range(INDICATORS):
        indicator = Indicator.objects.create(
            organisation=organisation,
            roadmap=roadmap,
            name=f"Indikator {i:02d}: Installierte PV-Leistung auf kommunalen Dächern",
            unit="MWp",
            source="Marktstammdatenregister",
            order=i,
        )
        values = [IndicatorValue(indicator=indicator, year=y, value=1000 + 37.5 * (y - 2016) + i) for y in YEARS]
        values += [
            IndicatorValue(indicator=indicator, year=y, value=1500 + 100 * (y - 2016), kind=IndicatorValue.Kind.TARGET)
            for y in range(2020, 2036)
        ]
        IndicatorValue.objects.bulk_create(values)
    EmissionBalance.objects.bulk_create(
        EmissionBalance(organisation=organisation, year=y, sector=s, emissions=200_000 - 3_000 * (y - 2016))
        for y in YEARS
        for s in BiskoSector.values
    )
    EmissionPath.objects.create(organisation=organisation, baseline_year=2016, target_year=2035, residual_percent=5)
    HeatPlanning.objects.create(organisation=organisation, stage=Stage.TARGET_SCENARIO, office="Wärmeplan GmbH")
    network = Network.objects.create(
        name="Bench-Netzwerk",
        short_name="BN",
        slug="bench-netzwerk",
        kind=Network.Kind.REGIONAL_TEAM,
        host=organisation,
        region="Rheinland",
        meeting_format=Network.MeetingFormat.ONLINE,
        description="Bench",
    )
    Membership.objects.create(network=network, organisation=organisation, since=date(2020, 1, 1))
    people = [
        Person.objects.create(
            user=User.objects.create(email=f"p{i}@bench.example"), name=f"P {i}", organisation=organisation
        )
        for i in range(PEOPLE)
    ]
    for i in range(MEETINGS):
        start = timezone.make_aware(datetime(2025, 1, 7, 10) + timedelta(days=14 * i))
        event = Event.objects.create(
            network=network,
            title=f"Klima.Taten.Talk {i}",
            kind="office_hour",
            format="online",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        Registration.objects.bulk_create(
            Registration(event=event, person=p, status=Registration.Status.ATTENDED) for p in people[: 5 + i % 20]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Report.objects.create(
        scope=Report.Scope.ROADMAP,
        roadmap=roadmap,
        title="Monitoringbericht Bench 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        language="de",
    )


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def stages(report: Report):
    """(name, function) of the build in order; the renderers take the snapshot the first stage made."""
    state = {}

    def snapshot():
        with translation.override(report.language):
            state["snapshot"] = build_snapshot(report)
        return state["snapshot"]

    out = [("snapshot from the database", snapshot)]
    for fmt in ("html", "pdf", "xlsx", "csv"):
        out.append((fmt.upper(), lambda fmt=fmt: RENDERERS[fmt](state["snapshot"])))
    return out


def measure(report: Report) -> list[tuple]:
    rows = []
    timed = {}
    for _round in range(3):
        for name, fn in stages(report):
            t0 = time.perf_counter()
            result = fn()
            timed.setdefault(name, []).append(time.perf_counter() - t0)
            if name != "snapshot from the database":
                timed.setdefault(name + " size", []).append(len(result))
    rss = {}
    peaks = {}
    for name, fn in stages(report):
        tracemalloc.start()
        try:
            fn()
            peaks[name] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        rss[name] = maxrss_mb()
    for name, _fn in stages(report):
        size = timed.get(name + " size")
        rows.append(
            (
                name,
                ms(min(timed[name])),
                f"{peaks[name] / 2**20:,.1f} MB",
                f"{rss[name]:,.0f} MB",
                f"{size[0] / 1024:,.0f} KiB" if size else "",
            )
        )
    total = sum(min(timed[name]) for name, _fn in stages(report))
    rows.append(("sum of the stages", ms(total), "", f"{maxrss_mb():,.0f} MB", ""))
    return rows, total


def worker_build(report: Report) -> dict:
    """The whole build as a worker runs it (services.report_build), in a fresh process: its time and peak RSS."""
    from bench.common import database_url

    env = {**os.environ, "DATABASE_URL": database_url(), "BENCH_CHILD_REPORT": str(report.pk)}
    command = [sys.executable, "-m", "bench.monitoring_bench"]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def child(report_id: int) -> int:
    """In the fresh process: build the report like the Celery task does, print time and peak RSS as JSON."""
    from monitoring.services.reports import report_build

    before = maxrss_mb()
    t0 = time.perf_counter()
    result = report_build(report_id)
    seconds = time.perf_counter() - t0
    print(json.dumps({"result": result, "seconds": seconds, "maxrss_mb": maxrss_mb(), "start_mb": before}))
    return 0


def main() -> int:
    with fresh_database("monitoring") as ok:
        if not ok:
            return 1
        roadmap = roadmap_setup(1_000)
        report = monitoring_setup(roadmap)
        print(
            f"{roadmap.measures.count():,} measures, {INDICATORS} indicators × {len(YEARS)} years; "
            f"{MEETINGS} network meetings",
            flush=True,
        )
        built = worker_build(report)
        assert built["result"] == "done", built
        rows, _total = measure(report)
        total, peak = built["seconds"], built["maxrss_mb"]
        rows.append(("report_build in a fresh process", ms(total), "", f"{peak:,.0f} MB", ""))
    header = ("report stage", "time (best of 3)", "tracemalloc peak", "maxrss after", "file")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    verdict = "met" if total < GOAL_SECONDS and peak < GOAL_MB else "NOT met"
    print(
        f"Goal (under {GOAL_SECONDS} s and {GOAL_MB} MB): {verdict} — the whole build {total:.1f} s, "
        f"{peak:,.0f} MB peak resident memory of the process (Python {built['start_mb']:,.0f} MB at the start)"
    )
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD_REPORT"):
        sys.exit(child(int(os.environ["BENCH_CHILD_REPORT"])))
    sys.exit(main())
