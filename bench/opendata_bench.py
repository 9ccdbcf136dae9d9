# ruff: noqa: E402 (Django is set up before the project is imported)
"""DCAT-AP.de catalogue performance (issue 18 "Performance": the catalogue of 30 roadmaps built in under 1 s, cached and
invalidated on change). Run with

    bench/with_postgres.sh .venv/bin/python -m bench.opendata_bench [--roadmaps 30] [--rounds 5]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again. Django's cache is a throwaway Redis (bench.common.Redis), as in production.

The world: ``--roadmaps`` published roadmaps of municipalities and counties with an AGS, 60 measures each, 4 public
indicators of 10 yearly values each and a BISKO balance of 8 sectors over 5 years (three data sets per roadmap, each
with CSV, XLSX and JSON). Measured: the catalogue built afresh (opendata.catalogue.build_graph and one
serialisation: wall and CPU time, queries) for each format, the answer of /katalog/katalog.ttl from the cache,
and after a measure changed (the cache renewed). Goal: built (graph and one format) in under 1 s.
"""

from __future__ import annotations

import argparse
import atexit
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
from bench.common import Redis

_REDIS = Redis().__enter__()
atexit.register(_REDIS.__exit__)
os.environ["CACHE_URL"] = _REDIS.url
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench.common import fresh_database, load_average, ms
from measures.models import Measure, Roadmap, Sector
from monitoring.models import BiskoSector, EmissionBalance, Indicator, IndicatorValue
from networks.models import Organisation
from opendata.catalogue import SERIALISATIONS, build_graph, serialise

GOAL = 1.0


def build(count: int) -> list[Roadmap]:
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench-Kommune {n:03d}",
                slug=f"bench-{n:03d}",
                kind=Organisation.Kind.COUNTY if n % 5 == 0 else Organisation.Kind.MUNICIPALITY,
                ags=f"05{n:03d}000" if n % 5 == 0 else f"05{n:03d}{n % 1000:03d}",
                state="NW",
                website=f"https://www.bench-{n:03d}.de",
            )
            for n in range(count)
        ]
    )
    roadmaps = Roadmap.objects.bulk_create(
        [Roadmap(organisation=o, slug=f"bench-rm-{o.slug}", title=f"Klima-Roadmap {o.name}", target_year=2040,
                 published=True) for o in organisations]
    )  # fmt: skip
    sectors, statuses = list(Sector.values), list(Measure.Status.values)
    Measure.objects.bulk_create(
        [
            Measure(roadmap=r, code=f"M-{i:03d}", slug=f"m-{i:03d}", title=f"Maßnahme {i}",
                    sector=sectors[i % len(sectors)], status=statuses[i % len(statuses)], published=True)
            for r in roadmaps for i in range(60)
        ],
        batch_size=2000,
    )  # fmt: skip
    indicators = Indicator.objects.bulk_create(
        [Indicator(organisation=r.organisation, roadmap=r, name=f"Indikator {i}", unit="MWh", public=True)
         for r in roadmaps for i in range(4)]
    )  # fmt: skip
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=ind, year=2015 + y, value=100 + y) for ind in indicators for y in range(10)],
        batch_size=2000,
    )
    EmissionBalance.objects.bulk_create(
        [
            EmissionBalance(organisation=r.organisation, year=2018 + y, sector=s, emissions=1000 + y)
            for r in roadmaps for y in range(5) for s in list(BiskoSector.values)[:8]
        ],
        batch_size=2000,
    )  # fmt: skip
    return roadmaps


def timed(fmt: str) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, queries, bytes) of building the catalogue afresh in ``fmt``."""
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        body = serialise(build_graph(), fmt)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, len(queries), len(body)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roadmaps", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with fresh_database("DCAT-AP.de catalogue") as ok:
        if not ok:
            return 1
        roadmaps = build(args.roadmaps)
        print(f"{args.roadmaps} published roadmaps, {3 * args.roadmaps} data sets; {load_average()}", flush=True)
        build_graph()  # warm: imports, URL resolver
        worst = 0.0
        for fmt in SERIALISATIONS:
            runs = [timed(fmt) for _ in range(args.rounds)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            worst = max(worst, wall)  # the median per format: one slow run on a shared machine says little
            print(
                f"  built afresh, {fmt:6}: median {ms(wall)} (CPU {ms(cpu)}), max {ms(max(r[0] for r in runs))}, "
                f"{runs[0][2]} query, {runs[0][3] / 1024:,.0f} KiB",
                flush=True,
            )
        client, url = Client(), reverse("opendata:catalogue-file", args=["ttl"])
        with override_settings(PUBLIC_PAGE_CACHE=True):
            cache.clear()
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                for _ in range(20):
                    client.get(url)
                hit = (time.perf_counter() - start) / 20
            print(f"  /katalog/katalog.ttl from the cache: {ms(hit)} per request, {len(queries)} queries", flush=True)
            before = client.get(url).content
            measure = Measure.objects.filter(roadmap=roadmaps[0]).first()
            measure.title = "Geändert"
            measure.save(update_fields=["title", "updated_at"])
            start = time.perf_counter()
            after = client.get(url).content
            print(f"  after a measure changed: renewed in {ms(time.perf_counter() - start)} ({before != after})")
        verdict = "under" if worst < GOAL else "OVER"
        print(f"  goal: built in under {GOAL:.0f} s: slowest median {ms(worst)}, {verdict} the goal", flush=True)
        return 0 if worst < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
