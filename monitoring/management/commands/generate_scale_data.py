"""Scale data for the benchmark (issue 6): a portal the size of a busy federal state, deterministically.

    python manage.py generate_scale_data [--seed 1] [--organisations 400 --networks 30 --measures 5000
        --roadmaps 20 --events 5000 --registrations 100000 --indicator-values 50000]

Everything is written with bulk_create in one transaction (minutes at most at full size), then the first history
record of every row (of a model that keeps history) that has none, one INSERT … SELECT per model; the same seed
gives the same rows (dates are relative to today). Invariants the services keep hold here too: one open
membership per organisation and network, at most one registration per person and event, no more people
registered than the event has places (the rest wait, in queue order), registrations only by members of
the event's network, one indicator value per indicator, kind and year. The first roadmap is the big one
(a fifth of the measures, at least 1,000 when there are enough): the benchmark's report covers it.

``--national`` (issue 19 §6) makes a portal the size of Germany: 11,000 municipalities and 400 counties with
AGS-shaped keys (LL R KK GGG: Land, Regierungsbezirk, Kreis, Gemeinde) and log-normal populations (a county
has its municipalities' sum), 2,000 other organisations, 600 networks, 200,000 measures in 5,000 roadmaps (of
the counties and the largest towns), 50,000 events, 1,000,000 registrations, 2,000,000 indicator values, 50,000
people and 500,000 discussion posts in 50,000 threads; ``--scale F`` makes a fraction of every size (0.1: a
tenth). Rows are written in batches as they are made, so memory stays flat.

Made for the benchmark and for trying the portal at size: it adds to whatever is in the database and
refuses to run with DEBUG off unless --force is given.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from events.models import CalendarToken, Event, Format, Kind, Registration, Visibility
from measures.models import Comment, Measure, MeasureUpdate, Milestone, Moderation, Roadmap, Sector
from monitoring.models import Indicator, IndicatorValue
from networks import history, municipal
from networks.channel.models import Post, Thread
from networks.models import Membership, Network, NetworkRole, Organisation, OrganisationRole, Person, Topic, User

BATCH = 5_000
PREFIX = "scale"  # slugs and email addresses: scale-…, …@scale.example
TOPICS = [
    ("Kommunale Wärmeplanung", "Heat planning", "waermeplanung"),
    ("Mobilität", "Mobility", "mobilitaet"),
    ("Photovoltaik", "Photovoltaics", "photovoltaik"),
    ("Energiemanagement", "Energy management", "energiemanagement"),
    ("Klimaanpassung", "Climate adaptation", "klimaanpassung"),
    ("Monitoring", "Monitoring", "monitoring"),
]
PLACES = ["Aachen", "Bonn", "Düren", "Euskirchen", "Heinsberg", "Köln", "Leverkusen", "Neuss", "Siegburg", "Bergheim"]
ORG_KINDS = [
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.COUNTY,
    Organisation.Kind.CITY,
    Organisation.Kind.UTILITY,
    Organisation.Kind.COMPANY,
    Organisation.Kind.BANK,
    Organisation.Kind.CHURCH,
    Organisation.Kind.ENERGY_AGENCY,
    Organisation.Kind.ASSOCIATION,
]
MEASURE_TITLES = [
    "Photovoltaik auf kommunalen Dächern",
    "Kommunale Wärmeplanung umsetzen",
    "Radverkehrsnetz schließen",
    "Energieberatung für Hausbesitzer*innen",
    "LED-Straßenbeleuchtung",
    "Klimaangepasste Grünflächen",
    "Nahwärmenetz im Quartier",
    "Energiemanagement in Schulen",
]
DESCRIPTION = (
    "Die Maßnahme setzt das Klimaschutzkonzept um: Bestandsaufnahme, Beteiligung der Kommunen und "
    "Bürger*innen, Ausschreibung und Umsetzung in Abschnitten. Der Sachstand wird jährlich im Rat berichtet. "
)
TAKE_PART = (
    "Melden Sie geeignete Dachflächen über das Formular der Stadt und kommen Sie zur nächsten "
    "Informationsveranstaltung: Die Energieagentur berät Sie kostenlos."
)
CITIZEN_COSTS = [cost for cost in Measure.CitizenCost.values if cost]
VALUES_PER_INDICATOR = 50  # measured 2000–2024 and targets 2026–2050: one per indicator, kind and year
NATIONAL = {  # issue 19 §6, before --scale
    "municipalities": 11_000,
    "counties": 400,
    "organisations": 2_000,  # utilities, agencies, churches, companies … beside the public bodies
    "networks": 600,
    "measures": 200_000,
    "roadmaps": 5_000,
    "events": 50_000,
    "registrations": 1_000_000,
    "indicator_values": 2_000_000,
    "people": 50_000,
    "posts": 500_000,
}
POSTS_PER_THREAD = 10
OTHER_KINDS = [k for k in ORG_KINDS if k not in Organisation.PUBLIC_BODIES]


class Command(BaseCommand):
    help = "Fill the database with benchmark-sized, deterministic data (PostgreSQL recommended)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--organisations", type=int, default=400)
        parser.add_argument("--networks", type=int, default=30)
        parser.add_argument("--measures", type=int, default=5_000)
        parser.add_argument("--roadmaps", type=int, default=20)
        parser.add_argument("--events", type=int, default=5_000)
        parser.add_argument("--registrations", type=int, default=100_000)
        parser.add_argument("--indicator-values", type=int, default=50_000)
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--national", action="store_true", help="Germany's size (issue 19 §6); other sizes ignored."
        )
        parser.add_argument("--scale", type=float, default=1.0, help="With --national: this fraction of every size.")

    def handle(self, *args, force: bool = False, **o):
        if not settings.DEBUG and not force:
            raise CommandError("generate_scale_data refuses to run with DEBUG off. Use --force if you really mean it.")
        sizes = {k: o[k] for k in ("organisations", "networks", "measures", "roadmaps", "events", "registrations")}
        sizes["indicator_values"] = o["indicator_values"]
        if o["national"]:
            if not 0 < o["scale"] <= 1:
                raise CommandError("--scale is a fraction: more than 0, at most 1.")
            sizes = {key: max(1, round(value * o["scale"])) for key, value in NATIONAL.items()}
        if not o["national"] and (o["organisations"] < max(o["roadmaps"], 2) or o["networks"] < 1):
            raise CommandError("Need at least one network and more organisations than roadmaps.")
        if Organisation.objects.filter(slug__startswith=f"{PREFIX}-").exists():
            raise CommandError("Scale data is already in this database (organisations scale-…).")
        t0 = time.perf_counter()
        with transaction.atomic():
            made = Generator(random.Random(o["seed"]), **sizes).run()
            made["history records"] = sum(history.record_missing().values())  # bulk_create writes no history
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, count in made.items():
            self.stdout.write(f"{name:>22}: {count:,}")
        self.stdout.write(f"Scale data made in {time.perf_counter() - t0:,.1f} s (seed {o['seed']}).")


class Generator:
    def __init__(self, rng: random.Random, **sizes):
        self.rng = rng
        self.n = sizes
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.today = timezone.localdate()
        self.made: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        self.topics()
        if "municipalities" in self.n:
            self.national_organisations()
        else:
            self.organisations()
        self.networks()
        self.people()
        self.roadmaps()
        self.measures()
        self.events()
        self.registrations()
        self.indicators()
        if self.n.get("posts"):
            self.discussions()
        return self.made

    def count(self, name: str, rows: list) -> list:
        self.made[name] = self.made.get(name, 0) + len(rows)
        return rows

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- networks ----------------------------------------------------------------------------------

    def topics(self) -> None:
        self.topic_list = [
            Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})[0]
            for name, name_en, slug in TOPICS
        ]

    def organisations(self) -> None:
        rng, rows = self.rng, []
        for i in range(self.n["organisations"]):
            kind = Organisation.Kind.COUNTY if i < self.n["roadmaps"] else rng.choice(ORG_KINDS)
            public = kind in Organisation.PUBLIC_BODIES
            place = rng.choice(PLACES)
            rows.append(
                Organisation(
                    name=f"{kind.label.capitalize()} {place} {i + 1}",
                    slug=f"{PREFIX}-org-{i + 1}",
                    kind=kind,
                    ags=f"9{i:07d}" if public else "",
                    population=rng.randint(3_000, 600_000) if public else None,
                    state="NW",
                )
            )
        self.orgs = self.count("organisations", Organisation.objects.bulk_create(rows, batch_size=BATCH))

    def national_organisations(self) -> None:
        """Counties first, then the municipalities largest first (the roadmaps go to the first ones), then the
        other organisations. Each county has a key LL R KK 000 and its municipalities LL R KK GGG; the Länder get
        counties in proportion to their real number (Bavaria 71, the city states one)."""
        rng, n = self.rng, self.n
        counties_per_land = _spread(n["counties"], COUNTIES_PER_LAND)
        municipalities_per_county = _spread(n["municipalities"], [1] * n["counties"])
        counties, municipalities = [], []
        number = 0
        for prefix, count in zip(COUNTIES_PER_LAND_PREFIXES, counties_per_land, strict=True):
            for k in range(count):
                district, kreis = 1 + k // 99 % 9, 1 + k % 99
                key = f"{prefix}{district}{kreis:02d}"
                members = []
                for g in range(municipalities_per_county[number]):
                    population = _population(rng)
                    town = population >= 20_000
                    members.append(
                        Organisation(
                            name=f"{'Stadt' if town else 'Gemeinde'} {rng.choice(PLACES)} {key}{g + 1:03d}",
                            slug=f"{PREFIX}-ags-{key}{g + 1:03d}",
                            kind=Organisation.Kind.CITY if town else Organisation.Kind.MUNICIPALITY,
                            ags=f"{key}{g + 1:03d}",
                            population=population,
                            state=municipal.LAND_OF_AGS_PREFIX[prefix],
                        )
                    )
                counties.append(
                    Organisation(
                        name=f"Kreis {rng.choice(PLACES)} {key}",
                        slug=f"{PREFIX}-ags-{key}000",
                        kind=Organisation.Kind.COUNTY,
                        ags=f"{key}000",
                        population=sum(m.population for m in members),
                        state=municipal.LAND_OF_AGS_PREFIX[prefix],
                    )
                )
                municipalities += members
                number += 1
        municipalities.sort(key=lambda m: -m.population)
        others = [
            Organisation(
                name=f"{kind.label.capitalize()} {rng.choice(PLACES)} {i + 1}",
                slug=f"{PREFIX}-org-{i + 1}",
                kind=kind,
                state=rng.choice(list(municipal.AGS_PREFIX_OF_LAND)),
            )
            for i, kind in enumerate(rng.choice(OTHER_KINDS) for _ in range(n["organisations"]))
        ]
        rows = [*counties, *municipalities, *others]
        self.orgs = self.count("organisations", Organisation.objects.bulk_create(rows, batch_size=BATCH))

    def networks(self) -> None:
        rng = self.rng
        kinds, formats = list(Network.Kind.values), list(Network.MeetingFormat.values)
        self.network_list = self.count(
            "networks",
            Network.objects.bulk_create(
                Network(
                    name=f"Klimanetzwerk {rng.choice(PLACES)} {i + 1}",
                    short_name=f"KN{i + 1}",
                    slug=f"{PREFIX}-netz-{i + 1}",
                    kind=rng.choice(kinds),
                    host=rng.choice(self.orgs),
                    region=f"Region {rng.choice(PLACES)}",
                    founded_year=rng.randint(2005, 2024),
                    meeting_format=rng.choice(formats),
                    description="Austausch der Klimaschutzmanager*innen, Wärmeplanung, Förderung und Monitoring.",
                    is_public=i % 10 != 9,  # one in ten networks keeps its profile to itself
                )
                for i in range(self.n["networks"])
            ),
        )
        memberships = []
        for network in self.network_list:
            for org in rng.sample(self.orgs, min(len(self.orgs), rng.randint(10, 30))):
                memberships.append(
                    Membership(
                        network=network, organisation=org, since=self.today - timedelta(days=rng.randint(30, 3000))
                    )
                )
        self.count("memberships", Membership.objects.bulk_create(memberships, batch_size=BATCH))

    def people(self) -> None:
        """Enough members that every event can fill its registrations from its network's members."""
        rng = self.rng
        per_event = max(1, -(-self.n["registrations"] // max(self.n["events"], 1)))
        per_network = max(per_event * 3, 20)
        total = max(per_network * len(self.network_list) // 2, 50, per_network, self.n.get("people", 0))
        users = User.objects.bulk_create(
            [User(email=f"person{i + 1}@{PREFIX}.example") for i in range(total)], batch_size=BATCH
        )  # no password: nobody logs in with these accounts (the benchmark logs in by session)
        people = Person.objects.bulk_create(
            [
                Person(user=u, name=f"Person {i + 1}", organisation=rng.choice(self.orgs), job_title="Klimaschutz")
                for i, u in enumerate(users)
            ],
            batch_size=BATCH,
        )
        self.person_list = self.count("people (with accounts)", people)
        # Each network gets per_network people; people belong to one or two networks.
        self.members: dict[int, list[Person]] = {}
        roles = []
        for k, network in enumerate(self.network_list):
            start = (k * per_network // 2) % total
            chosen = [people[(start + j) % total] for j in range(per_network)]
            self.members[network.pk] = chosen
            for j, person in enumerate(chosen):
                role = NetworkRole.Role.COORDINATOR if j == 0 else NetworkRole.Role.MEMBER
                roles.append(NetworkRole(network=network, person=person, role=role))
        self.count("network roles", NetworkRole.objects.bulk_create(roles, batch_size=BATCH, ignore_conflicts=True))
        tokens = [CalendarToken(person=p, token=f"{PREFIX}-{self.rng.getrandbits(160):040x}") for p in people[:200]]
        self.count("calendar tokens", CalendarToken.objects.bulk_create(tokens))

    # --- measures ----------------------------------------------------------------------------------

    def roadmaps(self) -> None:
        rng = self.rng
        self.roadmap_list = self.count(
            "roadmaps",
            Roadmap.objects.bulk_create(
                Roadmap(
                    organisation=self.orgs[i],
                    slug=f"{PREFIX}-roadmap-{i + 1}",
                    title=f"Klima-Roadmap {self.orgs[i].name}",
                    target_year=rng.choice([2035, 2040, 2045]),
                    baseline_year=rng.choice([2010, 2015, 2019]),
                    baseline_emissions=rng.randint(100_000, 3_000_000),
                    description="Der Kreis will klimaneutral werden; die Roadmap zeigt, mit welchen Maßnahmen.",
                    published=i % 10 != 9,  # every tenth stays a draft
                )
                for i in range(self.n["roadmaps"])
            ),
        )
        editors = [
            OrganisationRole(organisation=r.organisation, person=self.person_list[i % len(self.person_list)])
            for i, r in enumerate(self.roadmap_list)
        ]
        self.count("organisation editors", OrganisationRole.objects.bulk_create(editors, ignore_conflicts=True))

    def measure_counts(self) -> list[int]:
        total, n = self.n["measures"], len(self.roadmap_list)
        if n == 0:
            return []
        big = min(total, max(total // 5, min(1_000, total)))
        if "municipalities" in self.n:  # national: the largest county's roadmap, not a fifth of the country's
            big = min(total // 5, 2_000) or total
        rest = total - big
        return [big] + [rest // (n - 1) + (1 if i < rest % (n - 1) else 0) for i in range(n - 1)] if n > 1 else [total]

    def measures(self) -> None:
        """Written a batch at a time with their milestones, progress updates and comments; kept: (id, roadmap)."""
        rng = self.rng
        sectors, statuses, priorities = list(Sector.values), list(Measure.Status.values), list(Measure.Priority.values)
        self.measure_refs: list[tuple[int, int]] = []
        rows = []
        for roadmap, count in zip(self.roadmap_list, self.measure_counts(), strict=True):
            # A county's measures are led by the county, its municipalities and a few utilities: a dozen or so.
            leads = [roadmap.organisation, *rng.sample(self.orgs, min(12, len(self.orgs)))]
            for i in range(count):
                start = self.today - timedelta(days=rng.randint(-200, 1500))
                expected = rng.randint(10, 5_000)
                offer = rng.random() < 0.2  # a fifth tell citizens how to take part ("Mitmachen")
                rows.append(
                    Measure(
                        roadmap=roadmap,
                        code=f"M-{i + 1:04d}",
                        slug=f"m-{i + 1:04d}",
                        title=f"{rng.choice(MEASURE_TITLES)} ({i + 1})",
                        summary="Kurzbeschreibung der Maßnahme für die Übersicht.",
                        description=DESCRIPTION * rng.randint(1, 3),
                        sector=rng.choice(sectors),
                        status=rng.choice(statuses),
                        priority=rng.choice(priorities),
                        lead_organisation=rng.choice(leads),
                        start=start,
                        end=start + timedelta(days=rng.randint(90, 3000)),
                        effect_expected=expected,
                        effect_low=expected * 0.7,
                        effect_high=expected * 1.4,
                        cost_estimate=rng.randint(5, 5_000) * 1_000,
                        internal_fields=["cost_estimate"] if rng.random() < 0.2 else [],
                        how_to_take_part=TAKE_PART if offer else "",
                        citizen_cost=rng.choice(CITIZEN_COSTS) if offer else "",
                        published=rng.random() < 0.95,
                    )
                )
            if len(rows) >= BATCH:
                self.measure_batch(rows)
                rows = []
        self.measure_batch(rows)

    def measure_batch(self, rows: list[Measure]) -> None:
        rng = self.rng
        measures = self.count("measures", Measure.objects.bulk_create(rows, batch_size=BATCH))
        milestones, updates, comments = [], [], []
        for m in measures:
            for _ in range(rng.randint(0, 3)):
                due = self.today + timedelta(days=rng.randint(-400, 700))
                done = due if due < self.today and rng.random() < 0.6 else None
                milestones.append(Milestone(measure=m, title="Ausschreibung", due_date=due, done_date=done))
            for k in range(rng.randint(0, 2)):
                updates.append(
                    MeasureUpdate(
                        measure=m,
                        text="Die ersten Schritte sind getan; der Rat hat die Mittel bewilligt.",
                        percent=rng.randint(0, 100),
                        date=self.today - timedelta(days=30 * k + rng.randint(0, 29)),
                        public=rng.random() < 0.8,
                    )
                )
            if rng.random() < 0.1:
                comments.append(
                    Comment(
                        measure=m,
                        author=rng.choice(self.person_list),
                        text="Gute Idee! Wann geht es in unserem Ortsteil los?",
                        status=Moderation.PUBLISHED,
                    )
                )
        self.count("milestones", Milestone.objects.bulk_create(milestones, batch_size=BATCH))
        self.count("progress updates", MeasureUpdate.objects.bulk_create(updates, batch_size=BATCH))
        self.count("comments", Comment.objects.bulk_create(comments, batch_size=BATCH))
        self.measure_refs += [(m.pk, m.roadmap_id) for m in measures]

    # --- events ------------------------------------------------------------------------------------

    def events(self) -> None:
        """Spread over the last and the next year, about as many ahead as behind."""
        rng, rows = self.rng, []
        kinds = [Kind.NETWORK_MEETING, Kind.WORKSHOP, Kind.OFFICE_HOUR, Kind.PUBLIC_EVENT]
        span = 365 * 24
        for i in range(self.n["events"]):
            network = self.network_list[i % len(self.network_list)]
            start = self.now + timedelta(hours=rng.randint(-span, span))
            fmt = rng.choice([Format.ON_SITE, Format.ONLINE, Format.HYBRID])
            kind = rng.choice(kinds)
            rows.append(
                Event(
                    network=network,
                    uid=self.uuid(),
                    title=f"{kind.label.capitalize()} {i + 1}",
                    kind=kind,
                    format=fmt,
                    venue="" if fmt == Format.ONLINE else "Kreishaus, Sitzungssaal",
                    street="" if fmt == Format.ONLINE else "Bismarckstraße 16",
                    postcode="" if fmt == Format.ONLINE else "52351",
                    town="" if fmt == Format.ONLINE else "Düren",
                    online_url="" if fmt == Format.ON_SITE else f"https://meet.example.org/{PREFIX}-{i + 1}",
                    capacity=rng.choice([None, 20, 30, 50]),
                    visibility=Visibility.PUBLIC
                    if kind == Kind.PUBLIC_EVENT or rng.random() < 0.3
                    else Visibility.NETWORK,
                    description="Austausch zur kommunalen Wärmeplanung, zu Fördermitteln und zum Monitoring.",
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.choice([1, 2, 3])),
                    status=Event.Status.CANCELLED if rng.random() < 0.03 else Event.Status.PLANNED,
                )
            )
        self.event_list = self.count("events", Event.objects.bulk_create(rows, batch_size=BATCH))

    def registrations(self) -> None:
        """Registrations by members of the event's network; beyond the places they wait, in queue order."""
        rng, total = self.rng, self.n["registrations"]
        events = self.event_list
        if not events:
            return
        base, extra = divmod(total, len(events))
        rows = []
        for i, event in enumerate(events):
            members = self.members[event.network_id]
            want = min(base + (1 if i < extra else 0), len(members))
            registered = 0
            for k, person in enumerate(rng.sample(members, want)):
                if rng.random() < 0.05:
                    status = Registration.Status.CANCELLED
                elif event.capacity is None or registered < event.capacity:
                    status = Registration.Status.REGISTERED
                    if event.ends_at < self.now and rng.random() < 0.8:
                        status = Registration.Status.ATTENDED
                    registered += 1
                else:
                    status = Registration.Status.WAITING
                queued = event.starts_at - timedelta(days=30) + timedelta(minutes=k)
                rows.append(Registration(event=event, person=person, status=status, queued_at=queued))
            if len(rows) >= BATCH:
                Registration.objects.bulk_create(rows, batch_size=BATCH)
                self.count("registrations", rows)
                rows = []
        Registration.objects.bulk_create(rows, batch_size=BATCH)
        self.count("registrations", rows)
        # Registered when they queued (a month before the event): reminders are due as for real people.
        Registration.objects.filter(event__in=[e.pk for e in events]).update(
            created_at=ExpressionWrapper(
                Subquery(Event.objects.filter(pk=OuterRef("event_id")).values("starts_at")[:1]) - timedelta(days=30),
                output_field=DateTimeField(),
            )
        )

    # --- monitoring --------------------------------------------------------------------------------

    def indicators(self) -> None:
        rng, wanted = self.rng, self.n["indicator_values"]
        roadmaps = self.roadmap_list
        if not roadmaps or wanted <= 0:
            return
        n = -(-wanted // VALUES_PER_INDICATOR)
        indicators = self.count(
            "indicators",
            Indicator.objects.bulk_create(
                Indicator(
                    organisation=roadmaps[i % len(roadmaps)].organisation,
                    roadmap=roadmaps[i % len(roadmaps)],
                    name=f"Indikator {i + 1}: installierte PV-Leistung",
                    code=f"pv-{i % 50 + 1}",
                    unit="MWp",
                    direction=Indicator.Direction.HIGHER,
                    baseline_year=2000,
                    baseline_value=100,
                    source="Marktstammdatenregister",
                    next_due=date(self.today.year + 1, 3, 31),
                    order=i // len(roadmaps),
                )
                for i in range(n)
            ),
        )
        measures_of: dict[int, list[int]] = {}
        for pk, roadmap_id in self.measure_refs:
            measures_of.setdefault(roadmap_id, []).append(pk)
        links = []
        for ind in indicators:
            for pk in rng.sample(measures_of.get(ind.roadmap_id, []), min(2, len(measures_of.get(ind.roadmap_id, [])))):
                links.append(Indicator.measures.through(indicator=ind, measure_id=pk))
        Indicator.measures.through.objects.bulk_create(links, batch_size=BATCH)
        rows, left = [], wanted
        for ind in indicators:
            if len(rows) >= BATCH:
                self.count("indicator values", IndicatorValue.objects.bulk_create(rows, batch_size=BATCH))
                rows = []
            value = 100.0
            for year in range(2000, 2025):
                if left == 0:
                    break
                value *= 1 + rng.uniform(0.0, 0.12)
                rows.append(IndicatorValue(indicator=ind, year=year, value=round(value, 3), checked=True))
                left -= 1
            for year in range(2026, 2051):
                if left == 0:
                    break
                rows.append(
                    IndicatorValue(
                        indicator=ind, year=year, value=100 + 40 * (year - 2000), kind=IndicatorValue.Kind.TARGET
                    )
                )
                left -= 1
        self.count("indicator values", IndicatorValue.objects.bulk_create(rows, batch_size=BATCH))

    # --- discussions -------------------------------------------------------------------------------

    def discussions(self) -> None:
        """Threads of POSTS_PER_THREAD posts (the last few days of a network's members), written a batch at a time."""
        rng, wanted = self.rng, self.n["posts"]
        threads = max(1, wanted // POSTS_PER_THREAD)
        made = 0
        for first in range(0, threads, BATCH // POSTS_PER_THREAD):
            batch = []
            for i in range(first, min(threads, first + BATCH // POSTS_PER_THREAD)):
                network = self.network_list[i % len(self.network_list)]
                started = self.now - timedelta(hours=rng.randint(24, 24 * 700))
                count = min(POSTS_PER_THREAD, wanted - made - POSTS_PER_THREAD * len(batch))
                batch.append(
                    Thread(
                        network=network,
                        title=f"Erfahrungen mit der Wärmeplanung ({i + 1})",
                        author=rng.choice(self.members[network.pk]),
                        created_at=started,
                        last_post_at=started + timedelta(hours=count),
                        post_count=count,
                    )
                )
            threads_made = self.count("discussion threads", Thread.objects.bulk_create(batch))
            posts = [
                Post(
                    thread=thread,
                    number=k + 1,
                    author=rng.choice(self.members[thread.network_id]),
                    body=f"Bei uns hat der Rat den Wärmeplan beschlossen; **Beitrag {k + 1}** mit den Zahlen.",
                    created_at=thread.created_at + timedelta(hours=k),
                )
                for thread in threads_made
                for k in range(thread.post_count)
            ]
            made += len(self.count("discussion posts", Post.objects.bulk_create(posts, batch_size=BATCH)))


# Counties and county-free cities per Land (Destatis, 400 in all), in the order of the AGS prefixes 01–16.
COUNTIES_PER_LAND = [15, 1, 45, 2, 53, 26, 36, 44, 96, 6, 1, 18, 8, 13, 14, 22]
COUNTIES_PER_LAND_PREFIXES = list(municipal.LAND_OF_AGS_PREFIX)


def _spread(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), each at least 0."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _population(rng: random.Random) -> int:
    """Most German municipalities are small: a log-normal spread, 200 to 3.7 million (as bench.common's)."""
    return int(min(max(rng.lognormvariate(8.3, 1.3), 200), 3_700_000))
