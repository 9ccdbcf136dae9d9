# ruff: noqa: E402 (Django is set up before the project is imported)
"""Funding radar performance (issue 17 "Performance"): matching all open-funding measures against 500 programmes
in under 30 s, with 200,000 measures. `make bench-knowledge` runs it (and writes its section of
docs/performance.md); alone:

    bench/with_postgres.sh .venv/bin/python -m bench.funding_bench [--measures 200000] [--programmes 500]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again. Django's cache is a throwaway Redis (bench.common.Redis), as in production.

The world: 11,000 organisations (municipalities, cities, counties of realistic sizes over the 16 Länder, plus
utilities, companies and associations), 2,000 roadmaps, 200,000 measures of which about 12 % have open or missing
funding and are still to do (the rest applied for, granted, rejected, completed or dropped), 500 programmes with
random sectors, kinds of measure, applicants, Länder and size limits, each with one to three calls (some past),
a tenth open at any time; kinds of measure stated for a fifth of the measures. First a world a tenth of that size
(the same 500 programmes), for the query counts at two sizes.

Measured: the whole matching (measures.funding.matching.count_all: one streamed query over the open-funding
measures, the programme index built once) with its query count, how many measures match and the fits in all;
side by side, the naive rule (every measure against every programme, measures.funding.matching.may_apply and the
list checks) on a sample, extrapolated. Then the pages that show fits, a measure's funding page (its editor) and
a network's Förderradar (a member; 60 member organisations): their queries per request through the Django test
client with the cache cleared before each (constant: the same at both sizes), and in the large world under
gunicorn (one worker per core, 4 threads, DEBUG off) with 20 connections, beside the bare Django template view
(the ceiling), without and with the caches (the programme index of the day; the radar page per network, day and
role).
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
SECRET = os.environ.get("BENCH_SECRET_KEY") or __import__("secrets").token_urlsafe(50)  # throwaway, shared
os.environ["DJANGO_SECRET_KEY"] = SECRET  # with gunicorn: the editor's session made here is valid there
from bench.common import Redis

_REDIS = Redis().__enter__()
atexit.register(_REDIS.__exit__)
os.environ["CACHE_URL"] = _REDIS.url
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.common import (
    empty,
    fresh_database,
    load_average,
    load_pages,
    load_table,
    ms,
    ratio,
    session_header,
    time_pages,
    write_section,
)
from measures.funding.matching import Applicant, ProgrammeIndex, count_all, may_apply, open_funding_measures
from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding, MeasureKind
from measures.models import Measure, Roadmap, Sector
from networks.models import Membership, Network, NetworkRole, Organisation, OrganisationRole, Person, State, User

KINDS = Organisation.Kind
PUBLIC = [KINDS.MUNICIPALITY, KINDS.CITY, KINDS.COUNTY]


def organisations(count: int, rng: random.Random) -> list[Organisation]:
    states = list(State.values)
    rows = []
    for n in range(count):
        kind = rng.choices(
            [KINDS.MUNICIPALITY, KINDS.CITY, KINDS.COUNTY, KINDS.UTILITY, KINDS.COMPANY, KINDS.ASSOCIATION],
            [70, 12, 4, 6, 5, 3],
        )[0]
        population = int(min(max(rng.lognormvariate(8.3, 1.3), 200), 3_700_000)) if kind in PUBLIC else None
        rows.append(
            Organisation(
                name=f"Bench-Organisation {n:05d}",
                slug=f"bench-{n:05d}",
                kind=kind,
                state=rng.choice(states),
                population=population * (8 if kind == KINDS.COUNTY else 1) if population else None,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=2000)
    return list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))


def measures(orgs: list[Organisation], count: int, rng: random.Random) -> None:
    public = [o for o in orgs if o.kind in PUBLIC]
    roadmaps = Roadmap.objects.bulk_create(
        [
            Roadmap(organisation=o, title=f"Roadmap {o.name}", slug=f"rm-{o.slug}", target_year=2040, published=True)
            for o in rng.sample(public, min(len(public), max(len(orgs) * 2 // 11, 10)))
        ]
    )
    sectors = list(Sector.values)
    statuses = list(Measure.Status.values)
    batch = []
    for n in range(count):
        open_funding = rng.random() < 0.15
        batch.append(
            Measure(
                roadmap=roadmaps[n % len(roadmaps)],
                code=f"M-{n}",
                slug=f"m-{n}",
                title=f"Maßnahme {n}",
                sector=rng.choice(sectors),
                status=rng.choices(statuses, [10, 30, 30, 20, 4, 3, 3])[0],
                funding_status=rng.choice(["", "planned"])
                if open_funding
                else rng.choice(["applied", "granted", "rejected"]),
                lead_organisation=rng.choice(orgs) if rng.random() < 0.1 else None,
            )
        )
        if len(batch) == 10_000:
            Measure.objects.bulk_create(batch)
            batch = []
    Measure.objects.bulk_create(batch)
    kinds = list(MeasureKind.values)
    stated = open_funding_measures().values_list("pk", flat=True)
    MeasureFunding.objects.bulk_create(
        [
            MeasureFunding(measure_id=pk, kinds=rng.sample(kinds, rng.randint(1, 2)))
            for pk in stated
            if rng.random() < 0.2
        ],
        batch_size=5000,
    )


def programmes(count: int, rng: random.Random, today: date) -> None:
    sectors, kinds, states = list(Sector.values), list(MeasureKind.values), list(State.values)
    applicants = list(KINDS.values)
    rows = []
    for n in range(count):
        low = rng.choice([None, None, 5_000, 20_000, 100_000])
        rows.append(
            FundingProgramme(
                name=f"Bench-Programm {n}",
                slug=f"bench-programm-{n}",
                funder="Bench",
                sectors=rng.sample(sectors, rng.randint(0, 3)),
                measure_kinds=rng.sample(kinds, rng.randint(0, 2)),
                applicant_kinds=rng.choice([[], PUBLIC, rng.sample(applicants, 3)]),
                states=rng.choice([[]] * 3 + [[rng.choice(states)]]),
                population_min=low,
                population_max=rng.choice([None, None, 50_000, 500_000]) if not low or low < 50_000 else None,
                rolling=rng.random() < 0.1,
            )
        )
    created = FundingProgramme.objects.bulk_create(rows)
    calls = [
        FundingCall(programme=p, title=f"Aufruf {k}", deadline=today + timedelta(days=rng.randint(-60, 300)))
        for p in created
        for k in range(rng.randint(1, 3))
    ]
    FundingCall.objects.bulk_create(calls)


def naive(sample: list, everything: list, today: date) -> float:
    """Every measure against every programme (the rule without the index), for a sample; seconds per measure."""
    started = time.perf_counter()
    for sector, kinds, applicant in sample:
        for programme in everything:
            if programme.sectors and sector not in programme.sectors:
                continue
            if kinds and programme.measure_kinds and not set(kinds) & set(programme.measure_kinds):
                continue
            may_apply(programme, applicant)
    return (time.perf_counter() - started) / len(sample)


def world(size: int, measure_count: int, programme_count: int, rng: random.Random, today: date):
    started = time.perf_counter()
    orgs = organisations(size, rng)
    measures(orgs, measure_count, rng)
    programmes(programme_count, rng, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  world: {size:,} organisations, {measure_count:,} measures, {programme_count} programmes "
        f"in {time.perf_counter() - started:,.1f} s",
        flush=True,
    )
    return orgs


def matching(today: date, measure_count: int) -> tuple[list[str], float]:
    """count_all three times (median), beside the naive rule on a sample, extrapolated."""
    runs = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            total, matched, fits = count_all(today=today)
            runs.append(time.perf_counter() - started)
    index = ProgrammeIndex.build(today)
    sample = []
    rows = open_funding_measures().values_list(
        "sector",
        "funding_kinds__kinds",
        "roadmap__organisation__kind",
        "roadmap__organisation__population",
        "roadmap__organisation__state",
    )[:2000]
    for sector, kinds, kind, population, state in rows:
        sample.append((sector, kinds or (), Applicant(kind, population, state)))
    median = statistics.median(runs)
    extrapolated = naive(sample, index.programmes, today) * total
    lines = [
        f"open-funding measures: {total:,} of {measure_count:,}; with at least one fitting programme: {matched:,}; "
        f"fits in all: {fits:,}; programmes that can be applied for: {len(index.programmes)}",
        f"matching all (index): median {ms(median)}, max {ms(max(runs))} of 3 runs, {len(queries)} queries "
        "(goal: under 30 s)",
        f"matching all (naive, {len(sample):,} measures × {len(index.programmes)} programmes, extrapolated): "
        f"{ms(extrapolated)}; the index: {ratio(extrapolated, median)} of that",
    ]
    return lines, median


def viewer_and_pages(orgs: list[Organisation], rng: random.Random, requests: int) -> tuple[User, dict[str, list[str]]]:
    """A person who edits the organisations of ``requests`` open-funding measures and is a member of a network of
    60 public bodies; the addresses of those measures' funding pages and of the network's Förderradar."""
    editor = Person.objects.create(user=User.objects.create_user("editor@bench.test", "x"), name="Bench-Redaktion")
    network = Network.objects.create(name="Bench-Netzwerk", short_name="BN", slug="bench-net", host=orgs[0])
    members = rng.sample([o for o in orgs if o.kind in PUBLIC], 60)
    Membership.objects.bulk_create([Membership(network=network, organisation=o, since="2020-01-01") for o in members])
    NetworkRole.objects.create(network=network, person=editor, role=NetworkRole.Role.MEMBER)
    chosen = list(open_funding_measures().select_related("roadmap").order_by("pk")[::97][:requests])
    OrganisationRole.objects.bulk_create(
        [OrganisationRole(organisation_id=m.roadmap.organisation_id, person=editor) for m in chosen],
        ignore_conflicts=True,
    )
    return editor.user, {
        "measure funding page, its editor": [
            reverse("funding:measure-funding", args=[m.roadmap.slug, m.pk]) for m in chosen
        ],
        "network Förderradar (60 members), a member": [reverse("funding:network-radar", args=[network.slug])],
    }


COUNTED = 30  # addresses whose queries are counted in-process (the cache cleared before each)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=11_000)
    parser.add_argument("--measures", type=int, default=200_000)
    parser.add_argument("--programmes", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100, help="measures whose funding pages are requested")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")))
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    sizes = ((args.organisations // 10, args.measures // 10), (args.organisations, args.measures))
    queries: dict[str, list[tuple[int, int]]] = {}
    with fresh_database("funding radar, two sizes") as ok:
        if not ok:
            return 1
        for size, measure_count in sizes:
            rng = random.Random(17)
            if (size, measure_count) != sizes[0]:
                empty(Organisation, User, Network, FundingProgramme)  # the next world in the same database
            orgs = world(size, measure_count, args.programmes, rng, today)
            lines, _median = matching(today, measure_count)
            print("\n".join(f"  {line}" for line in lines), flush=True)
            user, pages = viewer_and_pages(orgs, rng, args.requests)
            client = Client()
            client.force_login(user)
            session = session_header(client)
            for label, urls in pages.items():
                result = time_pages(client, (urls * COUNTED)[:COUNTED], cached=False)
                queries.setdefault(label, []).append(result["queries"])
                low, high = result["queries"]
                print(f"  {label}: {low}–{high} queries (caches cleared before each request)", flush=True)
            if (size, measure_count) != sizes[-1]:
                continue
            connection.close()  # gunicorn's workers open their own connections
            cookie = session
            load = {label: (urls, cookie) for label, urls in pages.items()}
            results, load_client = load_pages(load, cache_url=_REDIS.url, secret=SECRET, seconds=args.seconds)
            table = load_table(results, {name: tuple(found) for name, found in queries.items()}, goals=tuple(load))
            print("\n".join(table))
            backend = _REDIS.url and "Redis " + _REDIS.version or "local memory"
            write_section(
                "Issue 17: funding radar",
                [
                    f"`bench/funding_bench.py` (make bench-knowledge); {time.strftime('%Y-%m-%d %H:%M %Z')}, "
                    f"{load_average()} at the end. World: {args.organisations:,} organisations, "
                    f"{args.measures:,} measures, {args.programmes} programmes with their calls; the query counts "
                    "also in a world a tenth of that size (the same programmes).",
                    "",
                    *(f"- {line}" for line in lines),
                    "",
                    f"Pages: gunicorn with one worker per core and 4 threads, DEBUG off, Django's cache in "
                    f"{backend}; {load_client}, 20 connections ({args.requests} measures' funding pages in turn; "
                    f"the one network's radar), {args.seconds:g} s per page in 2 turns. With the caches: the "
                    "programme index of the day (renewed by any programme or call change) and the radar page per "
                    "network, day and role (renewed by those and by any measure change).",
                    "",
                    *table,
                ],
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
