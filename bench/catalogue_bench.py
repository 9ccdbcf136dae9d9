# ruff: noqa: E402 (Django is set up before the project is imported)
"""Measure library performance (issue 17 "Performance"): 11,000 organisations, 200,000 measures, 2,000 entries.
Run with

    bench/with_postgres.sh .venv/bin/python -m bench.catalogue_bench [--organisations 11000] [--requests 300]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again. Django's cache is a throwaway Redis (bench.common.Redis), as in production.

The world: 11,000 public bodies with a realistic spread of sizes over the 16 Länder; 2,000 published roadmaps of
100 measures each (200,000); 2,000 library entries (1,400 offered from measures, 600 curated) with costs and
effects over every band; 20,000 adoptions (copies in other roadmaps, in every status).

Measured: the library page (the Django test client, in-process, the whole view with its template) with random
filters (sector, size class, kind, Land, cost and effect band, status reached by adopters), sorts and pages, and
random entry pages: queries per page (constant: min = max) and p50/p95, side by side without the caches (the
cache is cleared before each request) and with them (anonymous visitors get the public-page cache after one
warming request; a signed-in editor is never served from it). Goal: p95 under 100 ms with the caches.
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

from bench.common import fresh_database, ms, municipal_population, ratio, time_pages
from measures.catalogue import bands
from measures.catalogue.models import Adoption, LibraryEntry
from measures.models import Measure, Roadmap, Sector
from networks.models import Organisation, OrganisationRole, Person, State, User

STATUSES = list(Measure.Status.values)


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
            for o in rng.sample(organisations, 2000)
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
    sources, copies = measures[:1400], measures[1400:21_400]
    entries = []
    for n in range(2000):
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=11_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(17)
    with fresh_database("measure library") as ok:
        if not ok:
            return 1
        start = time.perf_counter()
        organisations, roadmaps = build(args.organisations, rng)
        entries = library(roadmaps, rng)
        user = editor(roadmaps)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"  world: {len(organisations):,} organisations, {Measure.objects.count():,} measures, "
            f"{len(entries):,} entries, {Adoption.objects.count():,} adoptions in {time.perf_counter() - start:.1f} s"
        )
        pages = {
            "library page": [list_url(rng) for _ in range(args.requests)],
            "entry page": [f"/massnahmenbibliothek/{rng.choice(entries).slug}/" for _ in range(args.requests)],
        }
        print(f"  {'':42} {'queries':>9} {'p50':>10} {'p95':>10}")
        for page, urls in pages.items():
            for viewer in ("anonymous", "editor"):
                client = Client()
                if viewer == "editor":
                    client.force_login(user)
                results = {}
                for cached in (False, True):
                    result = results[cached] = time_pages(client, urls, cached=cached)
                    low, high = result["queries"]
                    label = f"{page}, {viewer}, {'with caches' if cached else 'without caches'}"
                    print(f"  {label:42} {low:>4}–{high:<4} {ms(result['p50']):>10} {ms(result['p95']):>10}")
                share = ratio(results[False]["p95"], results[True]["p95"])
                print(f"  {page}, {viewer}: with caches p95 is {share} of without")
        backend = _REDIS.url and "Redis " + _REDIS.version or "local memory"
        print(f"  (goal: p95 < 100 ms with the caches; cache: {backend})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
