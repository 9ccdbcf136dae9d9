# ruff: noqa: E402 (Django is set up before the project is imported)
"""Funding radar performance (issue 17 "Performance"): matching all open-funding measures against 500 programmes
in under 30 s, with 200,000 measures. Run with

    bench/with_postgres.sh .venv/bin/python -m bench.funding_bench [--measures 200000] [--programmes 500]

Needs PostgreSQL (DATABASE_URL); like the other benchmarks it creates a fresh database of its own, migrates it,
measures and drops it again.

The world: 11,000 organisations (municipalities, cities, counties of realistic sizes over the 16 Länder, plus
utilities, companies and associations), 2,000 roadmaps, 200,000 measures of which about 12 % have open or missing
funding and are still to do (the rest applied for, granted, rejected, completed or dropped), 500 programmes with
random sectors, kinds of measure, applicants, Länder and size limits, each with one to three calls (some past),
a tenth open at any time; kinds of measure stated for a fifth of the measures.

Measured: the whole matching (measures.funding.matching.count_all: one streamed query over the open-funding
measures, the programme index built once) with its query count, how many measures match and the fits in all;
side by side, the naive rule (every measure against every programme, measures.funding.matching.may_apply and the
list checks) on a sample, extrapolated; then the pages that show fits (a measure's funding page, a network's
Förderradar) through the Django test client: queries (min = max: constant) and p50/p95.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.common import fresh_database, ms, ratio
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
            for o in rng.sample(public, 2000)
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


def pages(client: Client, urls: list[str]) -> tuple[list[float], list[int]]:
    times, counts = [], []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    return times, counts


def p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100)[int(q) - 1] if len(times) > 1 else times[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=11_000)
    parser.add_argument("--measures", type=int, default=200_000)
    parser.add_argument("--programmes", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(17)
    today = timezone.localdate()
    with fresh_database("funding radar") as ok:
        if not ok:
            return
        started = time.perf_counter()
        orgs = organisations(args.organisations, rng)
        measures(orgs, args.measures, rng)
        programmes(args.programmes, rng, today)
        print(
            f"built {args.organisations:,} organisations, {args.measures:,} measures, {args.programmes} programmes "
            f"in {time.perf_counter() - started:,.1f} s",
            flush=True,
        )

        runs = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                total, matched, fits = count_all(today=today)
                runs.append(time.perf_counter() - started)
        index = ProgrammeIndex.build(today)
        print(
            f"open-funding measures: {total:,} of {args.measures:,}; with at least one fitting programme: {matched:,}; "
            f"fits in all: {fits:,}; programmes that can be applied for: {len(index.programmes)}"
        )
        print(
            f"matching all (index):  median {ms(statistics.median(runs))}, max {ms(max(runs))}, "
            f"{len(queries)} queries (goal: under 30 s)"
        )

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
        per_measure = naive(sample, index.programmes, today)
        median = statistics.median(runs)
        extrapolated = per_measure * total
        print(
            f"matching all (naive, {len(sample):,} measures × {len(index.programmes)} programmes, extrapolated): "
            f"{ms(extrapolated)}  index: {ms(median)}  ({ratio(extrapolated, median)})"
        )

        # pages: a measure's funding page (its editor), a network's Förderradar (a member of 60 organisations)
        editor = Person.objects.create(user=User.objects.create_user("editor@bench.test", "x"), name="Bench-Redaktion")
        network = Network.objects.create(name="Bench-Netzwerk", short_name="BN", slug="bench-net", host=orgs[0])
        members = rng.sample([o for o in orgs if o.kind in PUBLIC], 60)
        Membership.objects.bulk_create(
            [Membership(network=network, organisation=o, since="2020-01-01") for o in members]
        )
        NetworkRole.objects.create(network=network, person=editor, role=NetworkRole.Role.MEMBER)
        chosen = list(open_funding_measures().select_related("roadmap").order_by("?")[: args.requests])
        OrganisationRole.objects.bulk_create(
            [OrganisationRole(organisation_id=m.roadmap.organisation_id, person=editor) for m in chosen],
            ignore_conflicts=True,
        )
        client = Client()
        client.force_login(editor.user)
        for label, urls in [
            ("measure funding page", [reverse("funding:measure-funding", args=[m.roadmap.slug, m.pk]) for m in chosen]),
            (
                "network Förderradar (60 members)",
                [reverse("funding:network-radar", args=[network.slug])] * args.requests,
            ),
        ]:
            client.get(urls[0])
            times, counts = pages(client, urls)
            print(f"{label}: queries {min(counts)}–{max(counts)}, p50 {ms(p(times, 50))}, p95 {ms(p(times, 95))}")


if __name__ == "__main__":
    main()
