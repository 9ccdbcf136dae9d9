# ruff: noqa: E402 (Django is set up before the project is imported)
"""Discussions performance (issue 15 "Performance"): a thread page with 500 posts, a network's discussion list
with 10,000 threads. Figures, not timed tests.

    bench/with_postgres.sh .venv/bin/python -m bench.channel_bench

Needs PostgreSQL (DATABASE_URL). It creates a fresh database of its own next to the one DATABASE_URL names,
migrates it, measures and drops it; it never writes to the configured database.

What it measures, each as the median of 7 requests through Django's test client by a signed-in member (the
session in the database: no cache), with the SQL queries of one request:
1. the thread page at 50 and at 500 posts: its first page and its last page (posts are paged at 50), so the
   number of queries must be the same at both sizes;
2. the discussion list (25 threads a page, pinned first, unread markers) at 100 and at 10,000 threads: the
   first page and page 200 (OFFSET), and filtered by a category;
3. the thread page when the member's read marker moves (one UPDATE more).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()
warnings.filterwarnings("ignore", "No directory at", UserWarning)

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.common import fresh_database, ms, ratio
from networks.channel.models import Category, Post, Thread, ThreadFollow
from networks.models import Network, NetworkRole, Organisation, Person, User

RUNS = 7


def _network(slug: str) -> Network:
    host, _ = Organisation.objects.get_or_create(
        slug="bench-host", defaults={"name": "Bench-Gastgeber", "kind": "city"}
    )
    return Network.objects.create(
        name=f"Bench {slug}", short_name=slug.upper(), slug=slug, kind="regional_team", host=host,
        region="Westpfalz", meeting_format="online", description="Bench",
    )  # fmt: skip


def _member(network: Network, email: str) -> User:
    user = User.objects.create_user(email=email, password=None)  # signed in with force_login
    person = Person.objects.create(user=user, name=email.split("@")[0])
    NetworkRole.objects.create(network=network, person=person, role="member")
    return user


def _threads(network: Network, author: Person, n: int, category: Category) -> None:
    now = timezone.now()
    batch = []
    for i in range(n):
        when = now - timezone.timedelta(minutes=i)
        batch.append(
            Thread(
                network=network, title=f"Thema {i}: Wärmeplanung und PV", author=author, created_at=when,
                last_post_at=when, last_post_by=author, post_count=3, pinned=i % 1000 == 0,
                category=category if i % 10 == 0 else None,
            )
        )  # fmt: skip
        if len(batch) == 2_000:
            Thread.objects.bulk_create(batch)
            batch = []
    Thread.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load: the planner's statistics
        cursor.execute("ANALYZE channel_thread")


def _posts(thread: Thread, author: Person, n: int) -> None:
    body = "Wir haben **gute Erfahrungen** mit dem Büro gemacht.\n\n> Zitat\n\n- eins\n- zwei\n" * 3
    start = thread.post_count
    Post.objects.bulk_create(
        [Post(thread=thread, number=start + i + 1, author=author, body=body) for i in range(n)], batch_size=500
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=start + n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE channel_post")
    thread.post_count = start + n


def _measure(client: Client, path: str) -> tuple[float, int]:
    client.get(path)  # warm: templates, the session
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries)


def _row(label: str, small: tuple[float, int], large: tuple[float, int]) -> None:
    print(
        f"  {label:<44} {ms(small[0]):>10} {small[1]:>3} q   {ms(large[0]):>10} {large[1]:>3} q   "
        f"{ratio(small[0], large[0]):>7}  {'flat' if small[1] == large[1] else 'GROWS'}"
    )


def thread_pages() -> None:
    network = _network("bench-thread")
    user = _member(network, "thread.bench@example.org")
    thread = Thread.objects.create(network=network, title="Erfahrungen mit Planungsbüros", author=user.person)
    _posts(thread, user.person, 50)
    client = Client()
    client.force_login(user)
    url = thread.get_absolute_url()
    ThreadFollow.objects.create(person=user.person, thread=thread, last_read_number=10**6)  # marker stays put
    small_first, small_last = _measure(client, url), _measure(client, url)
    _posts(thread, user.person, 450)
    large_first, large_last = _measure(client, url), _measure(client, url + "?page=10")
    print("\nThread page (50 posts a page)           at 50 posts           at 500 posts       time ratio  queries")
    _row("first page", small_first, large_first)
    _row("last page (50 → 500 posts: page 1 → 10)", small_last, large_last)
    ThreadFollow.objects.filter(person=user.person, thread=thread).update(last_read_number=0)
    moving = _measure(client, url + "?page=10")  # the first run raises the marker, the others find it raised
    print(f"  {'last page, read marker raised':<44} {ms(moving[0]):>10} {moving[1]:>3} q")


def thread_lists() -> None:
    network = _network("bench-list")
    user = _member(network, "list.bench@example.org")
    category = Category.objects.create(network=network, name="Wärmeplanung", slug="waermeplanung")
    client = Client()
    client.force_login(user)
    url = f"/netzwerke/{network.slug}/diskussionen/"
    started = time.perf_counter()
    _threads(network, user.person, 100, category)
    small = [
        _measure(client, url),
        _measure(client, url + "?page=4"),
        _measure(client, url + "?kategorie=waermeplanung"),
    ]
    _threads(network, user.person, 9_900, category)
    print(f"\n(10,000 threads written in {time.perf_counter() - started:.1f} s)")
    large = [
        _measure(client, url),
        _measure(client, url + "?page=200"),
        _measure(client, url + "?kategorie=waermeplanung"),
    ]
    print("Discussion list (25 a page)              at 100 threads        at 10,000 threads  time ratio  queries")
    labels = ["first page", "page 4 → page 200 (the last)", "filtered by a category"]
    for label, a, b in zip(labels, small, large, strict=True):
        _row(label, a, b)
    _explain(client, url)


def _explain(client: Client, path: str) -> None:
    """EXPLAIN ANALYZE of the list's page query (the threads with the reader's markers) at 10,000 threads."""
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    sql = next(q["sql"] for q in queries.captured_queries if "channel_thread" in q["sql"] and "LIMIT" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    print("\n".join(plan)) if os.environ.get("PLAN") else print(
        "  the page's query at 10,000 threads: " + plan[-1].strip() + "; " + plan[0].strip()[:90]
    )


def main() -> int:
    with fresh_database("discussions") as ready, override_settings(PUBLIC_PAGE_CACHE=False, DEBUG=False):
        if not ready:
            return 1
        thread_pages()
        thread_lists()
    return 0


if __name__ == "__main__":
    sys.exit(main())
