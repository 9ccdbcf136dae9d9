"""Demo roadmaps, measures, citizen proposals and pledges (issue 4 §7), loaded by ``manage.py load_demo``.

Runs after the networks' and the events' demo data and finds every row by a natural key, so it can
run any number of times without duplicating anything: roadmaps by slug, measures by (roadmap, code),
milestones by (measure, title), progress updates by (measure, text), proposals by (roadmap, title),
comments by (measure, author, text), pledges by (network, organisation), reports by (pledge, year).
A measure that exists is left as it is: what an editor changed in the demo stays.

- Kreis Düren's "Klima-Roadmap Kreis Düren" (climate-neutral by 2035): about 25 measures in every
  sector and status, from the citizens' "small things at the front door" to industry and the county's
  own administration; several come from the kick-off and the first workshop (the events app's demo
  events), a few from citizen proposals. Some milestones are overdue, so the nightly "late" task has
  something to find. Published, pending and rejected proposals; published and pending comments.
- Stadt Dortmund's programme "Klima-Luft 2030" with a few measures, edited by kek.mitglied (the
  climate manager in the Umweltamt, who becomes an editor of Stadt Dortmund).
- Pledges (Selbstverpflichtungen) of KEK member organisations with yearly reports.

The seeds' past keeps fixed dates (the kick-off on 25 April 2024, the first workshop on 13 June 2024);
everything later is relative to the day of the first load (an int is "days from today", negative for
the past), and future milestones or deadlines that have passed by a later load move ahead again.
Measures are written through ``measures.services.measure_save`` by the Düren editor (the history
names a user); moderation goes through the services too, so the authors' emails are in the outbox
(not printed). Demo proposals and comments are written directly, dated in the past, so they do not
count against the citizens' hourly rate limit.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from events.models import Event, Kind
from measures import demo_links, demo_participation, services
from measures.models import (
    Comment,
    Licence,
    Measure,
    MeasureUpdate,
    Milestone,
    Moderation,
    Pledge,
    PledgeReport,
    Proposal,
    Roadmap,
    Sector,
)
from networks import services as network_services
from networks.management.commands.load_demo import DEMO_PASSWORD
from networks.models import Network, Organisation, OrganisationRole, Person, User

Day = date | int | None  # a fixed date, or days from today (negative: past)

S = Measure.Status
P = Measure.Priority
FS = Measure.FundingStatus
PL = Measure.Participation
C = Measure.CitizenCost

# What taking part costs a citizen, by measure code (the "Mitmachen" pages filter by it).
CITIZEN_COSTS = {
    "EV-01": C.HIGH,  # shares of the solar park
    "EV-02": C.FREE,
    "GW-01": C.FREE,
    "GW-02": C.FREE,
    "KA-01": C.FREE,
    "KA-02": C.FREE,
    "KA-03": C.FREE,
    "KA-04": C.MEDIUM,  # unsealing a yard, with a grant
    "KV-01": C.FREE,
    "KV-02": C.FREE,
    "LW-02": C.FREE,
    "MO-01": C.FREE,
    "MO-02": C.FREE,
    "MO-03": C.LOW,  # the on-demand bus's fare
    "PH-01": C.MEDIUM,  # the device, with the grant
    "PH-02": C.FREE,
    "PH-03": C.FREE,
}

# English summaries the Düren editors wrote for a few measures (issue 16 §5: the English pages show them; the
# other measures say that their content is German).
SUMMARIES_EN = {
    "EV-01": "A solar park of about 50 megawatts on restored open-cast mining land, with shares for citizens and "
    "municipalities.",
    "GW-01": "Free energy checks in your own home: heating, insulation, windows and the grants available.",
    "MO-01": "Cargo bikes to borrow for free in Düren, Jülich, Linnich, Nideggen and Heimbach.",
    "MO-03": "An on-demand bus you call by app or phone – also where no regular bus runs.",
    "PH-01": "A grant of 200 euros and advice for plug-in solar panels on balconies and terraces.",
    "PH-02": "A network of repair cafés with tools, insurance and a shared calendar.",
    "KA-02": "A heat action plan with a warning chain, cool places and people who look after the vulnerable.",
    "KA-04": "A grant for everyone who unseals gravel gardens, driveways or yards.",
}

KICK_OFF = "Auftaktveranstaltung Klima-Roadmap Kreis Düren"
WORKSHOP = "Erster Workshop vor Ort: Maßnahmen für die Klima-Roadmap"
DUEREN_NETWORK = "klima-roadmap-kreis-dueren"
# When the measures were entered: Düren's Kreistag adopts the roadmap (the seeds: "in 2025 Früchte trägt").
ENTERED = {"klima-roadmap-kreis-dueren": date(2025, 3, 27), "klima-luft-2030": date(2024, 1, 15)}

REDAKTION = "dueren.redaktion@example.org"
KOORDINATION = "dueren.koordination@example.org"
DORTMUND_EDITOR = "kek.mitglied@example.org"
BUERGER = "buerger@example.org"
JUELICH = "buergerin.juelich@example.org"
NIDEGGEN = "buerger.nideggen@example.org"
KREUZAU = "buergerin.kreuzau@example.org"

# Citizens of the county who write and support proposals: (email, name)
CITIZENS = [
    (JUELICH, "Hanna Jansen"),
    (NIDEGGEN, "Emre Demir"),
    (KREUZAU, "Greta Vossen"),
]

OK = Organisation.Kind
# Partners of the Düren measures that the networks' demo does not have: name, short name, slug, kind
ORGANISATIONS = [
    ("Stadtwerke Düren GmbH", "Stadtwerke Düren", "stadtwerke-dueren", OK.UTILITY),
    ("Rurtalbahn GmbH", "Rurtalbahn", "rurtalbahn", OK.COMPANY),
    ("Verbraucherzentrale NRW, Beratungsstelle Düren", "Verbraucherzentrale", "verbraucherzentrale-dueren", OK.OTHER),
    ("Industrie- und Handelskammer Aachen", "IHK Aachen", "ihk-aachen", OK.ASSOCIATION),
    ("Kreisbauernschaft Düren e. V.", "Kreisbauernschaft", "kreisbauernschaft-dueren", OK.ASSOCIATION),
    ("Wasserverband Eifel-Rur", "WVER", "wasserverband-eifel-rur", OK.OTHER),
]


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    title: str
    sector: str
    status: str
    summary: str
    description: str
    start: Day = None
    end: Day = None
    continuous: bool = False
    priority: str = P.MEDIUM
    lead: str = "kreis-dueren"  # organisation slug
    partners: tuple[str, ...] = ()
    responsible: str = KOORDINATION  # a demo person's email
    body: str = ""
    objectives: str = ""
    target_groups: str = ""
    cost: int | None = None
    funding: tuple[str, int | None, str, Day] | None = None  # programme, amount, status, application deadline
    participation: str = PL.NONE
    effect: tuple[str, str, str, str, str] | None = None  # expected, low, high (t CO2e/a), method, source
    qualitative: str = ""
    take_part: str = ""
    plain: str = ""
    origin: str = ""  # "kick-off", "workshop", or the title of a citizen proposal; empty: administration
    internal: tuple[str, ...] = ()
    note: str = ""
    late_reason: str = ""
    published: bool = True
    previous_status: str = ""  # its status before the latest change: the history shows that change
    milestones: tuple[tuple[str, Day, Day], ...] = ()  # title, due, reached on
    updates: tuple[tuple[Day, str, int | None, bool, str], ...] = ()  # date, text, percent, public, author


@dataclass(frozen=True)
class ProposalSpec:
    title: str
    sector: str
    text: str
    author: str
    submitted: Day
    status: str = Moderation.PUBLISHED
    reason: str = ""
    supporters: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommentSpec:
    code: str
    author: str
    text: str
    written: Day
    status: str = Moderation.PUBLISHED


# --- Klima-Roadmap Kreis Düren -----------------------------------------------------------------

DUEREN_ROADMAP = {
    "slug": "klima-roadmap-kreis-dueren",
    "title": "Klima-Roadmap Kreis Düren",
    "organisation": "kreis-dueren",
    "target_year": 2035,
    "baseline_year": 2019,
    "baseline_emissions": Decimal("2480000.0"),
    "licence": Licence.DL_BY,
    "description": (
        "Der Kreis Düren will bis 2035 klimaneutral werden – zehn Jahre vor den klimapolitischen Vorgaben des "
        "Bundes. Die Klima-Roadmap bündelt die Maßnahmen, mit denen Kreisverwaltung, Kommunen, Unternehmen und "
        "Bürger*innen dieses Ziel gemeinsam erreichen wollen.\n\n"
        "Sie ist in einem Beteiligungsprozess mit Stakeholder*innen und Bürger*innen entstanden, den Lots* "
        "beratend begleitet: von der Auftaktveranstaltung im Kreishaus über Workshops vor Ort bis zu den "
        "Vorschlägen, die Bürger*innen hier einreichen. Sie reicht von den „kleinen Dingen“ vor der eigenen "
        "Haustür bis zum Klimaschutz in der Industrie.\n\n"
        "Ausgangsbasis ist die Treibhausgasbilanz 2019 nach BISKO-Standard. Der Sachstand jeder Maßnahme wird "
        "regelmäßig aktualisiert; die Daten stehen als offene Daten zur Verfügung."
    ),
}

UBA_MIX = "Umweltbundesamt: Entwicklung der spezifischen Treibhausgas-Emissionen des deutschen Strommix (2024)"

DUEREN_MEASURES = [
    # --- Energieversorgung -----------------------------------------------------------------------
    MeasureSpec(
        code="EV-01",
        title="Solarpark auf Rekultivierungsflächen im Indeland",
        sector=Sector.ENERGY_SUPPLY,
        status=S.IN_PROGRESS,
        previous_status=S.PLANNED,
        priority=P.HIGH,
        summary="Ein Solarpark mit rund 50 Megawatt auf rekultivierten Tagebauflächen, mit Beteiligung der "
        "Bürger*innen und Kommunen.",
        description=(
            "Auf rekultivierten Flächen des Tagebaus Inden soll ein Solarpark mit rund 50 Megawatt Leistung "
            "entstehen. Der Kreis koordiniert Flächensicherung, Bauleitplanung und Netzanschluss mit den "
            "Anrainerkommunen und den Stadtwerken.\n\n"
            "Bürger*innen und Kommunen sollen sich finanziell beteiligen können, damit die Wertschöpfung in der "
            "Region bleibt."
        ),
        objectives="Rund 45 Gigawattstunden Solarstrom im Jahr; mindestens 20 Prozent Bürgerbeteiligung.",
        target_groups="Anrainerkommunen, Bürger*innen, Energiegenossenschaften",
        lead="kreis-dueren",
        partners=("stadtwerke-dueren", "stadt-dueren"),
        body="Kreistag Düren; Ausschuss für Klimaschutz, Umwelt und Mobilität",
        start=date(2025, 1, 15),
        end=date(2028, 12, 31),
        cost=42_000_000,
        participation=PL.CONSULTATION,
        effect=(
            "18500.0",
            "15000.0",
            "21000.0",
            "Jahresertrag 45 GWh (50 MWp × 900 kWh/kWp) × Emissionsfaktor Strommix 0,41 t CO2e/MWh (BISKO)",
            UBA_MIX,
        ),
        take_part="Sobald die Bürgerbeteiligung ausgeschrieben ist, können Sie Anteile zeichnen. Informationen "
        "dazu gibt es auf den Bürgerabenden in Inden und Aldenhoven.",
        plain="Auf alten Tagebau-Flächen bauen wir viele Solar-Platten. Sie machen Strom aus Sonne. "
        "Bürger*innen können mitmachen und Anteile kaufen.",
        origin="workshop",
        milestones=(
            ("Flächen mit den Eigentümer*innen gesichert", date(2025, 6, 30), -480),
            ("Bebauungsplan als Satzung beschlossen", 120, None),
            ("Netzanschluss in Betrieb", 640, None),
        ),
        updates=(
            (
                -470,
                "Die Flächen sind vertraglich gesichert; das Bebauungsplanverfahren in Inden ist eingeleitet.",
                20,
                True,
                KOORDINATION,
            ),
            (
                -45,
                "Die Netzanschlusszusage liegt vor. Die Bürgerbeteiligung wird mit den Stadtwerken vorbereitet.",
                35,
                True,
                KOORDINATION,
            ),
        ),
    ),
    MeasureSpec(
        code="EV-02",
        title="Windenergie mit Bürgerbeteiligung",
        sector=Sector.ENERGY_SUPPLY,
        status=S.PLANNED,
        priority=P.HIGH,
        summary="Windenergiegebiete gemeinsam mit den Kommunen entwickeln, mit Bürgerwind und Beteiligung der "
        "Standortgemeinden.",
        description=(
            "Der Regionalplan weist im Kreis neue Windenergiebereiche aus. Der Kreis unterstützt die Kommunen "
            "dabei, Projekte mit Bürgerwindparks und der finanziellen Beteiligung nach dem "
            "Bürgerenergiegesetz NRW umzusetzen."
        ),
        objectives="Acht neue Windenergieanlagen bis 2030, davon mindestens die Hälfte in Bürgerhand.",
        target_groups="Kommunen, Energiegenossenschaften, Anwohner*innen",
        partners=("stadtwerke-dueren",),
        body="Kreistag Düren",
        start=90,
        end=date(2030, 12, 31),
        participation=PL.CONSULTATION,
        effect=(
            "32800.0",
            "26000.0",
            "39000.0",
            "8 Anlagen × 5 MW × 2.000 Volllaststunden = 80 GWh × 0,41 t CO2e/MWh (BISKO)",
            UBA_MIX,
        ),
        take_part="Kommen Sie zu den Informationsabenden in den Standortgemeinden und bringen Sie Ihre Fragen "
        "zu Lärm, Abstand und Beteiligung mit.",
        origin="kick-off",
        milestones=(("Flächenanalyse mit den Kommunen abgestimmt", 150, None),),
    ),
    # --- Gebäude und Wärme -------------------------------------------------------------------------
    MeasureSpec(
        code="GW-01",
        title="Energieberatung vor Ort für Eigentümer*innen",
        sector=Sector.BUILDINGS_HEAT,
        status=S.IN_PROGRESS,
        continuous=True,
        summary="Kostenlose Energie-Checks im eigenen Haus: Heizung, Dämmung, Fenster und Fördermittel.",
        description=(
            "Mit der Verbraucherzentrale bietet der Kreis kostenlose Energie-Checks für Ein- und "
            "Zweifamilienhäuser an. Die Beratung zeigt, welche Schritte sich lohnen und welche Förderung es "
            "dafür gibt. In Quartieren mit vielen älteren Häusern kommt die Beratung gezielt an die Haustür."
        ),
        objectives="500 Beratungen im Jahr; jede dritte Beratung führt zu einer Sanierung.",
        target_groups="Eigentümer*innen von Ein- und Zweifamilienhäusern",
        partners=("verbraucherzentrale-dueren",),
        start=date(2024, 9, 1),
        participation=PL.INFORMATION,
        qualitative="Gut beratene Eigentümer*innen sanieren früher und gezielter.",
        take_part="Vereinbaren Sie einen kostenlosen Termin bei der Verbraucherzentrale in Düren oder melden "
        "Sie Ihr Quartier für einen Beratungstag an.",
        plain="Eine Fachperson kommt zu Ihnen nach Hause. Sie sagt Ihnen, wie Sie Energie sparen können. "
        "Das kostet nichts.",
        origin="kick-off",
        updates=(
            (
                date(2025, 1, 20),
                "2024 fanden 164 Beratungen statt, die meisten zu Heizungstausch und Dach.",
                None,
                True,
                REDAKTION,
            ),
            (
                -30,
                "Seit Jahresbeginn 410 Beratungen; drei Quartiersberatungstage in Jülich, Linnich und Kreuzau.",
                None,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="GW-02",
        title="Machbarkeitsstudien für Nahwärmenetze in Ortsteilen",
        sector=Sector.BUILDINGS_HEAT,
        status=S.PLANNED,
        summary="Wo lohnt sich ein gemeinsames Wärmenetz? Studien für fünf Ortsteile ohne Gasnetz.",
        description=(
            "Aufbauend auf der kommunalen Wärmeplanung untersucht der Kreis mit den Stadtwerken, in welchen "
            "Ortsteilen ein Nahwärmenetz mit erneuerbarer Wärme wirtschaftlich ist."
        ),
        partners=("stadtwerke-dueren",),
        start=60,
        end=600,
        cost=250_000,
        funding=("Bundesförderung für effiziente Wärmenetze (BEW), Modul 1", 125_000, FS.PLANNED, 12),
        participation=PL.CONSULTATION,
        take_part="Die Ortsteile werden zu Bürgerversammlungen eingeladen; dort können Sie Ihr Interesse an "
        "einem Anschluss anmelden.",
        milestones=(("Förderantrag gestellt", 12, None),),
    ),
    MeasureSpec(
        code="GW-03",
        title="Sanierungskampagne „Dürener Dächer und Fassaden“",
        sector=Sector.BUILDINGS_HEAT,
        status=S.PAUSED,
        previous_status=S.IN_PROGRESS,
        summary="Eine Kampagne mit Handwerk und Banken für Dachdämmung, Fassaden und Heizungstausch.",
        description=(
            "Eine kreisweite Kampagne mit Kreishandwerkerschaft, Sparkasse und Verbraucherzentrale: "
            "Musterhäuser, Sanierungsfahrplan und Finanzierung aus einer Hand."
        ),
        partners=("verbraucherzentrale-dueren",),
        start=date(2025, 2, 1),
        end=date(2027, 12, 31),
        participation=PL.INFORMATION,
        late_reason="Pausiert, bis die Bundesförderung für effiziente Gebäude neu gefasst ist; der neue Zeitplan "
        "wird danach mit den Partnern abgestimmt.",
        milestones=(
            ("Kampagnenauftakt mit den Partnern", date(2025, 4, 10), date(2025, 4, 10)),
            ("Erste Musterhäuser geöffnet", -60, None),
        ),
        updates=((-120, "Die Kampagne ruht, bis die Förderbedingungen des Bundes feststehen.", 15, True, REDAKTION),),
    ),
    # --- Mobilität ----------------------------------------------------------------------------------
    MeasureSpec(
        code="MO-01",
        title="Lastenrad-Verleih in den Kreisstädten",
        sector=Sector.MOBILITY,
        status=S.COMPLETED,
        previous_status=S.IN_PROGRESS,
        summary="Kostenlos ausleihbare Lastenräder in Düren, Jülich, Linnich, Nideggen und Heimbach.",
        description=(
            "Aus einem Bürgervorschlag entstanden: An Rathäusern, Bibliotheken und Läden stehen Lastenräder, "
            "die man online kostenlos für bis zu drei Tage ausleihen kann. Ehrenamtliche Pat*innen kümmern sich "
            "um die Räder."
        ),
        objectives="Zehn Lastenräder an fünf Standorten; Autofahrten für Einkauf und Kita ersetzen.",
        target_groups="Familien, Einzelhandel, Vereine",
        partners=("stadt-dueren",),
        start=date(2024, 10, 1),
        end=-200,
        cost=60_000,
        funding=("progres.nrw – Emissionsarme Mobilität", 36_000, FS.GRANTED, None),
        participation=PL.CODECISION,
        effect=(
            "2.0",
            "1.0",
            "4.0",
            "Ersetzte Pkw-Kilometer laut Ausleihstatistik (rund 13.000 km im Jahr) × 0,15 kg CO2e/km",
            "Ausleihstatistik 2025; UBA Emissionsfaktoren Pkw",
        ),
        take_part="Leihen Sie ein Lastenrad kostenlos aus – oder werden Sie Pat*in eines Rades an Ihrem Standort.",
        plain="Sie können ein Lasten-Fahrrad ausleihen. Damit können Sie Einkäufe oder Kinder transportieren. "
        "Das kostet nichts.",
        origin="Lastenräder zum Ausleihen in jeder Kreisstadt",
        milestones=(
            ("Räder beschafft", date(2025, 3, 31), date(2025, 3, 20)),
            ("Alle fünf Standorte eröffnet", -260, -230),
        ),
        updates=(
            (-420, "Die ersten vier Räder sind in Düren und Jülich im Verleih.", 50, True, REDAKTION),
            (
                -210,
                "Alle zehn Räder sind an fünf Standorten ausleihbar; über 900 Ausleihen seit dem Start.",
                100,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="MO-02",
        title="Alltagsradweg Düren–Jülich: Lückenschluss",
        sector=Sector.MOBILITY,
        status=S.IN_PROGRESS,
        priority=P.HIGH,
        summary="Ein durchgehender, beleuchteter Radweg zwischen Düren und Jülich entlang der L 253.",
        description=(
            "Auf 6,5 Kilometern fehlt zwischen Düren und Jülich ein sicherer Radweg. Der Lückenschluss macht "
            "die Strecke für Pendler*innen mit dem Pedelec attraktiv."
        ),
        objectives="Radverkehrsanteil auf der Achse Düren–Jülich verdoppeln.",
        target_groups="Pendler*innen, Schüler*innen",
        partners=("stadt-dueren",),
        responsible=REDAKTION,
        body="Ausschuss für Klimaschutz, Umwelt und Mobilität",
        start=date(2025, 4, 1),
        end=date(2027, 10, 31),
        cost=3_900_000,
        funding=("Förderrichtlinie Nahmobilität NRW (FöRi-Nah)", 2_730_000, FS.GRANTED, None),
        participation=PL.INFORMATION,
        effect=(
            "45.0",
            "25.0",
            "70.0",
            "1.200 Pkw-Kilometer je Werktag auf das Rad verlagert × 250 Werktage × 0,15 kg CO2e/km",
            "Verkehrszählung 2024; Radverkehrskonzept Kreis Düren",
        ),
        take_part="Die Planung liegt im Kreishaus und online aus; Hinweise zur Streckenführung nimmt das "
        "Mobilitätsteam entgegen.",
        milestones=(
            ("Entwurfsplanung abgeschlossen", date(2025, 6, 30), date(2025, 7, 15)),
            ("Grunderwerb abgeschlossen", -40, None),
            ("Baubeginn", 200, None),
        ),
        updates=(
            (
                -300,
                "Die Entwurfsplanung ist fertig; der Förderbescheid über 70 Prozent der Kosten liegt vor.",
                30,
                True,
                REDAKTION,
            ),
            (-20, "Zwei Grundstücke fehlen noch; die Gespräche mit den Eigentümern laufen.", 35, True, REDAKTION),
            (
                -18,
                "Notartermin für ein Grundstück im Januar; beim zweiten droht ein Enteignungsverfahren.",
                None,
                False,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="MO-03",
        title="Rufbus für die Dörfer in der Eifel",
        sector=Sector.MOBILITY,
        status=S.IN_PROGRESS,
        previous_status=S.PLANNED,
        summary="Ein On-Demand-Bus, der per App oder Telefon kommt – auch dort, wo kein Linienbus fährt.",
        description=(
            "In Heimbach, Nideggen und Hürtgenwald fährt der Rufbus auf Bestellung zwischen festen Haltepunkten "
            "und den Bahnhöfen der Rurtalbahn."
        ),
        target_groups="Ältere Menschen, Jugendliche, Pendler*innen ohne Auto",
        lead="rurtalbahn",
        partners=("kreis-dueren",),
        start=date(2025, 5, 1),
        end=date(2027, 4, 30),
        participation=PL.CONSULTATION,
        take_part="Bestellen Sie den Rufbus per App oder Telefon und sagen Sie uns in der Fahrgastumfrage, was fehlt.",
        milestones=(
            ("Betriebsstart in Heimbach und Nideggen", date(2025, 6, 1), date(2025, 6, 1)),
            ("Ausweitung auf Hürtgenwald", 75, None),
        ),
        updates=(
            (
                -90,
                "Rund 2.300 Fahrten im Monat; die Ausweitung auf Hürtgenwald ist beschlossen.",
                60,
                True,
                KOORDINATION,
            ),
        ),
    ),
    MeasureSpec(
        code="MO-04",
        title="Ladesäulen an Pendlerparkplätzen",
        sector=Sector.MOBILITY,
        status=S.BLOCKED,
        previous_status=S.IN_PROGRESS,
        summary="Schnellladesäulen an zwölf Pendlerparkplätzen und Bahnhöfen.",
        description="Zwölf Pendlerparkplätze bekommen je zwei Schnellladepunkte, betrieben von den Stadtwerken.",
        partners=("stadtwerke-dueren",),
        start=date(2025, 3, 1),
        end=date(2026, 12, 31),
        cost=540_000,
        funding=("Deutschlandnetz / Ladeinfrastruktur vor Ort (BMDV)", None, FS.REJECTED, None),
        internal=("cost_estimate",),
        note="Netzbetreiber nennt den Anschluss in Langerwehe frühestens im dritten Quartal; Gespräch auf Ebene "
        "des Landrats angefragt.",
        milestones=(("Netzanschlüsse beauftragt", -100, None),),
        updates=((-80, "Die Arbeiten ruhen: Für acht Standorte fehlen noch Netzanschlüsse.", 25, True, REDAKTION),),
    ),
    MeasureSpec(
        code="MO-05",
        title="Jobticket-Pilot für kleine Betriebe",
        sector=Sector.MOBILITY,
        status=S.DROPPED,
        previous_status=S.PLANNED,
        priority=P.LOW,
        summary="Ein gemeinsames Jobticket für Betriebe mit weniger als 20 Beschäftigten.",
        description=(
            "Ein Pilot sollte kleinen Betrieben ein gemeinsames Jobticket ermöglichen. Mit dem Deutschlandticket "
            "Job gibt es inzwischen ein bundesweites Angebot; der Pilot wurde deshalb nicht weiterverfolgt."
        ),
        start=date(2024, 11, 1),
        updates=(
            (
                -400,
                "Nicht weiterverfolgt: Das Deutschlandticket Job deckt den Bedarf.",
                None,
                True,
                REDAKTION,
            ),
        ),
    ),
    # --- Industrie und Wirtschaft ---------------------------------------------------------------------
    MeasureSpec(
        code="IW-01",
        title="Abwärmenutzung in der Papierindustrie",
        sector=Sector.INDUSTRY,
        status=S.IN_PROGRESS,
        priority=P.HIGH,
        summary="Die Abwärme einer Papierfabrik heizt künftig Schule, Schwimmbad und Wohnungen in der Nachbarschaft.",
        description=(
            "Die Papierindustrie ist einer der größten Energieverbraucher im Kreis. Im ersten Workshop entstand "
            "die Idee, Niedertemperatur-Abwärme einer Fabrik über eine Wärmepumpe in ein neues Wärmenetz "
            "einzuspeisen."
        ),
        objectives="12 Gigawattstunden Abwärme im Jahr nutzen.",
        target_groups="Papierindustrie, Nachbarschaft, Stadtwerke",
        partners=("stadtwerke-dueren", "ihk-aachen"),
        start=date(2025, 2, 1),
        end=date(2029, 12, 31),
        cost=8_500_000,
        funding=(
            "Bundesförderung für Energie- und Ressourceneffizienz in der Wirtschaft (EEW)",
            3_400_000,
            FS.APPLIED,
            None,
        ),
        effect=(
            "1700.0",
            "1300.0",
            "2100.0",
            "12 GWh ersetzte Erdgaswärme × 0,247 t CO2e/MWh abzüglich 3 GWh Strom der Wärmepumpe × 0,41 t CO2e/MWh",
            "Machbarkeitsstudie 2025; BISKO-Emissionsfaktoren",
        ),
        internal=("effect", "funding"),
        note="Die Abwärmedaten hat das Unternehmen vertraulich übergeben – Zahlen erst nach Freigabe veröffentlichen.",
        origin="workshop",
        milestones=(
            ("Machbarkeitsstudie abgeschlossen", date(2025, 9, 30), -400),
            ("Förderbescheid", 90, None),
        ),
        updates=(
            (
                -390,
                "Die Machbarkeitsstudie bestätigt das Potenzial; das Wärmenetz ist technisch machbar.",
                20,
                True,
                KOORDINATION,
            ),
            (-60, "Förderantrag eingereicht; Trassenplanung mit den Stadtwerken begonnen.", 30, True, KOORDINATION),
        ),
    ),
    MeasureSpec(
        code="IW-02",
        title="Wasserstoff-Netzwerk Industrie",
        sector=Sector.INDUSTRY,
        status=S.PLANNED,
        summary="Unternehmen, Stadtwerke und Rurtalbahn planen gemeinsam Erzeugung und Nutzung von grünem Wasserstoff.",
        description=(
            "Im Netzwerk klären Industrie, Verkehr und Energieversorger, wo grüner Wasserstoff im Kreis sinnvoll "
            "ist – etwa für Hochtemperaturprozesse und Züge – und wie Elektrolyse und Verteilung gemeinsam "
            "geplant werden."
        ),
        target_groups="Industrie, Energieversorger, Verkehrsunternehmen",
        lead="ihk-aachen",
        partners=("kreis-dueren", "rurtalbahn", "stadtwerke-dueren"),
        start=45,
        end=date(2030, 12, 31),
        qualitative="Schafft die Grundlage für Prozesse, die sich nicht elektrifizieren lassen.",
        origin="workshop",
        milestones=(("Gründungstreffen des Netzwerks", 45, None),),
    ),
    MeasureSpec(
        code="IW-03",
        title="Energieeffizienz-Netzwerk Unternehmen",
        sector=Sector.INDUSTRY,
        status=S.IN_PROGRESS,
        continuous=True,
        summary="Zwölf Unternehmen lernen voneinander, wie sie Energie sparen, und setzen sich gemeinsame Ziele.",
        description=(
            "Im Netzwerk der Initiative Energieeffizienz- und Klimaschutz-Netzwerke treffen sich Unternehmen "
            "vierteljährlich, begleitet von einer Energieberatung. Jedes Unternehmen lässt sich eine "
            "Potenzialanalyse erstellen."
        ),
        objectives="Gemeinsames Einsparziel von 15 Gigawattstunden in drei Jahren.",
        target_groups="Mittelständische Unternehmen",
        lead="ihk-aachen",
        partners=("kreis-dueren",),
        start=date(2025, 1, 1),
        participation=PL.NONE,
        effect=(
            "4000.0",
            "3000.0",
            "5500.0",
            "Einsparziel des Netzwerks × gewichteter Emissionsfaktor Strom/Gas",
            "Netzwerkvereinbarung 2025; IEEKN-Monitoring",
        ),
        origin="workshop",
        updates=(
            (
                -150,
                "Zwölf Unternehmen sind dabei; die Potenzialanalysen sind zur Hälfte fertig.",
                None,
                True,
                KOORDINATION,
            ),
        ),
    ),
    # --- Private Haushalte ----------------------------------------------------------------------------
    MeasureSpec(
        code="PH-01",
        title="Balkon-PV für Mieter*innen",
        sector=Sector.HOUSEHOLDS,
        status=S.IN_PROGRESS,
        previous_status=S.PLANNED,
        summary="200 Euro Zuschuss und Beratung für Steckersolargeräte auf Balkon und Terrasse.",
        description=(
            "Auch wer zur Miete wohnt, kann Solarstrom erzeugen. Der Kreis fördert Steckersolargeräte mit "
            "200 Euro, Haushalte mit geringem Einkommen mit 400 Euro. Die Verbraucherzentrale berät zu Technik, "
            "Anmeldung und Gespräch mit der Vermietung."
        ),
        objectives="1.500 geförderte Steckersolargeräte bis Ende 2027.",
        target_groups="Mieter*innen, Eigentümer*innen von Wohnungen",
        partners=("verbraucherzentrale-dueren",),
        responsible=REDAKTION,
        start=date(2025, 4, 1),
        end=date(2027, 12, 31),
        cost=400_000,
        funding=("Kreishaushalt (Klimaschutzbudget)", 400_000, FS.GRANTED, None),
        participation=PL.INFORMATION,
        effect=("190.0", "120.0", "260.0", "1.500 Geräte × 300 kWh/a × 0,41 t CO2e/MWh", UBA_MIX),
        take_part="Beantragen Sie den Zuschuss online, bevor Sie das Gerät kaufen. Fragen beantwortet die "
        "Verbraucherzentrale in Düren.",
        plain="Sie wohnen zur Miete? Sie können trotzdem Strom aus Sonne machen. Mit einer kleinen Solar-Anlage "
        "am Balkon. Der Kreis gibt Ihnen Geld dazu.",
        origin="kick-off",
        milestones=(
            ("Förderrichtlinie beschlossen", date(2025, 3, 27), date(2025, 3, 27)),
            ("1.000 Anträge bewilligt", 150, None),
        ),
        updates=(
            (
                -360,
                "Das Förderprogramm ist gestartet; in den ersten zwei Wochen kamen 240 Anträge.",
                15,
                True,
                REDAKTION,
            ),
            (-25, "860 Geräte gefördert; die Mittel für 2026 sind zu 80 Prozent gebunden.", 55, True, REDAKTION),
        ),
    ),
    MeasureSpec(
        code="PH-02",
        title="Repair-Café-Netzwerk im Kreis",
        sector=Sector.HOUSEHOLDS,
        status=S.COMPLETED,
        previous_status=S.IN_PROGRESS,
        priority=P.LOW,
        summary="Ein Netzwerk der Repair-Cafés mit Werkzeug, Versicherung und gemeinsamem Terminkalender.",
        description=(
            "Reparieren statt wegwerfen: Der Kreis unterstützt die Repair-Cafés mit Werkzeugkisten, einer "
            "Haftpflichtversicherung für Ehrenamtliche und einem gemeinsamen Terminkalender."
        ),
        target_groups="Ehrenamtliche, alle Bürger*innen",
        start=date(2024, 9, 1),
        end=-150,
        cost=25_000,
        participation=PL.CODECISION,
        qualitative="Weniger Elektroschrott und Begegnung in der Nachbarschaft.",
        take_part="Bringen Sie Kaputtes vorbei oder helfen Sie als Reparateur*in mit – Termine stehen im "
        "Veranstaltungskalender des Kreises.",
        origin="Repair-Cafés dauerhaft unterstützen",
        milestones=(("Zehn Repair-Cafés im Netzwerk", -180, -170),),
        updates=(
            (
                -160,
                "Zwölf Repair-Cafés sind im Netzwerk, alle mit Werkzeugkiste und Versicherung.",
                100,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="PH-03",
        title="Stromspar-Check für Haushalte mit geringem Einkommen",
        sector=Sector.HOUSEHOLDS,
        status=S.IN_PROGRESS,
        continuous=True,
        summary="Geschulte Stromsparhelfer*innen kommen ins Haus und bringen LED-Lampen und Steckerleisten mit.",
        description=(
            "Haushalte mit geringem Einkommen bekommen einen kostenlosen Stromspar-Check mit Soforthilfen im "
            "Wert von bis zu 70 Euro. Das senkt Kosten und Emissionen zugleich."
        ),
        target_groups="Haushalte mit Bürgergeld, Wohngeld oder kleiner Rente",
        partners=("verbraucherzentrale-dueren",),
        start=date(2024, 6, 1),
        participation=PL.INFORMATION,
        effect=(
            "85.0",
            "60.0",
            "110.0",
            "Durchschnittliche Einsparung je Check 0,34 t CO2e/a × 250 Checks",
            "Evaluation Stromspar-Check bundesweit",
        ),
        take_part="Melden Sie sich beim Jobcenter, beim Sozialamt oder direkt bei der Verbraucherzentrale.",
        updates=(
            (-75, "2025 wurden 230 Haushalte beraten; im Schnitt sparen sie 180 Euro im Jahr.", None, True, REDAKTION),
        ),
    ),
    # --- Kommunale Verwaltung -------------------------------------------------------------------------
    MeasureSpec(
        code="KV-01",
        title="Kommunale Wärmeplanung koordinieren",
        sector=Sector.ADMINISTRATION,
        status=S.IN_PROGRESS,
        priority=P.HIGH,
        summary="Der Kreis koordiniert die Wärmepläne seiner 15 Kommunen: gemeinsame Daten, ein Büro, eine Linie.",
        description=(
            "Alle kreisangehörigen Kommunen müssen bis zum 30. Juni 2028 einen Wärmeplan vorlegen. Der Kreis "
            "bündelt die Datenbeschaffung, schreibt die Planung gemeinsam aus und stimmt die Zielszenarien ab."
        ),
        objectives="Beschlossene Wärmepläne in allen 15 Kommunen bis Mitte 2028.",
        target_groups="Kreisangehörige Kommunen",
        partners=("stadt-dueren", "stadtwerke-dueren"),
        body="Kreistag Düren; Räte der Kommunen",
        start=date(2024, 10, 1),
        end=date(2028, 6, 30),
        cost=1_200_000,
        funding=("Kommunalrichtlinie (NKI) – kommunale Wärmeplanung", 1_080_000, FS.GRANTED, None),
        participation=PL.CONSULTATION,
        qualitative="Planungssicherheit für Eigentümer*innen, Netzbetreiber und Handwerk.",
        take_part="Zu jedem Zielszenario gibt es eine öffentliche Informationsveranstaltung in der Kommune.",
        milestones=(
            ("Bestandsanalyse abgeschlossen", date(2025, 5, 31), date(2025, 6, 12)),
            ("Potenzialanalyse abgeschlossen", -30, -10),
            ("Zielszenarien in allen Kommunen vorgestellt", 210, None),
        ),
        updates=(
            (
                -300,
                "Die Bestandsanalyse ist fertig; die Daten der Schornsteinfeger*innen liegen vollständig vor.",
                30,
                True,
                KOORDINATION,
            ),
            (
                -8,
                "Die Potenzialanalyse ist abgeschlossen. Als Nächstes folgen die Zielszenarien.",
                50,
                True,
                KOORDINATION,
            ),
        ),
    ),
    MeasureSpec(
        code="KV-02",
        title="Photovoltaik auf allen geeigneten Kreisgebäuden",
        sector=Sector.ADMINISTRATION,
        status=S.IN_PROGRESS,
        previous_status=S.PLANNED,
        priority=P.HIGH,
        summary="Solaranlagen auf Kreishaus, Berufskollegs, Förderschulen und Straßenmeistereien.",
        description=(
            "Alle 28 geeigneten Dächer der Kreisliegenschaften werden mit Photovoltaik belegt, wo nötig mit "
            "Speicher. Der Strom wird vor Ort verbraucht."
        ),
        objectives="2,4 Megawatt Leistung auf Kreisdächern bis 2027.",
        target_groups="Kreisverwaltung",
        responsible=REDAKTION,
        body="Betriebsausschuss Gebäudemanagement",
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        cost=3_100_000,
        funding=("progres.nrw – Klimaschutztechnik (Batteriespeicher)", 180_000, FS.GRANTED, None),
        participation=PL.INFORMATION,
        effect=("880.0", "750.0", "980.0", "2,4 MWp × 900 kWh/kWp × 0,41 t CO2e/MWh", UBA_MIX),
        take_part="Auf der Seite des Gebäudemanagements zeigt eine Live-Anzeige, wie viel Strom die Anlagen erzeugen.",
        milestones=(
            ("Anlagen auf den drei Berufskollegs in Betrieb", -50, None),
            ("Kreishaus-Dach belegt", date(2025, 8, 31), date(2025, 9, 19)),
        ),
        updates=(
            (-380, "Ausschreibung für das erste Los mit neun Dächern veröffentlicht.", 10, True, REDAKTION),
            (
                -35,
                "Elf Dächer sind belegt. Bei den Berufskollegs verzögert sich die Statikprüfung.",
                40,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="KV-03",
        title="E-Fuhrpark der Kreisverwaltung",
        sector=Sector.ADMINISTRATION,
        status=S.IN_PROGRESS,
        summary="Dienstwagen werden elektrisch; Dienstfahrräder und Pedelecs für kurze Wege.",
        description=(
            "Alle Dienstwagen werden bei der Ersatzbeschaffung durch Elektrofahrzeuge ersetzt; am Kreishaus "
            "entstehen 30 Ladepunkte. Für kurze Wege gibt es Dienstpedelecs."
        ),
        target_groups="Beschäftigte der Kreisverwaltung",
        responsible=REDAKTION,
        start=date(2024, 7, 1),
        end=-75,
        cost=1_450_000,
        effect=(
            "80.0",
            "60.0",
            "100.0",
            "780.000 Dienstkilometer im Jahr × Differenz der Emissionsfaktoren Diesel/Strom (0,10 kg CO2e/km)",
            "Fahrtenbuch-Auswertung 2024; UBA TREMOD",
        ),
        updates=(
            (
                -100,
                "45 von 52 Dienstwagen fahren elektrisch; die letzten Fahrzeuge sind bestellt.",
                85,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="KV-04",
        title="Klimaschutzmanagement verstetigen",
        sector=Sector.ADMINISTRATION,
        status=S.IN_PROGRESS,
        continuous=True,
        priority=P.HIGH,
        summary="Die geförderten Stellen im Klimaschutzmanagement werden dauerhaft im Stellenplan verankert.",
        description=(
            "Das Klimaschutzmanagement steuert die Klima-Roadmap. Nach dem geförderten Anschlussvorhaben sollen "
            "die Stellen dauerhaft im Stellenplan des Kreises stehen."
        ),
        responsible=KOORDINATION,
        body="Kreisausschuss",
        start=date(2021, 4, 1),
        cost=540_000,
        funding=("Kommunalrichtlinie (NKI) – Anschlussvorhaben Klimaschutzmanagement", 324_000, FS.GRANTED, None),
        internal=("cost_estimate",),
        note="Entfristung der zwei Stellen im Stellenplan 2027: vor der Sitzung des Kreisausschusses mit der "
        "Kämmerei abstimmen.",
        qualitative="Ohne feste Zuständigkeit bleibt die Roadmap Papier.",
        updates=(
            (date(2025, 1, 31), "Das Anschlussvorhaben ist bewilligt und läuft bis 2027.", None, True, KOORDINATION),
            (-15, "Der Stellenplanentwurf 2027 enthält beide Stellen unbefristet.", None, False, KOORDINATION),
        ),
    ),
    MeasureSpec(
        code="KV-05",
        title="Klimacheck für Vorlagen des Kreistags",
        sector=Sector.ADMINISTRATION,
        status=S.NOT_STARTED,
        summary="Jede Beschlussvorlage sagt, wie sie sich auf das Klima auswirkt.",
        description="Ein kurzer Klimacheck für alle Vorlagen an Kreistag und Ausschüsse, nach dem Vorbild anderer "
        "Kreise in NRW.",
        start=180,
        published=False,
        note="Entwurf: erst nach Abstimmung mit dem Büro des Landrats veröffentlichen.",
    ),
    # --- Landwirtschaft und Landnutzung -----------------------------------------------------------------
    MeasureSpec(
        code="LW-01",
        title="Humusaufbau-Beratung für landwirtschaftliche Betriebe",
        sector=Sector.AGRICULTURE,
        status=S.NOT_STARTED,
        summary="Beratung und Bodenproben für Betriebe, die Humus aufbauen und Kohlenstoff im Boden binden.",
        description=(
            "Mit der Kreisbauernschaft entsteht ein Beratungsangebot zu Zwischenfrüchten, reduzierter "
            "Bodenbearbeitung und Humusbilanzen."
        ),
        lead="kreisbauernschaft-dueren",
        partners=("kreis-dueren",),
        start=240,
        participation=PL.CONSULTATION,
        qualitative="Humusreiche Böden speichern Wasser und sind widerstandsfähiger gegen Dürre.",
    ),
    MeasureSpec(
        code="LW-02",
        title="Auen an der Rur renaturieren",
        sector=Sector.AGRICULTURE,
        status=S.PLANNED,
        summary="Drei Abschnitte der Rur bekommen ihre Auen zurück: für Hochwasserschutz, Artenvielfalt und "
        "Kohlenstoffspeicher.",
        description=(
            "Der Wasserverband Eifel-Rur und der Kreis renaturieren drei Abschnitte der Rur. Feuchte Auen halten "
            "Hochwasser zurück und speichern Kohlenstoff."
        ),
        lead="wasserverband-eifel-rur",
        partners=("kreis-dueren", "kreisbauernschaft-dueren"),
        start=120,
        end=date(2031, 12, 31),
        participation=PL.CONSULTATION,
        take_part="Zu jedem Abschnitt gibt es eine Begehung mit Anwohner*innen und Landwirt*innen.",
        milestones=(("Planfeststellung für den ersten Abschnitt beantragt", 300, None),),
    ),
    # --- Klimaanpassung -----------------------------------------------------------------------------------
    MeasureSpec(
        code="KA-01",
        title="Schulhöfe entsiegeln und begrünen",
        sector=Sector.ADAPTATION,
        status=S.IN_PROGRESS,
        previous_status=S.PLANNED,
        summary="Asphalt raus, Bäume und Beete rein: kühlere Schulhöfe an den Schulen des Kreises.",
        description=(
            "Aus einem Bürgervorschlag entstanden: An den Berufskollegs und Förderschulen des Kreises werden "
            "Schulhofflächen entsiegelt und mit Schüler*innen neu gestaltet."
        ),
        objectives="6.000 Quadratmeter entsiegelt, 60 neue Bäume.",
        target_groups="Schüler*innen, Lehrkräfte",
        responsible=REDAKTION,
        start=date(2025, 3, 1),
        end=date(2027, 9, 30),
        cost=780_000,
        funding=("Sonderprogramm Klimaresilienz in Kommunen (NRW)", 545_000, FS.GRANTED, None),
        participation=PL.CODECISION,
        qualitative="Bis zu 8 Grad kühlere Oberflächen an heißen Tagen; Regenwasser versickert vor Ort.",
        take_part="Eltern, Schüler*innen und Nachbar*innen können bei den Pflanzaktionen mitmachen.",
        plain="Auf Schul-Höfen ist viel Beton. Wir machen den Beton weg. Dafür pflanzen wir Bäume. "
        "Dann ist es im Sommer kühler.",
        origin="Schulhöfe entsiegeln und begrünen",
        milestones=(("Erster Schulhof fertig", -140, -150), ("Zweiter und dritter Schulhof fertig", 280, None)),
        updates=(
            (-145, "Der erste Schulhof am Berufskolleg Jülich ist fertig – mit 14 neuen Bäumen.", 35, True, REDAKTION),
        ),
    ),
    MeasureSpec(
        code="KA-02",
        title="Hitzeschutz für ältere und kranke Menschen",
        sector=Sector.ADAPTATION,
        status=S.PLANNED,
        summary="Ein Hitzeaktionsplan mit Warnkette, kühlen Orten und Trinkpat*innen.",
        description=(
            "Mit Pflegediensten, Hausarztpraxen und Kommunen entsteht ein Hitzeaktionsplan: eine Warnkette bei "
            "Hitzewarnungen, eine Karte kühler Orte und Trinkpat*innen in der Nachbarschaft."
        ),
        target_groups="Ältere Menschen, Pflegeeinrichtungen, Nachbarschaften",
        start=30,
        end=400,
        participation=PL.CONSULTATION,
        take_part="Werden Sie Trinkpat*in für ältere Nachbar*innen oder melden Sie einen kühlen Ort für die Karte.",
        origin="kick-off",
        milestones=(("Hitzeaktionsplan im Gesundheitsausschuss", 200, None),),
    ),
    MeasureSpec(
        code="KA-03",
        title="Starkregengefahrenkarte für den ganzen Kreis",
        sector=Sector.ADAPTATION,
        status=S.COMPLETED,
        summary="Eine Online-Karte zeigt für jedes Grundstück, wo sich bei Starkregen Wasser sammelt.",
        description="Nach dem Hochwasser 2021 hat der Kreis Starkregengefahrenkarten für alle Kommunen erstellen "
        "lassen; sie sind online einsehbar.",
        partners=("wasserverband-eifel-rur",),
        start=date(2023, 1, 1),
        end=date(2024, 12, 31),
        cost=310_000,
        participation=PL.INFORMATION,
        take_part="Schauen Sie in der Karte nach, wie gefährdet Ihr Grundstück ist, und lassen Sie sich zum "
        "Objektschutz beraten.",
        milestones=(("Karte online", date(2024, 11, 30), date(2024, 12, 5)),),
        updates=(
            (
                date(2024, 12, 5),
                "Die Karte ist online; in den ersten Wochen wurde sie 12.000-mal aufgerufen.",
                100,
                True,
                REDAKTION,
            ),
        ),
    ),
    MeasureSpec(
        code="KA-04",
        title="Entsiegelungsprämie für private Grundstücke",
        sector=Sector.ADAPTATION,
        status=S.NOT_STARTED,
        priority=P.LOW,
        summary="Ein Zuschuss für alle, die Schottergärten, Einfahrten oder Höfe entsiegeln.",
        description="Pro entsiegeltem Quadratmeter soll es einen Zuschuss geben, dazu Beratung zu "
        "versickerungsfähigen Belägen und Begrünung.",
        target_groups="Eigentümer*innen",
        start=300,
        participation=PL.INFORMATION,
        take_part="Sie möchten Ihren Hof entsiegeln? Tragen Sie sich schon jetzt in die Interessentenliste ein.",
    ),
]

DUEREN_PROPOSALS = [
    ProposalSpec(
        title="Lastenräder zum Ausleihen in jeder Kreisstadt",
        sector=Sector.MOBILITY,
        text="Viele Wege zum Einkaufen oder zur Kita sind kurz, aber mit Kindern oder Getränkekisten nimmt man "
        "doch das Auto. Lastenräder zum kostenlosen Ausleihen an den Rathäusern würden das ändern.",
        author=BUERGER,
        submitted=date(2024, 5, 2),
        supporters=(JUELICH, NIDEGGEN, KREUZAU),
    ),
    ProposalSpec(
        title="Repair-Cafés dauerhaft unterstützen",
        sector=Sector.HOUSEHOLDS,
        text="Die Repair-Cafés leben vom Ehrenamt. Werkzeug, eine Versicherung und ein gemeinsamer Kalender "
        "würden helfen, dass es sie in jeder Kommune gibt.",
        author=JUELICH,
        submitted=date(2024, 5, 10),
        supporters=(BUERGER, KREUZAU),
    ),
    ProposalSpec(
        title="Schulhöfe entsiegeln und begrünen",
        sector=Sector.ADAPTATION,
        text="Im Sommer ist der Schulhof meiner Kinder eine Asphaltwüste. Bäume und Beete machen ihn kühler, "
        "und die Schüler*innen können beim Pflanzen mitmachen.",
        author=NIDEGGEN,
        submitted=date(2024, 7, 3),
        supporters=(BUERGER, JUELICH),
    ),
    ProposalSpec(
        title="Mitfahrbänke in den Dörfern",
        sector=Sector.MOBILITY,
        text="Eine Bank an der Ortsausfahrt mit Schild: Wer dort sitzt, möchte mitgenommen werden. In der Eifel "
        "fährt der Bus selten; Mitfahrbänke wären ein einfacher Anfang.",
        author=KREUZAU,
        submitted=-64,
        supporters=(NIDEGGEN, BUERGER),
    ),
    ProposalSpec(
        title="Trinkwasserbrunnen in den Innenstädten",
        sector=Sector.ADAPTATION,
        text="An heißen Tagen fehlt in Düren und Jülich frisches Trinkwasser. Öffentliche Trinkbrunnen helfen "
        "gerade älteren Menschen und Kindern.",
        author=JUELICH,
        submitted=-38,
        supporters=(KREUZAU,),
    ),
    ProposalSpec(
        title="Tempo 30 auf allen Straßen im Kreis",
        sector=Sector.MOBILITY,
        text="Tempo 30 überall spart Sprit, macht die Straßen leiser und sicherer für Radfahrende.",
        author=NIDEGGEN,
        submitted=-95,
        status=Moderation.REJECTED,
        reason="Ein flächendeckendes Tempo 30 kann der Kreis nach der Straßenverkehrs-Ordnung nicht anordnen. "
        "Wir geben Ihre Anregung an die Lärmaktionsplanung der Kommunen weiter, wo Tempo 30 auf einzelnen "
        "Abschnitten möglich ist.",
    ),
    ProposalSpec(
        title="Werkzeug-Leihbörse im Dorfgemeinschaftshaus",
        sector=Sector.HOUSEHOLDS,
        text="Nicht jeder Haushalt braucht eine eigene Bohrmaschine. Eine Leihbörse im Dorfgemeinschaftshaus "
        "spart Geld und Ressourcen.",
        author=BUERGER,
        submitted=-4,
        status=Moderation.PENDING,
    ),
    ProposalSpec(
        title="Solardächer über Supermarkt-Parkplätzen",
        sector=Sector.ENERGY_SUPPLY,
        text="Die großen Parkplätze der Supermärkte könnten mit Solardächern überdacht werden: Strom und Schatten "
        "zugleich.",
        author=KREUZAU,
        submitted=-2,
        status=Moderation.PENDING,
    ),
]

DUEREN_COMMENTS = [
    CommentSpec(
        "MO-01",
        KREUZAU,
        "Das Lastenrad in Kreuzau ist fast jedes Wochenende ausgebucht – ein zweites Rad wäre toll!",
        -120,
    ),
    CommentSpec("PH-01", BUERGER, "Gilt der Zuschuss auch für Geräte mit Speicher?", -40),
    CommentSpec("MO-02", NIDEGGEN, "Bitte auch an eine sichere Querung am Ortseingang Jülich denken.", -22),
    CommentSpec(
        "PH-01",
        JUELICH,
        "Meine Vermieterin war erst skeptisch, die Beratung hat sehr geholfen.",
        -1,
        Moderation.PENDING,
    ),
    CommentSpec("KA-01", BUERGER, "Können auch Grundschulen der Kommunen mitmachen?", -3, Moderation.PENDING),
]

# --- Klima-Luft 2030, Stadt Dortmund ---------------------------------------------------------------

DORTMUND_ROADMAP = {
    "slug": "klima-luft-2030",
    "title": "Handlungsprogramm Klima-Luft 2030",
    "organisation": "stadt-dortmund",
    "target_year": 2035,
    "baseline_year": 2019,
    "baseline_emissions": Decimal("4300000.0"),
    "licence": Licence.DL_BY,
    "description": (
        "Mit dem Handlungsprogramm Klima-Luft 2030 setzt die Stadt Dortmund ihr Ziel der Treibhausgasneutralität "
        "bis 2035 um. Städtische Gesellschaften und die Organisationen im Konsultationskreis Energieeffizienz und "
        "Klimaschutz (KEK) tragen es mit."
    ),
}

DORTMUND_MEASURES = [
    MeasureSpec(
        code="KL-01",
        title="Kommunale Wärmeplanung Dortmund",
        sector=Sector.BUILDINGS_HEAT,
        status=S.COMPLETED,
        previous_status=S.IN_PROGRESS,
        priority=P.HIGH,
        summary="Der Wärmeplan zeigt für jedes Quartier, wie es bis 2035 klimaneutral heizt.",
        description="Als Großstadt musste Dortmund den Wärmeplan bis zum 30. Juni 2026 vorlegen.",
        partners=("dew21",),
        lead="stadt-dortmund",
        responsible=DORTMUND_EDITOR,
        body="Rat der Stadt Dortmund",
        start=date(2024, 1, 1),
        end=date(2026, 6, 30),
        milestones=(("Wärmeplan vom Rat beschlossen", date(2026, 6, 30), -150),),
        updates=((-150, "Der Rat hat den Wärmeplan beschlossen.", 100, True, DORTMUND_EDITOR),),
    ),
    MeasureSpec(
        code="KL-02",
        title="Fernwärme ausbauen und dekarbonisieren",
        sector=Sector.ENERGY_SUPPLY,
        status=S.IN_PROGRESS,
        priority=P.HIGH,
        summary="DEW21 verdichtet das Fernwärmenetz und ersetzt fossile Wärme durch Abwärme und Großwärmepumpen.",
        description="Der Ausbau folgt den Eignungsgebieten des Wärmeplans.",
        lead="dew21",
        partners=("stadt-dortmund",),
        responsible=DORTMUND_EDITOR,
        start=date(2024, 6, 1),
        end=date(2035, 12, 31),
        effect=(
            "60000.0",
            "45000.0",
            "75000.0",
            "Ersetzte Erdgaswärme × 0,247 t CO2e/MWh",
            "Transformationsplan DEW21",
        ),
        updates=((-50, "Zwölf Kilometer neue Trasse im Jahr 2026 verlegt.", 20, True, DORTMUND_EDITOR),),
    ),
    MeasureSpec(
        code="KL-03",
        title="Elektrobusse im Linienverkehr",
        sector=Sector.MOBILITY,
        status=S.IN_PROGRESS,
        summary="DSW21 stellt die Busflotte schrittweise auf Elektrobusse um.",
        description="Bis 2030 sollen alle Stadtbusse lokal emissionsfrei fahren; die Betriebshöfe bekommen "
        "Ladeinfrastruktur.",
        lead="dsw21",
        responsible=DORTMUND_EDITOR,
        start=date(2023, 1, 1),
        end=date(2030, 12, 31),
        updates=((-70, "Über 70 Elektrobusse sind im Einsatz.", 45, True, DORTMUND_EDITOR),),
    ),
    MeasureSpec(
        code="KL-04",
        title="Solaroffensive auf städtischen Dächern",
        sector=Sector.ADMINISTRATION,
        status=S.IN_PROGRESS,
        summary="Photovoltaik auf allen geeigneten Schulen, Kitas und Verwaltungsgebäuden.",
        description="Das Solarkataster zeigt die geeigneten Dächer; die Städtische Immobilienwirtschaft belegt sie "
        "in Losen.",
        lead="stadt-dortmund",
        responsible=DORTMUND_EDITOR,
        start=date(2024, 3, 1),
        end=date(2028, 12, 31),
        milestones=(("100 Dächer belegt", -20, None),),
    ),
    MeasureSpec(
        code="KL-05",
        title="Hitzeaktionsplan Dortmund",
        sector=Sector.ADAPTATION,
        status=S.PLANNED,
        summary="Kühle Orte, Warnkette und Trinkbrunnen für heiße Sommer.",
        description="Der Hitzeaktionsplan wird mit Gesundheitsamt, Wohlfahrtsverbänden und Kirchen erarbeitet.",
        lead="stadt-dortmund",
        partners=("caritas-dortmund", "diakonie-dortmund-luenen"),
        responsible=DORTMUND_EDITOR,
        start=60,
        end=420,
    ),
]

# --- Pledges of KEK member organisations ------------------------------------------------------------

# organisation slug, target year, baseline year, baseline t CO2e/a, commitments, [(year, t CO2e/a, progress)]
KEK_PLEDGES = [
    (
        "dsw21",
        2035,
        2019,
        "52000.0",
        "Busflotte bis 2030 vollständig elektrisch; Stadtbahn mit Ökostrom aus der Region; Photovoltaik auf allen "
        "Betriebshöfen; Beschaffung nach Klimakriterien.",
        [
            (2024, "47800.0", "Über 70 E-Busse im Einsatz; PV auf dem Betriebshof Grüne Straße."),
            (2025, "44100.0", "Ladeinfrastruktur am zweiten Betriebshof in Betrieb."),
        ],
    ),
    (
        "dew21",
        2035,
        2019,
        "310000.0",
        "Fernwärme bis 2035 klimaneutral; 500 MW erneuerbare Erzeugung in der Region; Mieterstrom für 5.000 Wohnungen.",
        [(2025, "268000.0", "Erste Großwärmepumpe am Hafen in Betrieb genommen.")],
    ),
    (
        "sparkasse-dortmund",
        2035,
        2020,
        "3100.0",
        "Geschäftsbetrieb klimaneutral nach der Selbstverpflichtung der Sparkassen; Ökostrom seit 2021; "
        "Filialnetz energetisch saniert; Klimaschutz in der Kreditvergabe.",
        [(2025, "2350.0", "Sechs Filialen auf Wärmepumpe umgestellt.")],
    ),
    (
        "fh-dortmund",
        2030,
        2019,
        "9800.0",
        "Klimaneutraler Campus bis 2030: Energiemanagement nach ISO 50001, PV auf allen Dächern, Dienstreisen "
        "mit der Bahn.",
        [(2024, "8700.0", "Energiemanagement zertifiziert."), (2025, "7900.0", "PV auf dem Campus Emil-Figge-Straße.")],
    ),
    (
        "caritas-dortmund",
        2030,
        2021,
        "6400.0",
        "Klimaneutral bis 2030 nach dem Beschluss des Deutschen Caritasverbands; Energiechecks in allen "
        "Pflegeeinrichtungen; E-Autos für die ambulante Pflege.",
        [],
    ),
    (
        "ev-kirchenkreis-dortmund",
        2040,
        2019,
        "7200.0",
        "Gebäudebedarfsplanung mit Klimakriterien; Heizungstausch in Gemeindehäusern; Ökostrom für alle Gemeinden.",
        [(2025, "6100.0", "Gebäudebedarfsplanung abgeschlossen; zwölf Gebäude werden aufgegeben.")],
    ),
    (
        "edg",
        2045,
        2019,
        "41000.0",
        "Sammelfahrzeuge auf Strom und Wasserstoff umstellen; Deponiegas vollständig erfassen; Photovoltaik auf "
        "Betriebsflächen.",
        [],
    ),
]


def load(*, stdout=None) -> None:
    """Create (or find) the demo roadmaps, measures, proposals and pledges."""
    today = timezone.localdate()
    with _quiet_email(), transaction.atomic():
        _organisations()
        people = _people()
        contacts = {spec.responsible for spec in (*DUEREN_MEASURES, *DORTMUND_MEASURES)}
        for email in contacts:  # named on the public measure pages, which only people who allow it are
            people[email].contact_visibility = Person.ContactVisibility.PUBLIC
            people[email].save(update_fields=["contact_visibility"])
        events = _dueren_events()
        dueren = _roadmap(DUEREN_ROADMAP)
        proposals = {spec.title: _proposal(dueren, spec, people, today) for spec in DUEREN_PROPOSALS}
        for spec in DUEREN_MEASURES:
            _measure(dueren, spec, people, events, proposals, today, by=people[REDAKTION])
        for code, summary in SUMMARIES_EN.items():  # only where the editors have not written one since
            # written with the sheet: its history records carry it too, or the next save would list it as changed
            if Measure.objects.filter(roadmap=dueren, code=code, summary_en="").update(summary_en=summary):
                Measure.history.filter(roadmap=dueren, code=code, summary_en="").update(summary_en=summary)
        for spec in DUEREN_COMMENTS:
            _comment(dueren, spec, people, today)
        dortmund = _roadmap(DORTMUND_ROADMAP)
        editor = people[DORTMUND_EDITOR]
        OrganisationRole.objects.get_or_create(organisation=dortmund.organisation, person=editor)
        for spec in DORTMUND_MEASURES:
            _measure(dortmund, spec, people, events, proposals, today, by=editor)
        _pledges()
        demo_links.load()  # the measure page's external links (issue 16)
        demo_participation.load()  # states, official answers, a reply, phases (issue 16 §2)
        services.measure_mark_late(today=today)
    if stdout is not None:
        measures = Measure.objects.filter(roadmap__in=[dueren, dortmund])
        stdout.write(
            f"Demo roadmaps: {measures.filter(roadmap=dueren).count()} measures in {dueren.title} "
            f"({measures.filter(roadmap=dueren, is_late=True).count()} late), "
            f"{measures.filter(roadmap=dortmund).count()} in {dortmund.title}; "
            f"{dueren.proposals.count()} proposals "
            f"({dueren.proposals.filter(status=Moderation.PENDING).count()} waiting for moderation); "
            f"{Pledge.objects.filter(network__slug='kek-dortmund').count()} pledges in the KEK."
        )


@contextmanager
def _quiet_email():
    """The dummy email backend, and no 'Task ... succeeded' line per eagerly delivered email."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        trace.setLevel(level)


def _day(value: Day, today: date) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return today + timedelta(days=value)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _organisations() -> None:
    for name, short, slug, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind, "state": "NW"}
        )


def _people() -> dict[str, Person]:
    for email, name in CITIZENS:
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        network_services.person_ensure(user=user, name=name)
    return {p.user.email: p for p in Person.objects.filter(user__email__endswith="@example.org").select_related("user")}


def _dueren_events() -> dict[str, Event | None]:
    """The kick-off and the first workshop of the Düren roadmap (the events app's demo), by title or kind."""
    events = Event.objects.filter(network__slug=DUEREN_NETWORK, series=None).order_by("starts_at")
    return {
        "kick-off": events.filter(title=KICK_OFF).first() or events.filter(kind=Kind.KICK_OFF).first(),
        "workshop": events.filter(title=WORKSHOP).first() or events.filter(kind=Kind.WORKSHOP).first(),
    }


def _roadmap(spec: dict) -> Roadmap:
    spec = dict(spec)
    organisation = Organisation.objects.get(slug=spec.pop("organisation"))
    slug = spec.pop("slug")
    roadmap = Roadmap.objects.filter(slug=slug).first()
    if roadmap is None:
        roadmap = Roadmap(slug=slug, organisation=organisation, published=True, **spec)
        roadmap.full_clean()
        roadmap.save()
    return roadmap


def _measure(roadmap, spec: MeasureSpec, people, events, proposals, today: date, *, by: Person) -> Measure:
    measure = Measure.objects.filter(roadmap=roadmap, code=spec.code).first()
    if measure is None:
        measure = _create_measure(roadmap, spec, people, events, proposals, today, by=by)
    elif spec.funding and isinstance(spec.funding[3], int) and spec.funding[3] > 0:
        # A future application deadline that has passed since the first load moves ahead again.
        deadline = _day(spec.funding[3], today)
        Measure.objects.filter(pk=measure.pk, funding_deadline__lt=today).update(funding_deadline=deadline)
    for title, due, done in spec.milestones:
        milestone, created = Milestone.objects.get_or_create(
            measure=measure, title=title, defaults={"due_date": _day(due, today), "done_date": _day(done, today)}
        )
        if not created and isinstance(due, int) and due > 0 and milestone.done_date is None:
            Milestone.objects.filter(pk=milestone.pk, due_date__lt=today).update(due_date=_day(due, today))
    for on, text, percent, public, author in spec.updates:
        if not MeasureUpdate.objects.filter(measure=measure, text=text).exists():
            services.update_add(
                measure=measure, text=text, percent=percent, public=public, on=_day(on, today), by=people[author]
            )
    return measure


def _create_measure(roadmap, spec: MeasureSpec, people, events, proposals, today: date, *, by: Person) -> Measure:
    origin, origin_event, origin_proposal = Measure.Origin.ADMINISTRATION, None, None
    if spec.origin in events:
        origin, origin_event = Measure.Origin.WORKSHOP, events[spec.origin]
    elif spec.origin:
        origin, origin_proposal = Measure.Origin.PROPOSAL, proposals[spec.origin]
    programme, amount, funding_status, deadline = spec.funding or ("", None, FS.NONE, None)
    expected, low, high, method, source = spec.effect or (None, None, None, "", "")
    measure = Measure(
        roadmap=roadmap,
        code=spec.code,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        objectives=spec.objectives,
        target_groups=spec.target_groups,
        sector=spec.sector,
        lead_organisation=Organisation.objects.get(slug=spec.lead),
        responsible_person=people[spec.responsible],
        responsible_body=spec.body,
        start=_day(spec.start, today),
        end=_day(spec.end, today),
        continuous=spec.continuous,
        priority=spec.priority,
        cost_estimate=spec.cost,
        funding_programme=programme,
        funding_amount=amount,
        funding_status=funding_status,
        funding_deadline=_day(deadline, today),
        participation_level=spec.participation,
        effect_expected=Decimal(expected) if expected else None,
        effect_low=Decimal(low) if low else None,
        effect_high=Decimal(high) if high else None,
        effect_method=method,
        effect_source=source,
        qualitative_effect=spec.qualitative,
        how_to_take_part=spec.take_part,
        citizen_cost=CITIZEN_COSTS.get(spec.code, "") if spec.take_part else "",
        plain_language_summary=spec.plain,
        origin=origin,
        origin_event=origin_event,
        origin_proposal=origin_proposal,
        status=spec.previous_status or spec.status,
        late_override_reason=spec.late_reason,
        internal_fields=list(spec.internal),
        internal_note=spec.note,
        published=spec.published,
    )
    partners = Organisation.objects.filter(slug__in=spec.partners)
    services.measure_save(measure=measure, partners=partners, by=by)
    # Entered when the roadmap was adopted (the history and the created date say so).
    entered = min(_at(ENTERED[roadmap.slug], 9), timezone.now())
    measure.history.all().update(history_date=entered)
    last_change = entered
    if spec.previous_status:
        measure.status = spec.status
        services.measure_save(measure=measure, by=by)
        changed = _day(spec.updates[-1][0], today) if spec.updates else today - timedelta(days=30)
        last_change = min(max(_at(changed, 15), entered + timedelta(hours=1)), timezone.now())
        measure.history.filter(history_date__gt=entered).update(history_date=last_change)
    # "Last changed" on the public page tells when the sheet last changed, not when the demo was loaded.
    Measure.objects.filter(pk=measure.pk).update(created_at=entered, updated_at=last_change)
    return measure


def _proposal(roadmap: Roadmap, spec: ProposalSpec, people, today: date) -> Proposal:
    proposal = Proposal.objects.filter(roadmap=roadmap, title=spec.title).first()
    submitted = _at(_day(spec.submitted, today), 19)
    if proposal is None:
        proposal = Proposal(
            roadmap=roadmap, author=people[spec.author], title=spec.title, text=spec.text, sector=spec.sector
        )
        proposal.full_clean()
        proposal.save()
        Proposal.objects.filter(pk=proposal.pk).update(created_at=submitted)
    if proposal.status == Moderation.PENDING and spec.status != Moderation.PENDING:
        services.proposal_moderate(
            proposal=proposal,
            publish=spec.status == Moderation.PUBLISHED,
            reason=spec.reason,
            by=people[REDAKTION],
        )
        moderated = min(submitted + timedelta(days=3), timezone.now())
        Proposal.objects.filter(pk=proposal.pk).update(moderated_at=moderated)
    if proposal.is_published:
        for email in spec.supporters:
            services.proposal_support(proposal=proposal, person=people[email])
    return proposal


def _comment(roadmap: Roadmap, spec: CommentSpec, people, today: date) -> Comment:
    measure = Measure.objects.get(roadmap=roadmap, code=spec.code)
    author = people[spec.author]
    comment = Comment.objects.filter(measure=measure, author=author, text=spec.text).first()
    written = _at(_day(spec.written, today), 20)
    if comment is None:
        comment = Comment(measure=measure, author=author, text=spec.text)
        comment.full_clean()
        comment.save()
        Comment.objects.filter(pk=comment.pk).update(created_at=written)
    if comment.status == Moderation.PENDING and spec.status == Moderation.PUBLISHED:
        services.comment_moderate(comment=comment, publish=True, by=people[REDAKTION])
        Comment.objects.filter(pk=comment.pk).update(moderated_at=min(written + timedelta(days=1), timezone.now()))
    return comment


def _pledges() -> None:
    network = Network.objects.get(slug="kek-dortmund")
    for slug, target, baseline_year, baseline, commitments, reports in KEK_PLEDGES:
        organisation = Organisation.objects.get(slug=slug)
        pledge = Pledge.objects.filter(network=network, organisation=organisation).first()
        if pledge is None:
            pledge = services.pledge_save(
                pledge=Pledge(
                    network=network,
                    organisation=organisation,
                    target_year=target,
                    baseline_year=baseline_year,
                    baseline_emissions=Decimal(baseline),
                    commitments=commitments,
                )
            )
        for year, emissions, progress in reports:
            if not PledgeReport.objects.filter(pledge=pledge, year=year).exists():
                services.pledge_report_save(
                    report=PledgeReport(pledge=pledge, year=year, emissions=Decimal(emissions), progress=progress)
                )
