# ruff: noqa: E402 (Django is set up before the project is imported)
"""Comparison page performance (issue 17 "Performance"): 11,000 organisations. `make bench-knowledge` runs it (and
writes its section of docs/performance.md); alone:

    bench/with_postgres.sh .venv/bin/python -m bench.comparison_bench [--organisations 11000] [--requests 100]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again. Django's cache is a throwaway Redis (bench.common.Redis), as in production.

The world: 11,000 public bodies (municipalities and cities with a realistic spread of sizes over the 16 Länder,
400 counties), each with a BISKO balance of two years in five sectors, two indicators with a comparison key and
three years of values, heat planning and a target year; 80 % publish to everyone, 10 % to their networks' members,
10 % not at all; 100 networks of 60 members; 200,000 published measures in 2,000 roadmaps. The stored figures
are derived through the portal's own path (monitoring.comparison.refresh, in batches of 1,000 organisations).
First a world a tenth of that size, for the query counts at two sizes.

Measured, in each world: the derivation of the figures, and the queries per request of the comparison page for
random organisations and peer groups, anonymous and as a network member, through the Django test client with the
cache cleared before each request (every statistic computed; constant: the same at both sizes). In the large
world, as bench/scale_bench.py measures pages: gunicorn (one worker per core, 4 threads, DEBUG off) with 20
connections cycling through those addresses, beside the bare Django template view (the ceiling), without and
with the caches (anonymous visitors: the public-page cache; a member: the page per scope of figures, editor and
citizen flags; the statistics per group and generation). Goal: p95 under 100 ms with the caches.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
SECRET = os.environ.get("BENCH_SECRET_KEY") or __import__("secrets").token_urlsafe(50)  # throwaway, shared
os.environ["DJANGO_SECRET_KEY"] = SECRET  # with gunicorn: the member's session made here is valid there
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
from measures.models import Measure, Roadmap, Sector
from monitoring.comparison import refresh
from monitoring.comparison.figures import static_figures
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from monitoring.models import BiskoSector, ClimateStrategy, EmissionBalance, HeatPlanning, Indicator, IndicatorValue
from networks.models import Membership, Network, NetworkRole, Organisation, Person, User
from networks.municipal import LAND_OF_AGS_PREFIX

CODES = ("pv-leistung", "ladepunkte")


def build(count: int, rng: random.Random) -> list[Organisation]:
    prefixes = list(LAND_OF_AGS_PREFIX)
    organisations = []
    for number in range(count):
        county = number % 27 == 0  # about 400 counties
        prefix = prefixes[number % len(prefixes)]
        organisations.append(
            Organisation(
                name=f"Bench-Kommune {number:05d}",
                slug=f"bench-{number:05d}",
                kind=Organisation.Kind.COUNTY if county else rng.choice(["municipality", "city"]),
                ags=f"{prefix}{number:06d}",
                state=LAND_OF_AGS_PREFIX[prefix],
                population=municipal_population(rng) * (8 if county else 1),
                area=rng.randrange(500, 90_000) / 100,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=2000)
    organisations = list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))
    balances, indicators, plannings, strategies, consents, figure_consents = [], [], [], [], [], []
    keys = list(static_figures()) + [f"ind:{code}" for code in CODES]
    for organisation in organisations:
        per_inhabitant = 4 + rng.random() * 8
        for year in (2021, 2022):
            for sector in BiskoSector.values:
                emissions = per_inhabitant * organisation.population / 5 * (0.6 + rng.random() * 0.8)
                balances.append(
                    EmissionBalance(organisation=organisation, year=year, sector=sector, emissions=round(emissions))
                )
        for code in CODES:
            indicators.append(
                Indicator(
                    organisation=organisation, scope="organisation", name=code, code=code, unit="x", per_inhabitant=True
                )
            )
        plannings.append(HeatPlanning(organisation=organisation, stage=rng.randint(0, 8)))
        strategies.append(ClimateStrategy(organisation=organisation, neutrality_year=rng.choice((2035, 2040, 2045))))
        audience = rng.choices([Audience.PUBLIC, Audience.MEMBERS, Audience.NOBODY], [80, 10, 10])[0]
        consents.append(ComparisonConsent(organisation=organisation, audience=audience))
        figure_consents += [FigureConsent(organisation=organisation, figure=key, audience=audience) for key in keys]
    EmissionBalance.objects.bulk_create(balances, batch_size=5000)
    Indicator.objects.bulk_create(indicators, batch_size=5000)
    values = [
        IndicatorValue(indicator=indicator, year=year, value=round(rng.random() * 100, 1))
        for indicator in Indicator.objects.all()
        for year in (2022, 2023, 2024)
    ]
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    HeatPlanning.objects.bulk_create(plannings, batch_size=5000)
    ClimateStrategy.objects.bulk_create(strategies, batch_size=5000)
    ComparisonConsent.objects.bulk_create(consents, batch_size=5000)
    FigureConsent.objects.bulk_create(figure_consents, batch_size=5000)
    return organisations


def networks_and_measures(organisations: list[Organisation], rng: random.Random) -> User:
    networks = Network.objects.bulk_create(
        [
            Network(name=f"Bench-Netzwerk {n}", short_name=f"BN{n}", slug=f"bench-net-{n}", host=organisations[n])
            for n in range(min(100, len(organisations) // 60))
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(network=network, organisation=organisation, since="2020-01-01")
            for network in networks
            for organisation in rng.sample(organisations, 60)
        ],
        ignore_conflicts=True,
    )
    roadmaps = Roadmap.objects.bulk_create(
        [
            Roadmap(
                organisation=organisation,
                slug=f"bench-rm-{organisation.pk}",
                title="Fahrplan",
                target_year=2040,
                published=True,
            )
            for organisation in rng.sample(organisations, max(len(organisations) * 2 // 11, 10))
        ]
    )
    sectors = list(Sector.values)
    measures = [
        Measure(
            roadmap=roadmap,
            code=f"M-{n}",
            slug=f"m-{n}",
            title=f"Maßnahme {n}",
            sector=sectors[n % len(sectors)],
            published=True,
        )
        for roadmap in roadmaps
        for n in range(100)
    ]
    Measure.objects.bulk_create(measures, batch_size=5000)
    user = User.objects.create_user("bench.member@example.org", "x")
    person = Person.objects.create(user=user, name="Bench Mitglied")
    NetworkRole.objects.bulk_create([NetworkRole(network=network, person=person) for network in networks[:3]])
    return user


VIEWERS = ("anonymous", "network member")


COUNTED = 30  # addresses whose queries are counted in-process (the cache cleared before each)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=11_000)
    parser.add_argument("--requests", type=int, default=100, help="addresses (organisation and peer group)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")))
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    sizes = (max(args.organisations // 10, 660), args.organisations)
    queries: dict[str, list[tuple[int, int]]] = {}
    with fresh_database("comparison, two sizes") as ok:
        if not ok:
            return 1
        for size in sizes:
            rng = random.Random(17)
            if size != sizes[0]:
                empty(Organisation, User, Network)  # the next world in the same database
            start = time.perf_counter()
            organisations = build(size, rng)
            member = networks_and_measures(organisations, rng)
            world = f"{len(organisations):,} organisations, {Measure.objects.count():,} measures"
            print(f"  world: {world} in {time.perf_counter() - start:.1f} s", flush=True)
            start = time.perf_counter()
            ids = [organisation.pk for organisation in organisations]
            for first in range(0, len(ids), 1000):
                refresh.refresh(ids[first : first + 1000])
            derived = time.perf_counter() - start
            print(f"  figures derived (monitoring.comparison.refresh): {derived:.1f} s", flush=True)
            groups = ["size", "land", "all", ""]
            urls = [
                f"/organisationen/{rng.choice(organisations).slug}/vergleich/?gruppe={rng.choice(groups)}"
                for _ in range(args.requests)
            ]
            session = ""
            for viewer in VIEWERS:
                client = Client()
                if viewer != "anonymous":
                    client.force_login(member)
                    session = session_header(client)
                result = time_pages(client, urls[:COUNTED], cached=False)
                queries.setdefault(f"comparison page, {viewer}", []).append(result["queries"])
                low, high = result["queries"]
                print(f"  comparison page, {viewer}: {low}–{high} queries (caches cleared before each request)")
            if size != sizes[-1]:
                continue
            connection.close()  # gunicorn's workers open their own connections
            cookie = session
            load = {f"comparison page, {viewer}": (urls, cookie if viewer != "anonymous" else {}) for viewer in VIEWERS}
            results, load_client = load_pages(load, cache_url=_REDIS.url, secret=SECRET, seconds=args.seconds)
            table = load_table(results, {name: tuple(found) for name, found in queries.items()}, goals=tuple(load))
            print("\n".join(table))
            backend = _REDIS.url and "Redis " + _REDIS.version or "local memory"
            write_section(
                "Issue 17: comparison",
                [
                    f"`bench/comparison_bench.py` (make bench-knowledge); {time.strftime('%Y-%m-%d %H:%M %Z')}, "
                    f"{load_average()} at the end. World: {world}, 100 networks of 60 members; the figures of all "
                    f"organisations derived in {derived:.1f} s (monitoring.comparison.refresh); the query counts also "
                    f"in a world a tenth of that size. gunicorn with one worker per core and 4 threads, DEBUG off, "
                    f"Django's cache in {backend}; {load_client}, 20 connections cycling through {args.requests} "
                    f"addresses (random organisations and peer groups), {args.seconds:g} s per page in 2 turns. A "
                    "member's page comes from the cache per scope of figures, editor and citizen flags, after the "
                    "organisation and the viewer's networks and organisations are read from the cache too. Goal: "
                    "p95 under 100 ms with the caches.",
                    "",
                    *table,
                ],
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
