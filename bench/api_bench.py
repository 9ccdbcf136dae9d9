# ruff: noqa: E402 (Django is set up before the project is imported)
"""The public API under load (issue 18 "Performance"): `make bench` runs this after bench/scale_bench.py.

    bench/with_postgres.sh .venv/bin/python -m bench.api_bench

A fresh PostgreSQL database filled by ``manage.py generate_scale_data`` (the scale bench's world, smaller where the
API does not read: 5,000 measures in 20 roadmaps, 50,000 indicator values), gunicorn on loopback as the scale bench
runs it (one worker per core, 4 threads, DEBUG off, Django's cache in a throwaway Redis), 20 connections kept busy
by wrk on each URL in turn, beside the bare Django template view of bench/bare_urls.py (the ceiling: the same
middleware, no database): the public API's measure list of the 1,000-measure roadmap (its first page of 50, a
filtered one and a later page by cursor) and the roadmap's indicator values (a page of 10 indicators with their
series), without a token (as a municipal website or an open-data portal reads them). Measured with the caches off
(every answer built: ninja, the selectors, pydantic) and on (the API's public cache, api/middleware.py: a hit is
served right after WhiteNoise in one Redis round trip, under the roadmap's data version), each beside its own
ceiling. The rate limit is raised out of the way (all clients are one address here).

Goals: with the caches at least 0.5 of the ceiling's requests per second, p95 under 100 ms at 20 clients.
BENCH_SECONDS sets the seconds per URL (10).
"""

from __future__ import annotations

import io
import os
import secrets
import sys
import time

SECRET = secrets.token_urlsafe(50)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_SECRET_KEY"] = SECRET
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"
os.environ["API_RATE_LIMIT_IP"] = os.environ["API_RATE_LIMIT_TOKEN"] = str(10**9)  # one address, 20 clients

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.common import CEILING, Redis, fresh_database, load_average, load_pages, load_table, write_section

GOAL_RATIO = 0.5
GOAL_P95 = 0.100
CPU_REQUESTS = 30
PROVISIONAL = (
    "**Provisional**: measured on a loaded machine. The ratios, measured side by side with the ceiling, hold better "
    "than the absolute figures and the latencies."
)


def subjects() -> dict[str, tuple[list[str], dict]]:
    from measures.models import Roadmap

    roadmap = Roadmap.objects.published().order_by("pk").first()
    count = roadmap.measures.filter(published=True).count()
    indicators = roadmap.indicators.filter(public=True).count()
    base = f"/api/v1/roadmaps/{roadmap.slug}/"
    second = Client().get(base + "measures/").json()["next_cursor"]
    return {
        f"API measure list (page of 50, {count:,} measures)": ([base + "measures/"], {}),
        "API measure list ?status=in_progress&handlungsfeld=mobility": (
            [base + "measures/?status=in_progress&handlungsfeld=mobility"],
            {},
        ),
        "API measure list, next page by cursor": ([base + f"measures/?cursor={second}"], {}),
        f"API indicator values of the roadmap (page of 10 of {indicators} indicators)": ([base + "indicators/"], {}),
    }


def queries_of(pages: dict) -> dict[str, tuple]:
    """Queries per request, built without the cache (the same at every page: the tests pin them at two sizes)."""
    settings.PUBLIC_PAGE_CACHE = False
    counts = {}
    for name, (paths, _headers) in pages.items():
        with CaptureQueriesContext(connection) as capture:
            assert Client().get(paths[0]).status_code == 200, name
        n = len(capture.captured_queries)
        counts[name] = ((n, n), (n, n))
    return counts


def cpu_of(pages: dict, requests: int = CPU_REQUESTS) -> list[str]:
    """CPU time of this process per answer built without the cache (Django's test client, no socket): what a
    gunicorn thread spends, less loaded by the machine's other work than wall times are."""
    settings.PUBLIC_PAGE_CACHE = False
    lines = [f"CPU per answer built without the cache (this process, {requests} requests each, the database apart):"]
    for name, (paths, _headers) in pages.items():
        client = Client()
        client.get(paths[0])  # warm: the first request of a URL imports and compiles what it needs
        start = time.process_time()
        for _ in range(requests):
            client.get(paths[0])
        lines.append(f"- {name}: {(time.process_time() - start) / requests * 1000:.1f} ms")
    return lines


def main() -> int:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    with fresh_database("API") as ok, Redis() as redis:
        if not ok:
            return 1
        start = time.perf_counter()
        out = io.StringIO()
        call_command(
            "generate_scale_data", seed=1, force=True, events=200, registrations=1_000, stdout=out
        )  # fmt: skip
        print(f"  world in {time.perf_counter() - start:.1f} s", flush=True)
        pages = subjects()
        queries = queries_of(pages)
        per_answer = cpu_of(pages)
        print("\n".join(per_answer), flush=True)
        connection.close()  # gunicorn's workers open their own
        seconds = float(os.environ.get("BENCH_SECONDS", "10"))
        cpu = os.times()
        results, client = load_pages(pages, cache_url=redis.url or "", secret=SECRET, seconds=seconds)
        loaded = os.getloadavg()[0] > (os.cpu_count() or 1)  # other work on the machine: more runnable than cores
        lines = [
            *([PROVISIONAL, ""] if loaded else []),
            f"{client}, 20 connections, {seconds:.0f} s per URL; {load_average()} while measuring "
            f"(CPU of gunicorn and wrk: {os.times().children_user - cpu.children_user:.1f} s user, "
            f"{os.times().children_system - cpu.children_system:.1f} s system).",
            "",
            *load_table(results, queries, goal_p95=GOAL_P95),
            "",
            *per_answer,
            "",
        ]
        base = results["on"][CEILING]["rps"]
        failed = []
        for name in pages:
            r = results["on"][name]
            share = r["rps"] / base
            verdict = "ok" if share >= GOAL_RATIO and r["p95"] < GOAL_P95 else "MISSED"
            if verdict != "ok":
                failed.append(name)
            lines.append(
                f"- {name}: with the caches {share:.2f} of the ceiling (goal ≥ {GOAL_RATIO}), "
                f"p95 {r['p95'] * 1000:.1f} ms (goal < {GOAL_P95 * 1000:.0f} ms): {verdict}"
            )
        print("\n".join(lines), flush=True)
        write_section("Public API (issue 18)", lines)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
