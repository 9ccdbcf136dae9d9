# ruff: noqa: E402 (Django is set up before the project is imported)
"""Measure library performance (issue 17 "Performance"): 11,000 organisations, 200,000 measures, 2,000 entries.
`make bench-knowledge` runs it (and writes its section of docs/performance.md); alone:

    bench/with_postgres.sh .venv/bin/python -m bench.catalogue_bench [--organisations 11000] [--requests 100]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again. Django's cache is a throwaway Redis (bench.common.Redis), as in production.

The world: 11,000 public bodies with a realistic spread of sizes over the 16 Länder; 2,000 published roadmaps of
100 measures each (200,000); 2,000 library entries (1,400 offered from measures, 600 curated) with costs and
effects over every band; 20,000 adoptions (copies in other roadmaps, in every status). First a world a tenth of
that size (1,100 organisations, 20,000 measures, 200 entries), for the query counts at two sizes.

Measured, in each world: the queries per request of the library page (random filters: sector, size class, kind,
Land, cost and effect band, status reached by adopters; sorts and pages) and of random entry pages, anonymous and
signed in as an editor, through the Django test client with the cache cleared before each request (constant:
the same at both sizes). In the large world, as bench/scale_bench.py measures pages: gunicorn (one worker per
core, 4 threads, DEBUG off) with 20 connections cycling through those addresses, beside the bare Django template
view (the ceiling), without and with the caches of networks/cache.py (anonymous visitors: the public-page cache;
a signed-in editor: the library page per curator/staff/citizen flags; the entry page is rendered for each
request). Goal: the library page's p95 under 100 ms with the caches.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import sys
import time
from decimal import Decimal

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

from bench.common import (
    empty,
    fresh_database,
    load_average,
    load_pages,
    load_table,
    municipal_population,
    session_header,
    time_pages,
    write_section,
)
from measures.catalogue import bands
from measures.catalogue.models import Adoption, LibraryEntry
from measures.models import Measure, Roadmap, Sector
from networks.models import Organisation, OrganisationRole, Person, State, User

STATUSES = list(Measure.Status.values)


def roadmap_count(organisations: int) -> int:
    """2,000 roadmaps (and library entries) for 11,000 organisations, a tenth for a tenth."""
    return max(organisations * 2 // 11, 10)


def build(count: int, rng: random.Random) -> tuple[list[Organisation], list[Roadmap]]:
    states = list(State.values)
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench-Kommune {n:05d}",
                slug=f"bench-{n:05d}",
                kind=Organisation.Kind.COUNTY if n % 27 == 0 else rng.choice(["municipality", "city"]),
                state=states[n % len(states)],
                population=municipal_population(rng),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    organisations = list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))
    roadmaps = Roadmap.objects.bulk_create(
        [
            Roadmap(organisation=o, slug=f"bench-rm-{o.pk}", title="Fahrplan", target_year=2040, published=True)
            for o in rng.sample(organisations, roadmap_count(count))
        ]
    )
    sectors = list(Sector.values)
    Measure.objects.bulk_create(
        [
            Measure(
                roadmap=roadmap,
                code=f"M-{n}",
                slug=f"m-{n}",
                title=f"Maßnahme {n}",
                sector=sectors[n % len(sectors)],
                status=rng.choice(STATUSES),
                cost_estimate=Decimal(rng.randrange(1, 2000) * 1000),
                published=rng.random() < 0.9,
            )
            for roadmap in roadmaps
            for n in range(100)
        ],
        batch_size=5000,
    )
    return organisations, roadmaps


def library(roadmaps: list[Roadmap], rng: random.Random) -> list[LibraryEntry]:
    measures = list(Measure.objects.values_list("pk", "roadmap_id", "roadmap__organisation_id", "code"))
    rng.shuffle(measures)
    total = len(roadmaps)  # as many entries as roadmaps: 70 % offered from a measure, 10 copies each
    offered = total * 7 // 10
    sources, copies = measures[:offered], measures[offered : offered + total * 10]
    entries = []
    for n in range(total):
        low = Decimal(rng.choice([500, 5_000, 20_000, 80_000, 300_000, 2_000_000]))
        high = low * rng.choice([1, 2, 3])
        effect = Decimal(rng.choice([None, 3, 30, 300, 3000]) or 0) or None
        source = sources[n] if n < len(sources) else None
        entries.append(
            LibraryEntry(
                slug=f"bench-eintrag-{n}",
                title=f"Bibliothekseintrag {n}",
                summary="Eine typische Maßnahme kommunaler Klimaschutzprogramme.",
                description="Erst prüfen, dann **umsetzen**.",
                description_html="<p>Erst prüfen, dann <strong>umsetzen</strong>.</p>",
                sector=rng.choice(list(Sector.values)),
                cost_low=low,
                cost_high=high,
                effect_expected=effect,
                milestone_template=[{"title": "Beschluss", "months": 3}],
                source_measure_id=source[0] if source else None,
                source_organisation_id=source[2] if source else None,
                source_code=source[3] if source else "",
                offered=source is not None,
                published=True,
                cost_band=bands.cost_band(low, high),
                effect_band=bands.effect_band(effect),
                effect_per_keur=bands.effect_per_keur(effect, low, high),
            )
        )
    LibraryEntry.objects.bulk_create(entries, batch_size=2000)
    entries = list(LibraryEntry.objects.order_by("pk"))
    Adoption.objects.bulk_create(
        [
            Adoption(entry=rng.choice(entries), measure_id=pk, organisation_id=organisation)
            for pk, _roadmap, organisation, _code in copies
        ],
        batch_size=5000,
    )
    from measures.catalogue.selectors import adopters_recount

    adopters_recount([entry.pk for entry in entries])  # as the signals store it after each adoption
    return entries


def editor(roadmaps: list[Roadmap]) -> User:
    user = User.objects.create_user("bench.redaktion@example.org", "x")
    person = Person.objects.create(user=user, name="Bench Redaktion", organisation=roadmaps[0].organisation)
    OrganisationRole.objects.create(organisation=roadmaps[0].organisation, person=person)
    return user


def list_url(rng: random.Random) -> str:
    choices = {
        "handlungsfeld": list(Sector.values),
        "groesse": [key for key, _label in bands.size_class_choices()],
        "art": ["municipality", "city", "county"],
        "land": list(State.values),
        "kosten": list(bands.CostBand.values),
        "wirkung": list(bands.EffectBand.values),
        "erreicht": ["in_progress", "completed"],
    }
    params = [f"{name}={rng.choice(values)}" for name, values in choices.items() if rng.random() < 0.3]
    params.append(f"sortierung={rng.choice(['wirkung-pro-euro', 'uebernahmen', 'neueste', 'titel'])}")
    if rng.random() < 0.3:
        params.append(f"page={rng.randint(1, 5)}")
    return "/massnahmenbibliothek/?" + "&".join(params)


def pages_of(entries: list[LibraryEntry], rng: random.Random, requests: int) -> dict[str, list[str]]:
    return {
        "library page": [list_url(rng) for _ in range(requests)],
        "entry page": [f"/massnahmenbibliothek/{rng.choice(entries).slug}/" for _ in range(requests)],
    }


VIEWERS = ("anonymous", "signed-in editor")
GOAL_PAGES = ("library page, anonymous", "library page, signed-in editor")


COUNTED = 30  # addresses whose queries are counted in-process (the cache cleared before each)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=11_000)
    parser.add_argument("--requests", type=int, default=100, help="addresses per page (random filters, entries)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")))
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    sizes = (max(args.organisations // 10, 110), args.organisations)
    queries: dict[str, list[tuple[int, int]]] = {}
    with fresh_database("measure library, two sizes") as ok:
        if not ok:
            return 1
        for size in sizes:
            rng = random.Random(17)
            if size != sizes[0]:
                empty(Organisation, User, LibraryEntry)  # the next world in the same database
            start = time.perf_counter()
            organisations, roadmaps = build(size, rng)
            entries = library(roadmaps, rng)
            user = editor(roadmaps)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            world = (
                f"{len(organisations):,} organisations, {Measure.objects.count():,} measures, {len(entries):,} "
                f"library entries, {Adoption.objects.count():,} adoptions"
            )
            print(f"  world: {world} in {time.perf_counter() - start:.1f} s", flush=True)
            pages = pages_of(entries, rng, args.requests)
            sessions = {}
            for page, urls in pages.items():
                for viewer in VIEWERS:
                    client = Client()
                    if viewer != "anonymous":
                        client.force_login(user)
                        sessions[viewer] = session_header(client)
                    result = time_pages(client, urls[:COUNTED], cached=False)
                    queries.setdefault(f"{page}, {viewer}", []).append(result["queries"])
                    low, high = result["queries"]
                    print(f"  {page}, {viewer}: {low}–{high} queries (caches cleared before each request)")
            if size != sizes[-1]:
                continue
            connection.close()  # gunicorn's workers open their own connections
            cookie = sessions["signed-in editor"]
            load = {
                f"{page}, {viewer}": (urls, cookie if viewer != "anonymous" else {})
                for page, urls in pages.items()
                for viewer in VIEWERS
            }
            results, load_client = load_pages(load, cache_url=_REDIS.url, secret=SECRET, seconds=args.seconds)
            table = load_table(results, {name: tuple(found) for name, found in queries.items()}, goals=GOAL_PAGES)
            print("\n".join(table))
            backend = _REDIS.url and "Redis " + _REDIS.version or "local memory"
            write_section(
                "Issue 17: measure library",
                [
                    f"`bench/catalogue_bench.py` (make bench-knowledge); {time.strftime('%Y-%m-%d %H:%M %Z')}, "
                    f"{load_average()} at the end. World: {world}; the query counts also in a world a tenth of "
                    f"that size. gunicorn with one worker per core and 4 threads, DEBUG off, Django's cache in "
                    f"{backend}; {load_client}, 20 connections cycling through {args.requests} addresses per page "
                    f"(random filters and sorts; random entries), {args.seconds:g} s per page in 2 turns. The "
                    "signed-in editor's library page comes from the cache per curator/staff/citizen flags; the "
                    "entry page (adoptions by name for whom they are visible, whom to ask) is rendered per request. "
                    "Goal: the library page's p95 under 100 ms with the caches.",
                    "",
                    *table,
                ],
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
