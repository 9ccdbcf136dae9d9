# ruff: noqa: E402 (Django is set up before the project is imported)
"""Search performance (issue 15 "Performance"): 1,000,000 indexed items, 20 concurrent clients. Run with

    bench/with_postgres.sh .venv/bin/python -m bench.search_bench [--items 1000000] [--clients 20] [--searches 1000]

Needs PostgreSQL (DATABASE_URL). The benchmark creates a fresh database of its own next to the one DATABASE_URL
names, migrates it, measures, and drops it again; with ``--reuse`` it builds ``klimanetz_search_bench_<items>``
once and keeps it (with bench/with_postgres.sh, WITH_POSTGRES_KEEP=<folder> keeps the cluster too), applying new
migrations to it on the next run. ``--classes``: only the CPU of one search per query class and viewer (2a).

What it measures:
1. the index build: 1,000,000 entries (600,000 posts, 250,000 documents' texts, 150,000 measures) of generated
   German text (a climate-management vocabulary with a Zipf distribution and a long tail of place names) written
   with COPY (the generated tsvector column computed on the way in), then the GIN index over words and scopes;
   and the portal's own indexing path (networks.search.index through the registry) for real Measure rows;
2. the cost of one search (one client, every search runs: the whole search and its statement alone), then 20
   clients (threads, one database connection each) searching without pause as a member of two networks through
   networks.search.query.search, the code the page runs, with queries drawn from 3,000 distinct ones as search
   logs have them (Zipf): side by side in one run with every search running its statement and with the answers
   kept in Redis (networks.search.answers; starting empty, as after a deploy): searches per second, p50/p95/p99
   in ms, the share of answers from the cache and the p95 of the searches that ran the statement;
2a. the CPU of one search (Python and its PostgreSQL backend, /proc) per query class (common, middling and rare
   words, pairs, a phrase) and viewer (anonymous, a member of two networks, a coordinator of ten networks with
   their groups and five organisations), with the statements' buffers and EXPLAIN ANALYZE time;
3. EXPLAIN ANALYZE of the one search statement for a common and for a rare word.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import copy
import gc
import io
import itertools
import json
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
# Django's cache in a throwaway Redis, as production has it (the answers of networks.search.answers live there).
from bench.common import Redis

_REDIS = Redis().__enter__()
atexit.register(_REDIS.__exit__)
os.environ["CACHE_URL"] = _REDIS.url
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()
warnings.filterwarnings("ignore", "No directory at", UserWarning)

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.common import fresh_database, ms
from networks.models import Network, NetworkRole, Organisation, OrganisationRole, Person, User, WorkingGroup
from networks.search import backends, registry
from networks.search import query as search_query
from networks.search.backends import CAP, backend
from networks.search.query import search

_VOCABULARY = """
Klimaschutz Wärmeplanung Wärmepumpe Wärmenetz Fernwärme Nahwärme Photovoltaik Solaranlage Dachfläche Freifläche
Balkonkraftwerk Windenergie Windpark Bürgerenergie Genossenschaft Stadtwerke Energieversorger Netzbetreiber
Klimaschutzmanagerin Klimaschutzmanager Klimaschutzkonzept Klimaanpassung Hitzeschutz Starkregen Hochwasser
Gründach Fassadenbegrünung Stadtbäume Entsiegelung Schwammstadt Radverkehr Radweg Fahrradstraße Lastenrad
ÖPNV Buslinie Bahnhof Mobilitätsstation Carsharing Ladesäule Ladeinfrastruktur Elektromobilität Dienstwagen
Fuhrpark Straßenbeleuchtung LED Sanierung Gebäudesanierung Dämmung Heizungstausch Gebäudeenergiegesetz
Energieberatung Energieausweis Energiecontrolling Energiemanagement Software Verbrauchsdaten Liegenschaften
Schulen Kitas Rathaus Verwaltung Kreistag Gemeinderat Beschluss Haushalt Fördermittel Förderprogramm Antrag
Frist Kommunalrichtlinie Zuschuss Kredit Ausschreibung Vergabe Dienstleister Ingenieurbüro Machbarkeitsstudie
Bestandsanalyse Potenzialanalyse Zielszenario Umsetzungsstrategie Quartierskonzept Sanierungsmanagement
Treibhausgasbilanz Emissionen CO2 Tonnen Zieljahr Klimaneutralität Monitoring Indikatoren Bericht Fortschritt
Maßnahme Maßnahmenkatalog Steckbrief Priorität Verantwortung Zeitplan Meilenstein Workshop Netzwerktreffen
Protokoll Tagesordnung Präsentation Folien Einladung Anmeldung Veranstaltung Austausch Erfahrung Beispiel
Kommune Landkreis Gemeinde Stadt Region Quartier Bürgerbeteiligung Bürgerinnen Bürger Öffentlichkeitsarbeit
Kampagne Aktion Wettbewerb Schulprojekt Energiesparen Abwärme Kläranlage Biogas Biomasse Holzhackschnitzel
Geothermie Erdwärme Solarthermie Speicher Batteriespeicher Wasserstoff Elektrolyse Contracting Pacht Flächen
Landwirtschaft Moore Wald Aufforstung Kompensation Beschaffung Nachhaltigkeit Kantine Papier Digitalisierung
"""
_FILLERS = "und der die das mit für von im auf zu ist wird werden bei nach wie auch ein eine"
VOCABULARY = _VOCABULARY.split()
PLACES = [f"Ort{n}" for n in range(20_000)]  # a long tail of rare words
_HEADS = [
    "Energie",
    "Klima",
    "Wärme",
    "Strom",
    "Solar",
    "Bau",
    "Verkehr",
    "Wasser",
    "Stadt",
    "Land",
    "Bürger",
    "Netz",
    "Haus",
    "Schul",
    "Förder",
]
_TAILS = [
    "plan",
    "konzept",
    "projekt",
    "bericht",
    "stelle",
    "amt",
    "gruppe",
    "markt",
    "bedarf",
    "nutzung",
    "versorgung",
    "politik",
    "ziel",
]
GENERAL = [h + t for h in _HEADS for t in _TAILS] + [
    "Jahr",
    "Zeit",
    "Frage",
    "Ende",
    "Teil",
    "Leute",
    "Arbeit",
    "Woche",
    "Termin",
    "Ergebnis",
    "Vorschlag",
    "Hinweis",
    "Stand",
    "Thema",
    "Sitzung",
    "Grundlage",
    "Entwurf",
    "Rückmeldung",
    "Unterlagen",
    "Kosten",
    "Angebot",
    "Ansprechperson",
    "Anfrage",
    "Umsetzung",
    "Planung",
]
QUERIES = [
    "Wärmepumpe",
    "Wärmeplanung Förderung",
    "Photovoltaik Dachfläche",
    '"kommunale Wärmeplanung"',
    "Energiecontrolling Software",
    "Waermenetz",
    "Klimaschutzkonzept Beschluss",
    "Fördermittel Antrag Frist",
    "Bürgerbeteiligung",
    "Radverkehr Fahrradstraße",
    "Straßenbeleuchtung LED",
    "Heizungstausch Gebäudeenergiegesetz",
    "Quartierskonzept Sanierungsmanagement",
    "Kläranlage Abwärme",
    "Contracting",
    "Ort1234",
    "Wärmepläne",
    "Lastenrad Kampagne",
    "Geothermie",
    "Hitzeschutz Schulen",
]
NETWORKS = 50
BENCH_EMAIL = "bench.mitglied@example.org"
COPIED_IDS = 10_000_000  # object ids of the copied entries start above it
DISTINCT_QUERIES = 3_000


def _query_mix() -> tuple[list[str], list[float]]:
    """What people type, as search logs show it: a few queries very often, a long tail rarely (Zipf, s = 1, over
    DISTINCT_QUERIES distinct queries): the hand-picked QUERIES first, then the general and the climate words
    alone, then pairs of climate words and a climate word with a place name."""
    rnd = random.Random(7)
    mix = list(dict.fromkeys([*QUERIES, *GENERAL, *VOCABULARY]))
    seen = set(mix)
    while len(mix) < DISTINCT_QUERIES:
        first = rnd.choice(VOCABULARY)
        second = rnd.choice(VOCABULARY) if rnd.random() < 0.7 else rnd.choice(PLACES)
        q = f"{first} {second}"
        if q not in seen:
            seen.add(q)
            mix.append(q)
    return mix, _zipf_weights(len(mix))


def _zipf_weights(n: int) -> list[float]:
    return [1 / (rank + 1) for rank in range(n)]


class Texts:
    def __init__(self, seed: int = 15):
        self.random = random.Random(seed)
        # Fillers and general words first (the most frequent), the domain's words behind them.
        self.vocabulary = _FILLERS.split() + GENERAL + VOCABULARY
        self.weights = _zipf_weights(len(self.vocabulary))

    def words(self, low: int, high: int) -> str:
        n = self.random.randint(low, high)
        chosen = self.random.choices(self.vocabulary, weights=self.weights, k=n)
        if self.random.random() < 0.3:
            chosen.append(self.random.choice(PLACES))
        return " ".join(chosen)


def _copy_entries(total: int, networks: list[int], groups: list[int], orgs: list[int]) -> float:
    """COPY ``total`` entries (posts, documents, measures) in chunks; returns the seconds it took. Their object ids
    start at COPIED_IDS, clear of the real measures that _portal_indexing indexed (a reindex of a kind removes its
    entries without an object: run before, it took the 150,000 copied measures out of 1,000,000)."""
    texts = Texts()
    rnd = texts.random
    network_weights = _zipf_weights(len(networks))
    kinds = [("post", 0.6, (20, 80)), ("library_document", 0.25, (80, 250)), ("measure", 0.15, (30, 90))]
    now = timezone.now()
    started = time.monotonic()
    n = 0
    chunk = 50_000
    with connection.cursor() as cursor:
        for start in range(0, total, chunk):
            buffer = io.StringIO()
            for _ in range(min(chunk, total - start)):
                n += 1
                object_id = COPIED_IDS + n
                roll = rnd.random()
                kind, sizes = (
                    ("post", kinds[0][2])
                    if roll < 0.6
                    else (("library_document", kinds[1][2]) if roll < 0.85 else ("measure", kinds[2][2]))
                )
                network = rnd.choices(networks, weights=network_weights)[0]
                if kind == "measure":
                    scope, network_id = ("public" if rnd.random() < 0.85 else f"editors:{rnd.choice(orgs)}"), None
                elif kind == "library_document" and rnd.random() < 0.3:
                    scope, network_id = "public", network
                elif kind == "post" and rnd.random() < 0.1:
                    scope, network_id = f"group:{rnd.choice(groups)}", network
                else:
                    scope, network_id = f"members:{network}", network
                title = texts.words(3, 8)
                body = texts.words(*sizes)
                date = (now - timezone.timedelta(minutes=n)).isoformat()
                url = f"/bench/{kind}/{object_id}/"
                fields = [
                    kind,
                    str(object_id),
                    str(network_id) if network_id else "\\N",
                    title,
                    body,
                    url,
                    scope,
                    date,
                    "de",
                    now.isoformat(),
                ]
                buffer.write("\t".join(fields) + "\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(
                "COPY search_searchentry (kind, object_id, network_id, title, body, url, scopes, date, language, "
                "indexed_at) FROM STDIN",
                buffer,
            )
            print(f"  {start + chunk:>9,} entries written ({time.monotonic() - started:,.0f} s)", flush=True)
    return time.monotonic() - started


def _world():
    """Fifty networks, a working group in each, an organisation; the member searching is in networks 3 and 17."""
    host = Organisation.objects.create(name="Energieagentur", slug="energieagentur")
    networks = [
        Network(
            name=f"Netzwerk {n}",
            short_name=f"N{n}",
            slug=f"netzwerk-{n}",
            kind=Network.Kind.REGIONAL_TEAM,
            host=host,
            region="Bench",
            meeting_format=Network.MeetingFormat.ONLINE,
            description="Bench",
            is_public=True,
        )
        for n in range(NETWORKS)
    ]
    networks = Network.objects.bulk_create(networks)
    groups = WorkingGroup.objects.bulk_create([WorkingGroup(network=n, name="AG") for n in networks])
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Gemeinde {n}", slug=f"gemeinde-{n}") for n in range(200)]
    )
    user = User.objects.create_user(email=BENCH_EMAIL, password=None)
    person = Person.objects.create(user=user, name="Bench Mitglied")
    for index in (3, 17):
        NetworkRole.objects.create(network=networks[index], person=person)
    groups[3].members.add(person)
    return user, [n.pk for n in networks], [g.pk for g in groups], [o.pk for o in orgs]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p), len(ordered) - 1)]


class _Misses(threading.local):
    """Whether the current thread's search ran the full-text statement (a miss of networks.search.answers)."""

    ran = False


_MISSES = _Misses()


def _count_statements() -> None:
    engine = type(backend())
    run = engine.run

    def counted(self, *args, **kwargs):
        _MISSES.ran = True
        return run(self, *args, **kwargs)

    engine.run = counted


def _searches(user, seed: int, count: int, mixed: bool) -> list[tuple[float, bool]]:
    """One client: ``count`` searches without pause; (seconds, ran the statement) per search."""
    rnd = random.Random(seed)
    mix, weights = _query_mix()
    cumulative = list(itertools.accumulate(weights))  # once: the client's own drawing costs no CPU of the searches'
    mine = []
    for _ in range(count):
        viewer = copy.copy(user)
        viewer.__dict__.pop("_search_scopes", None)  # a new request: the scopes are looked up again
        q = rnd.choices(mix, cum_weights=cumulative)[0] if mixed else rnd.choice(QUERIES)
        order = "date" if rnd.random() < 0.2 else "relevance"
        _MISSES.ran = False
        started = time.perf_counter()
        search(viewer, q, order=order)
        mine.append((time.perf_counter() - started, _MISSES.ran))
    return mine


def _run_clients(
    user, clients: int, searches: int, *, mixed: bool = True, seed: int = 0, processes: bool = False
) -> tuple[list[tuple[float, bool]], float]:
    """``clients`` clients (one connection each) searching without pause; (seconds, ran the statement) per search.
    ``mixed``: queries drawn from the Zipf mix (_query_mix); else QUERIES in turn.

    ``processes``: each client a process of its own, as the portal serves requests (gunicorn's worker processes;
    PostgreSQL and the Python of all clients share the cores as the operating system schedules them). Else threads
    of this one process: their Python runs one at a time under the GIL, so the Python half of every search queues
    behind the other 19, which no deployment does."""
    per_client = max(searches // clients, 1)
    if processes:
        return _run_processes(user, clients, per_client, mixed=mixed, seed=seed)
    latencies: list[tuple[float, bool]] = []
    lock = threading.Lock()

    def client(seed: int):
        try:
            mine = _searches(user, seed, per_client, mixed)
        finally:
            connections.close_all()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(seed + n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def _run_processes(user, clients: int, per_client: int, *, mixed: bool, seed: int):
    """The clients as forked processes, warmed up, then started together; each sends its latencies back through a
    pipe."""
    connections.close_all()  # each child opens its own connection
    gc.freeze()  # the objects there are stay out of the children's collections (fewer pages copied on write)
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(clients + 1)
    pipes, children = [], []
    for n in range(clients):
        receiver, sender = context.Pipe(duplex=False)

        def child(sender=sender, n=n):
            # A worker process is long-lived: its first touches of the inherited memory (copy on write) and its
            # new connection are paid once, at its start, not by the searches measured.
            cached, settings.PUBLIC_PAGE_CACHE = settings.PUBLIC_PAGE_CACHE, False  # the warm-up fills no cache
            _searches(user, 10_000 + seed + n, 10, mixed)
            settings.PUBLIC_PAGE_CACHE = cached
            ready.wait()
            try:
                sender.send(_searches(user, seed + n, per_client, mixed))
            finally:
                connections.close_all()

        process = context.Process(target=child)
        process.start()
        pipes.append(receiver)
        children.append(process)
    ready.wait()  # every child warmed up: they start together
    started = time.perf_counter()
    latencies = [item for receiver in pipes for item in receiver.recv()]
    wall = time.perf_counter() - started
    for process in children:
        process.join()
    return latencies, wall


def _summary(latencies: list[tuple[float, bool]], wall: float) -> dict:
    seconds = [t for t, _ran in latencies]
    missed = [t for t, ran in latencies if ran]
    return {
        "rate": len(seconds) / wall,
        "p50": statistics.median(seconds),
        "p95": _percentile(seconds, 0.95),
        "p99": _percentile(seconds, 0.99),
        "hits": 1 - len(missed) / len(seconds),
        "miss_p95": _percentile(missed, 0.95) if missed else 0.0,
    }


def _explain(user, q: str) -> None:
    """EXPLAIN ANALYZE of the one query a search runs (as networks.search.backends writes it)."""
    with CaptureQueriesContext(connection) as captured:
        search(copy.copy(user), q)
    sql = next(x["sql"] for x in captured.captured_queries if x["sql"].startswith("WITH"))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    interesting = [line for line in plan if "Scan using" in line or "Bitmap Index" in line or "Execution Time" in line]
    print(f"  {q!r}:")
    for line in interesting[:4]:
        print(f"    {line.strip()[:150]}")


def _breakdown(user) -> None:
    """One client: the whole search against its one search query alone (the rest is Python: parsing, marking the
    titles, building the page's hits, and the scopes query)."""
    whole, sql_only = [], []
    for q in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            search(copy.copy(user), q)
            whole.append(time.perf_counter() - started)
        for query in captured.captured_queries:
            if query["sql"].startswith("WITH"):
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                sql_only.append(time.perf_counter() - started)
    print(
        f"  one client, the {len(QUERIES)} queries once (warm): whole search p50 {ms(statistics.median(whole))}, "
        f"its search statement alone p50 {ms(statistics.median(sql_only))}"
    )


def _portal_indexing() -> None:
    """The portal's own path: Measure rows through the registry (documents, upsert, tsvector)."""
    from measures.models import Measure, Roadmap

    org = Organisation.objects.create(name="Kreis Bench", slug="kreis-bench")
    roadmap = Roadmap.objects.create(organisation=org, slug="bench", title="Bench", target_year=2040, published=True)
    texts = Texts(seed=1)
    with registry.paused():
        Measure.objects.bulk_create(
            [
                Measure(
                    roadmap=roadmap,
                    code=f"B-{n}",
                    slug=f"b-{n}",
                    title=texts.words(3, 8),
                    description=texts.words(40, 120),
                    sector="buildings",
                    published=True,
                )
                for n in range(5_000)
            ]
        )
    started = time.monotonic()
    count = registry.reindex("measure")
    seconds = time.monotonic() - started
    print(
        f"  portal indexing path (registry.reindex('measure')): {count:,} measures in {seconds:,.1f} s "
        f"= {count / seconds:,.0f} items/s"
    )


@contextlib.contextmanager
def _cap(cap: int):
    """Search with another cap on the candidates (the figures before and after lowering it, in one run)."""
    saved = (backends.CAP, search_query.CAP, search_query.MAX_PAGE)
    backends.CAP, search_query.CAP, search_query.MAX_PAGE = cap, cap, cap // backends.PAGE_SIZE
    try:
        yield
    finally:
        backends.CAP, search_query.CAP, search_query.MAX_PAGE = saved


# The query classes measured one by one (section 2a): how many items match decides the plan.
QUERY_CLASSES = [
    ("common", "Energieplan"),  # about a third of all items
    ("common", "Klimaschutz"),  # a prefix: Klimaschutzmanagerin, Klimaschutzkonzept, …
    ("common", "Wärmepumpe"),
    ("middling", "Wärmepumpe Förderprogramm"),
    ("middling", "Geothermie"),
    ("rare", "Ort1234"),
    ("rare", "Contracting Ort77"),
    ("phrase", '"Wärmepumpe Dämmung"'),
]
MANY_EMAIL = "bench.koordination@example.org"


def _viewers(user) -> list[tuple[str, object]]:
    """Anonymous (one scope), the member of two networks and a working group, and a coordinator of the ten largest
    networks, in their working groups and editor of five organisations (many scopes)."""
    from django.contrib.auth.models import AnonymousUser

    many = User.objects.filter(email=MANY_EMAIL).first()
    if many is None:
        many = User.objects.create_user(email=MANY_EMAIL, password=None)
        person = Person.objects.create(user=many, name="Bench Koordination")
        networks = list(Network.objects.filter(slug__startswith="netzwerk-").order_by("pk")[:10])
        for network in networks:
            NetworkRole.objects.create(network=network, person=person, role=NetworkRole.Role.COORDINATOR)
            network.working_groups.first().members.add(person)
        for org in Organisation.objects.filter(slug__startswith="gemeinde-").order_by("pk")[:5]:
            OrganisationRole.objects.create(organisation=org, person=person)
    return [("anonymous", AnonymousUser()), ("member", user), ("coordinator", many)]


def _plan_buffers(sql: str) -> tuple[int, float]:
    """Shared buffers (hit and read) and execution ms of one statement, from EXPLAIN (ANALYZE, BUFFERS)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    top = plan[0]["Plan"]
    return top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0), plan[0]["Execution Time"]


def _query_classes(user, repeat: int = 10) -> None:
    """CPU per search for each query class and viewer (every search running): Python and PostgreSQL, the
    statements' shared buffers and their execution time in EXPLAIN ANALYZE."""
    settings.PUBLIC_PAGE_CACHE = False
    reader = _postgres_cpu_reader()
    print(
        f"  {'class':9} {'query':28} {'viewer':12} {'order':9} {'found':>5} {'Python':>8} {'PostgreSQL':>10} "
        f"{'total':>8} {'buffers':>8} {'EXPLAIN':>9}"
    )
    totals: dict[str, list[float]] = {}
    for label, viewer in _viewers(user):
        for cls, q in QUERY_CLASSES:
            for order in ("relevance", "date"):
                python, postgres = [], []
                for _ in range(repeat):
                    fresh = copy.copy(viewer)
                    fresh.__dict__.pop("_search_scopes", None)
                    pg_before, py_before = (reader() if reader else 0.0), time.thread_time()
                    result = search(fresh, q, order=order)
                    python.append(time.thread_time() - py_before)
                    postgres.append((reader() - pg_before) if reader else 0.0)
                with CaptureQueriesContext(connection) as captured:
                    search(copy.copy(viewer), q, order=order)
                statements = [x["sql"] for x in captured.captured_queries if "search_searchentry" in x["sql"]]
                buffers, explained = 0, 0.0
                for sql in statements:
                    b, t = _plan_buffers(sql)
                    buffers, explained = buffers + b, explained + t
                py, pg = statistics.median(python), statistics.median(postgres)
                totals.setdefault(cls, []).append(py + pg)
                found = f"{result.total}{'+' if result.more else ''}"
                print(
                    f"  {cls:9} {q[:28]:28} {label:12} {order:9} {found:>5} {ms(py):>8} {ms(pg):>10} "
                    f"{ms(py + pg):>8} {buffers:>8,} {explained:>7.1f} ms"
                )
    print("  median CPU per search by class: " + ", ".join(f"{c} {ms(statistics.mean(v))}" for c, v in totals.items()))


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _postgres_cpu_reader():
    """A function giving the CPU seconds this connection's PostgreSQL backend has used (Linux, a local server we
    may read /proc of), or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = f"/proc/{pid}/schedstat"
    try:
        open(path).close()  # noqa: SIM115
    except OSError:
        return None
    return lambda: int(open(path).read().split()[0]) / 1e9  # noqa: SIM115


def _cpu_per_search(user, clients: int) -> None:
    """What one search costs in CPU (not in time, which the other users of a shared machine stretch): the Python of
    the search and its PostgreSQL backend, over the query mix with every search running. Under saturation, N
    clients without pause on C cores wait about N / C times that per search."""
    settings.PUBLIC_PAGE_CACHE = False
    reader = _postgres_cpu_reader()
    mix, weights = _query_mix()
    rnd = random.Random(99)
    queries = [rnd.choices(mix, weights=weights)[0] for _ in range(300)]
    for cap in sorted({CAP, 200}, reverse=True):
        python, postgres = [], []
        with _cap(cap):
            for q in queries:
                viewer = copy.copy(user)
                pg_before, py_before = (reader() if reader else 0.0), time.thread_time()
                search(viewer, q)
                python.append(time.thread_time() - py_before)
                postgres.append((reader() - pg_before) if reader else 0.0)
        total = [a + b for a, b in zip(python, postgres, strict=True)]
        cores = os.cpu_count() or 1
        print(
            f"  CPU per search, CAP {cap} (one client, 300 draws of the mix, every search running): Python "
            f"{ms(statistics.mean(python))} + PostgreSQL {ms(statistics.mean(postgres)) if reader else '(unreadable)'}"
            f" = {ms(statistics.mean(total))} mean, p95 {ms(_percentile(total, 0.95))}; {clients} clients on "
            f"{cores} cores: about {clients / cores:.0f} x that per search"
        )


@contextlib.contextmanager
def _kept_database(items: int):
    """The database ``klimanetz_search_bench_<items>`` on the configured server, built by the first run and kept
    (``--reuse``): building 1,000,000 entries takes about 20 minutes. Yields whether it must still be built.
    Migrations added since are applied to it (a new index is built over the kept entries)."""
    from django.core.management import call_command

    name = f"klimanetz_search_bench_{items}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    connection.settings_dict["NAME"] = name
    built = exists and _built()
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(
        f"Klimanetz search benchmark, kept database {name} ({'reused' if built else 'to be built'}; migrations "
        f"{time.monotonic() - started:,.1f} s)",
        flush=True,
    )
    try:
        yield not built
    finally:
        connection.close()


def _built() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_searchentry') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
    return User.objects.filter(email=BENCH_EMAIL).exists() and Organisation.objects.filter(slug="kreis-bench").exists()


def _existing_world():
    user = User.objects.get(email=BENCH_EMAIL)
    networks = list(Network.objects.filter(slug__startswith="netzwerk-").order_by("pk").values_list("pk", flat=True))
    groups = list(WorkingGroup.objects.filter(network_id__in=networks).order_by("pk").values_list("pk", flat=True))
    orgs = list(Organisation.objects.filter(slug__startswith="gemeinde-").order_by("pk").values_list("pk", flat=True))
    return user, networks, groups, orgs


def _build(args):
    user, networks, groups, orgs = _world()
    print(f"\n1. Index build: {args.items:,} entries")
    _portal_indexing()  # first: a kind's reindex removes the entries without an object
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX search_entry_document_scopes")
    copy_seconds = _copy_entries(args.items, networks, groups, orgs)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "CREATE INDEX search_entry_document_scopes ON search_searchentry "
            "USING gin (document, (string_to_array(scopes, ' ')))"
        )
        index_seconds = time.monotonic() - started
        cursor.execute("VACUUM ANALYZE search_searchentry")
    print(f"  COPY with the generated tsvector: {copy_seconds:,.1f} s ({args.items / copy_seconds:,.0f} rows/s)")
    print(f"  GIN index over words and scopes: {index_seconds:,.1f} s")
    return user, networks, groups, orgs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--searches", type=int, default=2_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="build the database once and keep it (klimanetz_search_bench_<items>); with bench/with_postgres.sh "
        "set WITH_POSTGRES_KEEP so that the cluster is kept too",
    )
    parser.add_argument(
        "--classes", action="store_true", help="only the CPU per query class and viewer (2a), no clients"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL, or run `make bench`.", file=sys.stderr)
        return 1
    database = _kept_database(args.items) if args.reuse else fresh_database("search")
    with database as to_build:
        if not to_build and not args.reuse:
            return 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('shared_buffers'), current_setting('jit')")
            buffers, jit = cursor.fetchone()
        print(f"  shared_buffers {buffers}, jit {jit} (compare with the table's size below: what does not fit is read")
        print("  from the operating system's cache, 8 kB at a time)")
        user, networks, groups, orgs = _build(args) if to_build else _existing_world()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchentry'))")
            print(f"  table with indexes: {cursor.fetchone()[0]}")

        print("\n2a. One search by query class and viewer (one client, every search running, median of 10)")
        _query_classes(user)
        if args.classes:
            return 0

        print(f"\n2. {args.clients} clients, {args.searches:,} searches as a member of two networks")
        with CaptureQueriesContext(connection) as queries:
            viewer = copy.copy(user)
            result = search(viewer, "Wärmepumpe")
        for captured in queries.captured_queries:
            print(f"    {captured['sql'][:100]}")
        print(
            f"  queries per search: {len(queries)} (scopes, the search, network names); "
            f"'Wärmepumpe' finds {result.total:,} visible items"
        )
        for q in QUERIES[:3]:
            search(copy.copy(user), q)  # warm the cache a little, as a running portal is
        settings.PUBLIC_PAGE_CACHE = False  # the cost of one search itself
        _breakdown(user)
        single, _ = _run_clients(user, 1, 100, mixed=False)
        single = [t for t, _ran in single]
        print(f"  one client alone: p50 {ms(statistics.median(single))}, p95 {ms(_percentile(single, 0.95))}")

        _cpu_per_search(user, args.clients)

        mix, _weights = _query_mix()
        print(
            f"\n  {args.clients} clients without pause, {args.searches:,} searches drawn from {len(mix):,} distinct "
            f"queries (Zipf, s = 1), 20 % by date; side by side in one run, the clients as threads of one process "
            f"(as before) and as processes (as the portal serves them):"
        )
        _count_statements()
        results = {}
        runs = [
            ("every search runs", False, True, CAP),
            ("answers in Redis, cold", True, True, CAP),  # starting empty, as after a deploy
            ("answers in Redis, warm", True, False, CAP),  # the same people searching on (other draws of the mix)
        ]
        if CAP != 200:
            runs.insert(0, ("every search runs, CAP 200", False, True, 200))  # the cap before this session
        for model, processes in (("threads", False), ("processes", True)):
            for label, on, clear, cap in runs:
                settings.PUBLIC_PAGE_CACHE = on
                if clear:
                    cache.clear()
                with _cap(cap):
                    results[(model, label)] = _summary(
                        *_run_clients(user, args.clients, args.searches, seed=len(results) * 1000, processes=processes)
                    )
        print(
            f"  {'':10} {'':28} {'searches/s':>10} {'p50':>9} {'p95':>9} {'p99':>9} {'hits':>6} {'p95 of misses':>14}"
        )
        for (model, label), r in results.items():
            print(
                f"  {model:10} {label:28} {r['rate']:>10,.1f} {ms(r['p50']):>9} {ms(r['p95']):>9} {ms(r['p99']):>9} "
                f"{r['hits']:>6.0%} {ms(r['miss_p95']):>14}"
            )
        for model in ("threads", "processes"):
            off = results[(model, "every search runs")]
            for label in ("answers in Redis, cold", "answers in Redis, warm"):
                on = results[(model, label)]
                print(
                    f"  {model}, {label}: {on['rate'] / off['rate']:.1f}x the searches/s of every search running, "
                    f"p95 {ms(on['p95'])}"
                )
        print(
            f"  (goal: p95 < 100 ms; cache: {_REDIS.url and 'Redis ' + _REDIS.version or 'local memory'}; "
            f"load average before/after: {_load()})"
        )
        settings.PUBLIC_PAGE_CACHE = False

        print("\n3. EXPLAIN ANALYZE")
        for q in ("Wärmepumpe", "Ort1234"):
            _explain(user, q)  # noqa: S608
    return 0


if __name__ == "__main__":
    sys.exit(main())
