"""Demo data from the seed texts: five networks, their organisations, invented people.

Idempotent: every row is found by its natural key and updated, never duplicated.
"""

import importlib
import importlib.util
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks import services
from networks.models import (
    Campaign,
    Network,
    NetworkRole,
    Organisation,
    OrganisationRole,
    Person,
    Topic,
    User,
    WorkingGroup,
)

DEMO_PASSWORD = "klimanetz-demo"

K = Organisation.Kind
# name, short name, slug, kind, AGS, population, state, website (populations: plausible, near the official figures of
# 31.12.2023, not the official numbers themselves)
ORGANISATIONS = [
    ("Stadt Dortmund", "Dortmund", "stadt-dortmund", K.CITY, "05913000", 595_471, "NW", "https://www.dortmund.de"),
    ("Dortmunder Stadtwerke AG (DSW21)", "DSW21", "dsw21", K.UTILITY, "", None, "NW", ""),
    ("Dortmunder Energie- und Wasserversorgung GmbH (DEW21)", "DEW21", "dew21", K.UTILITY, "", None, "NW", ""),
    ("Entsorgung Dortmund GmbH (EDG)", "EDG", "edg", K.COMPANY, "", None, "NW", ""),
    ("Sparkasse Dortmund", "Sparkasse", "sparkasse-dortmund", K.BANK, "", None, "NW", ""),
    ("Dortmunder Hafen AG", "Hafen AG", "dortmunder-hafen", K.COMPANY, "", None, "NW", ""),
    (
        "Evangelischer Kirchenkreis Dortmund",
        "Ev. Kirchenkreis",
        "ev-kirchenkreis-dortmund",
        K.CHURCH,
        "",
        None,
        "NW",
        "",
    ),
    ("Fachhochschule Dortmund", "FH Dortmund", "fh-dortmund", K.UNIVERSITY, "", None, "NW", ""),
    ("Caritasverband Dortmund e. V.", "Caritas", "caritas-dortmund", K.WELFARE, "", None, "NW", ""),
    ("Diakonisches Werk Dortmund und Lünen", "Diakonie", "diakonie-dortmund-luenen", K.WELFARE, "", None, "NW", ""),
    ("Kreis Düren", "Kreis Düren", "kreis-dueren", K.COUNTY, "05358000", 268_527, "NW", "https://www.kreis-dueren.de"),
    ("Stadt Düren", "Düren", "stadt-dueren", K.CITY, "05358008", 93_440, "NW", ""),
    ("Lots* Beratung", "Lots*", "lots", K.COMPANY, "", None, "", ""),
    ("Deutsches Institut für Urbanistik (Difu)", "Difu", "difu", K.OTHER, "", None, "BE", "https://difu.de"),
    ("Energieagentur Rheinland-Pfalz", "Energieagentur RLP", "energieagentur-rlp", K.ENERGY_AGENCY, "", None, "RP", ""),
    ("Stadt Kaiserslautern", "Kaiserslautern", "stadt-kaiserslautern", K.CITY, "07312000", 101_486, "RP", ""),
    (
        "Landkreis Kaiserslautern",
        "LK Kaiserslautern",
        "landkreis-kaiserslautern",
        K.COUNTY,
        "07335000",
        106_970,
        "RP",
        "",
    ),
    ("Stadt Pirmasens", "Pirmasens", "stadt-pirmasens", K.CITY, "07317000", 40_374, "RP", ""),
    ("Stadt Zweibrücken", "Zweibrücken", "stadt-zweibruecken", K.CITY, "07320000", 33_950, "RP", ""),
    ("Landkreis Kusel", "LK Kusel", "landkreis-kusel", K.COUNTY, "07336000", 70_190, "RP", ""),
    ("Donnersbergkreis", "Donnersbergkreis", "donnersbergkreis", K.COUNTY, "07333000", 75_960, "RP", ""),
    ("Landkreis Südwestpfalz", "LK Südwestpfalz", "landkreis-suedwestpfalz", K.COUNTY, "07340000", 95_620, "RP", ""),
    ("Region Köln/Bonn e. V.", "Region Köln/Bonn", "region-koeln-bonn", K.ASSOCIATION, "", None, "NW", ""),
    ("Stadt Bonn", "Bonn", "stadt-bonn", K.CITY, "05314000", 336_465, "NW", ""),
    ("Stadt Troisdorf", "Troisdorf", "stadt-troisdorf", K.CITY, "05382068", 76_614, "NW", ""),
    ("Stadt Bergisch Gladbach", "Bergisch Gladbach", "stadt-bergisch-gladbach", K.CITY, "05378004", 112_168, "NW", ""),
    ("Stadt Brühl", "Brühl", "stadt-bruehl", K.CITY, "05362012", 44_556, "NW", ""),
    ("Stadt Hürth", "Hürth", "stadt-huerth", K.CITY, "05362028", 60_582, "NW", ""),
    ("Gemeinde Alfter", "Alfter", "gemeinde-alfter", K.MUNICIPALITY, "05382004", 23_979, "NW", ""),
    ("Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis", "rhein-sieg-kreis", K.COUNTY, "05382000", 612_317, "NW", ""),
]

TOPICS = [
    ("kommunale-waermeplanung", "Kommunale Wärmeplanung", "Municipal heat planning"),
    ("mobilitaet", "Mobilität", "Mobility"),
    ("photovoltaik", "Photovoltaik", "Photovoltaics"),
    ("energiemanagement", "Energiemanagement und -controlling", "Energy management and controlling"),
    ("bauleitplanung", "Klimaschutz in der Bauleitplanung", "Climate protection in land-use planning"),
    ("verstetigung", "Verstetigung des Klimaschutzmanagements", "Making climate management permanent"),
    ("monitoring", "Klimaschutz-Monitoring", "Climate-protection monitoring"),
    ("klimaanpassung", "Klimaanpassung", "Climate adaptation"),
    ("beteiligung", "Öffentlichkeitsarbeit und Beteiligung", "Public relations and participation"),
    ("foerdermittel", "Fördermittel", "Funding"),
]

N = Network.Kind
F = Network.MeetingFormat
NETWORKS = [
    {
        "slug": "kek-dortmund",
        "short_name": "KEK",
        "kind": N.CONSULTATION_CIRCLE,
        "host": "stadt-dortmund",
        "name": "Konsultationskreis Energieeffizienz und Klimaschutz Dortmund",
        "region": "Dortmund",
        "founded_year": 2011,
        "reactivated_on": date(2023, 6, 7),
        "meeting_format": F.ON_SITE,
        "meeting_rhythm": "Regelmäßige Netzwerktreffen, öffentliche Veranstaltungen und Arbeitsgruppen",
        "description": (
            "Der preisgekrönte KEK verbindet städtische Gesellschaften und bedeutende stadtgesellschaftliche, "
            "kirchliche und soziale Organisationen, um die Dortmunder Klimaschutzprogramme gemeinsam umzusetzen. "
            "Nach mehrjähriger Pause wurde er mit einer Kick-off-Veranstaltung im Umweltamt reaktiviert."
        ),
        "goals": (
            "Das Handlungsprogramm Klima-Luft 2030 und das Ziel der Treibhausgasneutralität bis 2035 voranbringen; "
            "Informationen über Klimaschutzaktivitäten in Dortmund verbreiten; eigene Klimaschutzziele der "
            "Teilnehmenden entwickeln; die Zusammenarbeit konkretisieren und gesellschaftliche Gruppen aktivieren."
        ),
        "funding_programme": "Nationale Klimaschutzinitiative (NKI) – externes Netzwerkmanagement, drei Jahre",
        "funding_start": date(2023, 7, 1),
        "funding_end": date(2026, 6, 30),
        "members": [
            "stadt-dortmund",
            "dsw21",
            "dew21",
            "edg",
            "sparkasse-dortmund",
            "dortmunder-hafen",
            "ev-kirchenkreis-dortmund",
            "fh-dortmund",
            "caritas-dortmund",
            "diakonie-dortmund-luenen",
        ],
    },
    {
        "slug": "nkk-koeln-bonn",
        "short_name": "NKK",
        "kind": N.SELF_ORGANISED,
        "host": "region-koeln-bonn",
        "name": "Netzwerk kommunaler Klimaschutzmanager*innen Region Köln/Bonn",
        "region": "Region Köln/Bonn",
        "meeting_format": F.MIXED,
        "meeting_rhythm": "Trifft sich in der Regel digital, gelegentlich in Präsenz in der Geschäftsstelle",
        "description": (
            "Ein informelles, von den Klimaschutzmanager*innen selbst organisiertes Netzwerk. Im Mittelpunkt stehen "
            "der Austausch untereinander, aktuelle Themen des kommunalen Klimaschutzes und die gegenseitige Unterstützung."
        ),
        "goals": (
            "Gegenseitige Unterstützung bei der kommunalen Wärmeplanung; Austausch zu Klimaschutzkonzepten und ihrem "
            "Umsetzungsstand; Formulierung von Klimaneutralitätszielen; Stärkung der Klimaschutzmanager*innen in ihren Verwaltungen."
        ),
        "members": [
            "stadt-bonn",
            "stadt-troisdorf",
            "stadt-bergisch-gladbach",
            "stadt-bruehl",
            "stadt-huerth",
            "gemeinde-alfter",
            "rhein-sieg-kreis",
        ],
    },
    {
        "slug": "klima-taten-team-westpfalz",
        "short_name": "Klima.Taten.Team",
        "kind": N.REGIONAL_TEAM,
        "host": "energieagentur-rlp",
        "name": "Klima.Taten.Team Westpfalz",
        "region": "Westpfalz",
        "meeting_format": F.ONLINE,
        "meeting_rhythm": "Online-Workshops; Klima.Taten.Talk als Sprechstunde alle zwei Wochen",
        "description": (
            "Rund 15 kommunale Klimaschutz-Akteurinnen und -Akteure aus der Westpfalz bündeln ihre Kräfte im "
            "landkreisübergreifenden Netzwerk, moderiert vom Regionalbüro Westpfalz der Energieagentur Rheinland-Pfalz."
        ),
        "goals": (
            "Gemeinsame Jahresplanung; gemeinsame Photovoltaik- und Wärmekampagnen für Bürgerinnen und Bürger; "
            "Mobilität und Klimaschutz in der Bauleitplanung in den Fokus rücken; Stärken abgleichen – nicht jede "
            "und jeder muss sich in jedes Thema einarbeiten."
        ),
        "members": [
            "stadt-kaiserslautern",
            "landkreis-kaiserslautern",
            "stadt-pirmasens",
            "stadt-zweibruecken",
            "landkreis-kusel",
            "donnersbergkreis",
            "landkreis-suedwestpfalz",
        ],
    },
    {
        "slug": "difu-praxis-werkstaetten",
        "short_name": "Difu-Werkstätten",
        "kind": N.WORKSHOP_SERIES,
        "host": "difu",
        "name": "Praxis-Werkstätten Klimaschutz-Monitoring",
        "region": "bundesweit, regional",
        "meeting_format": F.ON_SITE,
        "meeting_rhythm": "Eintägige regionale Praxis-Werkstätten 2023 und 2024",
        "description": (
            "Im Projekt „Gemeinsam mehr Klimaschutz schaffen!“ bietet das Difu mit Kooperationspartnern eintägige "
            "regionale Praxis-Werkstätten an: von der Praxis für die Praxis, zum Aufbau eines eigenen Klimaschutz-Monitorings."
        ),
        "goals": (
            "Kommunen befähigen, die quantitativen und qualitativen Effekte ihrer Maßnahmen systematisch und "
            "fortschreibungsfähig zu erfassen und transparent über ihren Fortschritt zu berichten."
        ),
        "funding_start": date(2023, 1, 1),
        "funding_end": date(2024, 12, 31),
        "members": ["energieagentur-rlp", "stadt-bonn", "kreis-dueren", "stadt-kaiserslautern"],
    },
    {
        "slug": "klima-roadmap-kreis-dueren",
        "short_name": "Klima-Roadmap DN",
        "kind": N.CONSULTATION_CIRCLE,
        "host": "kreis-dueren",
        "name": "Klima-Roadmap Kreis Düren",
        "region": "Kreis Düren",
        "meeting_format": F.ON_SITE,
        "meeting_rhythm": "Auftaktveranstaltung und Workshops vor Ort",
        "description": (
            "Der Kreis Düren will bis 2035 klimaneutral werden. Für die Klima-Roadmap bindet er Stakeholder*innen "
            "und Bürger*innen frühzeitig ein; Lots* unterstützt beratend bei den Beteiligungsformaten."
        ),
        "goals": (
            "Fundierte und realisierbare Maßnahmen erarbeiten, die von der breiten Dürener Gesellschaft mitgetragen "
            "werden – von den „kleinen Dingen“ vor der eigenen Haustür bis zum Klimaschutz in der Industrie."
        ),
        "members": ["kreis-dueren", "stadt-dueren", "lots"],
    },
]

# email, name, organisation slug, job title, [(network slug, role)], [editor of org slug], [(topic, level, note)]
C, M = NetworkRole.Role.COORDINATOR, NetworkRole.Role.MEMBER
PEOPLE = [
    (
        "kek.koordination@example.org",
        "Jana Becker",
        "stadt-dortmund",
        "Netzwerkmanagement KEK",
        [("kek-dortmund", C)],
        [],
        [("beteiligung", 3, "Moderation von Netzwerktreffen"), ("foerdermittel", 3, "NKI-Förderung")],
    ),
    (
        "kek.mitglied@example.org",
        "Tobias Wagner",
        "stadt-dortmund",
        "Klimaschutzmanager im Umweltamt",
        [("kek-dortmund", M)],
        [],
        [("monitoring", 2, "Handlungsprogramm Klima-Luft 2030"), ("mobilitaet", 1, "")],
    ),
    (
        "kek.dew21@example.org",
        "Selin Kaya",
        "dew21",
        "Energieberatung",
        [("kek-dortmund", M)],
        [],
        [("photovoltaik", 3, "Mieterstrom und Dach-PV"), ("kommunale-waermeplanung", 2, "Fernwärmeausbau")],
    ),
    (
        "kek.fh@example.org",
        "Dr. Martin Krause",
        "fh-dortmund",
        "Nachhaltigkeitsbeauftragter",
        [("kek-dortmund", M)],
        [],
        [("energiemanagement", 3, "Liegenschaften der Hochschule")],
    ),
    (
        "kek.caritas@example.org",
        "Anna Richter",
        "caritas-dortmund",
        "Referentin Klimaschutz",
        [("kek-dortmund", M)],
        [],
        [("beteiligung", 2, "Klimaschutz in sozialen Einrichtungen")],
    ),
    (
        "ktt.koordination@example.org",
        "Miriam Schuster",
        "energieagentur-rlp",
        "Regionalreferentin Westpfalz",
        [("klima-taten-team-westpfalz", C), ("difu-praxis-werkstaetten", M)],
        [],
        [("verstetigung", 3, "Begleitung von Anschlussvorhaben"), ("foerdermittel", 3, "Kommunalrichtlinie")],
    ),
    (
        "ktt.kl@example.org",
        "Jonas Frank",
        "stadt-kaiserslautern",
        "Klimaschutzmanager",
        [("klima-taten-team-westpfalz", M)],
        [],
        [("photovoltaik", 3, "PV-Kampagne 2022"), ("mobilitaet", 2, "Radverkehrskonzept")],
    ),
    (
        "ktt.kusel@example.org",
        "Katrin Lang",
        "landkreis-kusel",
        "Klimaschutzmanagerin",
        [("klima-taten-team-westpfalz", M)],
        [],
        [("energiemanagement", 3, "Kom.EMS eingeführt"), ("kommunale-waermeplanung", 1, "")],
    ),
    (
        "ktt.ps@example.org",
        "Felix Braun",
        "stadt-pirmasens",
        "Klimaschutzbeauftragter",
        [("klima-taten-team-westpfalz", M)],
        [],
        [("bauleitplanung", 3, "Klimacheck für Bebauungspläne")],
    ),
    (
        "nkk.koordination@example.org",
        "Sabine Neumann",
        "stadt-bonn",
        "Klimaschutzmanagerin",
        [("nkk-koeln-bonn", C)],
        ["stadt-bonn"],
        [("kommunale-waermeplanung", 3, "Zielszenario abgeschlossen"), ("monitoring", 2, "")],
    ),
    (
        "nkk.mitglied@example.org",
        "Lena Hoffmann",
        "stadt-troisdorf",
        "Klimaschutzmanagerin",
        [("nkk-koeln-bonn", M)],
        ["stadt-troisdorf"],
        [("kommunale-waermeplanung", 2, "Potenzialanalyse läuft"), ("klimaanpassung", 2, "")],
    ),
    (
        "nkk.gl@example.org",
        "Ahmet Yilmaz",
        "stadt-bergisch-gladbach",
        "Klimaschutzmanager",
        [("nkk-koeln-bonn", M)],
        [],
        [("mobilitaet", 3, "Mobilstationen"), ("verstetigung", 2, "")],
    ),
    (
        "nkk.huerth@example.org",
        "Claudia Vogel",
        "stadt-huerth",
        "Klimaschutzmanagerin",
        [("nkk-koeln-bonn", M)],
        [],
        [("kommunale-waermeplanung", 3, "Wärmeplan vor dem Ratsbeschluss")],
    ),
    (
        "difu.koordination@example.org",
        "Dr. Eva Lorenz",
        "difu",
        "Projektleitung Praxis-Werkstätten",
        [("difu-praxis-werkstaetten", C)],
        [],
        [("monitoring", 3, "Indikatoren und Fortschreibung")],
    ),
    (
        "dueren.koordination@example.org",
        "Markus Schmitz",
        "kreis-dueren",
        "Klimaschutz und Mobilität, Kreisverwaltung",
        [("klima-roadmap-kreis-dueren", C)],
        ["kreis-dueren"],
        [("beteiligung", 3, "Beteiligungskonzept Klima-Roadmap")],
    ),
    (
        "dueren.redaktion@example.org",
        "Paul Schneider",
        "kreis-dueren",
        "Redaktion Klima-Roadmap",
        [],
        ["kreis-dueren"],
        [("klimaanpassung", 2, "")],
    ),
    ("buerger@example.org", "Sam Weber", None, "", [], [], []),
]

WORKING_GROUPS = [
    (
        "klima-taten-team-westpfalz",
        "Kommunales Energiemanagement und -controlling",
        "energiemanagement",
        "Kleingruppe zum Aufbau von Energiemanagement und -controlling in den Liegenschaften.",
        ["ktt.kusel@example.org", "ktt.kl@example.org"],
    ),
    (
        "klima-taten-team-westpfalz",
        "Verstetigung des Klimaschutzmanagements",
        "verstetigung",
        "Wie wird Klimaschutzmanagement dauerhaft in den Verwaltungen verankert?",
        ["ktt.koordination@example.org", "ktt.ps@example.org"],
    ),
    (
        "kek-dortmund",
        "Eigene Klimaschutzziele der Mitgliedsorganisationen",
        "monitoring",
        "Die Teilnehmenden entwickeln mit Unterstützung des Netzwerkmanagements eigene Klimaschutzziele.",
        ["kek.mitglied@example.org", "kek.dew21@example.org", "kek.fh@example.org", "kek.caritas@example.org"],
    ),
    (
        "nkk-koeln-bonn",
        "Kommunale Wärmeplanung",
        "kommunale-waermeplanung",
        "Austausch zu Ausschreibung, Potenzialanalyse, Zielszenario und Ratsbeschluss.",
        ["nkk.koordination@example.org", "nkk.mitglied@example.org", "nkk.huerth@example.org"],
    ),
    (
        "nkk-koeln-bonn",
        "Steuerungsgruppe Wärmeplanung",
        "kommunale-waermeplanung",
        "Bereitet die gemeinsame Ausschreibung der Wärmeplanung vor; Angebote und Preise bleiben in der Gruppe.",
        ["nkk.koordination@example.org", "nkk.huerth@example.org"],
    ),
]
CLOSED_GROUPS = {"Steuerungsgruppe Wärmeplanung"}  # closed working groups: the coordination admits members

CAMPAIGNS = [
    (
        "klima-taten-team-westpfalz",
        "PV-Kampagne Westpfalz",
        Campaign.Kind.PV,
        Campaign.Status.FINISHED,
        date(2022, 3, 1),
        date(2022, 10, 31),
        "Bürgerinnen und Bürger über ihre „persönliche Energiewende“ mit Photovoltaik informieren; gemeinsame Online-Veranstaltungen.",
        "Sechs Online-Abende, gemeinsame Materialien für alle Kommunen.",
        ["stadt-kaiserslautern", "landkreis-kaiserslautern", "landkreis-kusel", "stadt-pirmasens"],
    ),
    (
        "klima-taten-team-westpfalz",
        "Wärmekampagne Westpfalz",
        Campaign.Kind.HEAT,
        Campaign.Status.RUNNING,
        date(2022, 10, 1),
        None,
        "Information zu Heizungstausch, Wärmepumpen und kommunaler Wärmeplanung für Bürgerinnen und Bürger.",
        "",
        ["stadt-kaiserslautern", "donnersbergkreis", "landkreis-suedwestpfalz", "stadt-zweibruecken"],
    ),
]


class Command(BaseCommand):
    help = "Load the demo data from the seed texts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo refuses to run with DEBUG off. Use --force if you really mean it.")
        with transaction.atomic():
            orgs = self._organisations()
            topics = self._topics()
            networks = self._networks(orgs)
            people = self._people(orgs, networks, topics)
            self._admin()
            self._working_groups(networks, topics, people)
            self._campaigns(networks, orgs)
        self._app_demos()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Every demo account has the password '{DEMO_PASSWORD}':")
        )
        for email in [
            "admin@example.org",
            "kek.koordination@example.org",
            "kek.mitglied@example.org",
            "ktt.koordination@example.org",
            "nkk.mitglied@example.org",
            "dueren.redaktion@example.org",
            "troisdorf.redaktion@example.org",
            "buerger@example.org",
        ]:
            self.stdout.write(f"  {email}")
        if getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None):
            self.stdout.write("  (admin's two-factor code in development: 000000)")

    def _app_demos(self) -> None:
        """The project's other apps add theirs, in INSTALLED_APPS order: ``<app>.demo.load(stdout=...)``; then the
        rooms of networks (networks.library, .channel, ..., .search last), which find the apps' data in place.

        networks names none of them (DESIGN §2: they depend on networks, not the other way round).
        """
        base = Path(settings.BASE_DIR)
        configs = [c for c in apps.get_app_configs() if c.name != "networks"]
        top_level = [c for c in configs if Path(c.path).parent == base]
        rooms = [c for c in configs if Path(c.path).parent == base / "networks"]
        sub_apps = [c for c in configs if Path(c.path).parent in {base / "measures", base / "monitoring"}]  # issue 17
        for config in top_level + sub_apps + rooms:  # Django's and third-party apps are in none
            name = f"{config.name}.demo"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name).load(stdout=self.stdout)

    def _organisations(self) -> dict[str, Organisation]:
        result = {}
        for name, short, slug, kind, ags, population, state, website in ORGANISATIONS:
            result[slug], _ = Organisation.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "ags": ags,
                    "population": population,
                    "state": state,
                    "website": website,
                },
            )
        return result

    def _topics(self) -> dict[str, Topic]:
        return {
            slug: Topic.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})[0]
            for slug, name, name_en in TOPICS
        }

    def _networks(self, orgs) -> dict[str, Network]:
        result = {}
        for spec in NETWORKS:
            spec = dict(spec)
            members = spec.pop("members")
            slug = spec.pop("slug")
            spec["host"] = orgs[spec["host"]]
            network, _ = Network.objects.update_or_create(slug=slug, defaults=spec)
            for org_slug in members:
                services.membership_add(network=network, organisation=orgs[org_slug], since=date(2023, 6, 7))
            result[slug] = network
        return result

    def _account(self, email: str, *, staff: bool = False) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"is_staff": staff, "is_superuser": staff})
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _people(self, orgs, networks, topics) -> dict[str, Person]:
        result = {}
        for email, name, org_slug, job, roles, edits, expertise in PEOPLE:
            user = self._account(email)
            person = services.person_ensure(user=user, name=name)
            person.name, person.job_title = name, job
            person.organisation = orgs.get(org_slug) if org_slug else None
            person.save(update_fields=["name", "job_title", "organisation"])
            for network_slug, role in roles:
                NetworkRole.objects.update_or_create(
                    network=networks[network_slug], person=person, defaults={"role": role, "since": date(2023, 6, 7)}
                )
            for org in edits:
                OrganisationRole.objects.get_or_create(organisation=orgs[org], person=person)
            services.person_set_expertise(
                person=person,
                items=[{"topic": topics[t], "level": level, "note": note} for t, level, note in expertise],
            )
            result[email] = person
        return result

    def _admin(self) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user = self._account("admin@example.org", staff=True)
        services.person_ensure(user=user, name="Betrieb Klimanetz")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())

    def _working_groups(self, networks, topics, people) -> None:
        for network_slug, name, topic, description, members in WORKING_GROUPS:
            group, _ = WorkingGroup.objects.update_or_create(
                network=networks[network_slug],
                name=name,
                defaults={"topic": topics[topic], "description": description, "is_open": name not in CLOSED_GROUPS},
            )
            group.members.set([people[email] for email in members])

    def _campaigns(self, networks, orgs) -> None:
        for network_slug, title, kind, status, start, end, goals, results, members in CAMPAIGNS:
            campaign, _ = Campaign.objects.update_or_create(
                network=networks[network_slug],
                title=title,
                defaults={
                    "kind": kind,
                    "status": status,
                    "start": start,
                    "end": end,
                    "goals": goals,
                    "results": results,
                },
            )
            campaign.organisations.set([orgs[slug] for slug in members])
