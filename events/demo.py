"""Demo events from the seed texts (DESIGN §7, issue 3 §8), loaded by ``manage.py load_demo``.

Runs after the networks' demo data and finds every row by a natural key, so it can run any
number of times without duplicating anything: events and series by (network, title),
registrations by (event, person), outcomes by (event, kind, text), questions by their text.

Past events keep the seeds' historical dates (the KEK kick-off on 7 June 2023, the NKK meeting
of 30 January 2025, ...). Upcoming events are placed relative to the day of the first load and
moved ahead again once they are over, so the demo always has something to register for.
Registrations for upcoming events, minutes and series go through ``events.services`` (waiting
list, notices and outbox rows stay consistent); attendance of past events is written directly.
The demo's emails are written to the outbox as usual, but not printed to the console.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from events import services
from events.models import Event, EventSeries, Format, Kind, Outcome, Question, Registration, Visibility
from networks.management.commands.load_demo import DEMO_PASSWORD
from networks.models import Network, NetworkRole, Organisation, Person, Topic, User, WorkingGroup

MEET = "https://meet.example.org/"


@dataclass(frozen=True)
class Ahead:
    """A day relative to today: the first ``weekday`` (0 = Monday) at least ``days`` away (negative: past)."""

    days: int
    weekday: int

    def day(self, today: date) -> date:
        day = today + timedelta(days=self.days)
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        while (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
            day += timedelta(weeks=1 if self.days >= 0 else -1)  # nobody meets between the years
        return day


@dataclass(frozen=True)
class OutcomeSpec:
    kind: str
    text: str
    person: str = ""  # owner: a demo person's email ...
    organisation: str = ""  # ... or an organisation's slug
    due: date | int | None = None  # a date, or days from today
    done: bool = False


# The Kreis Düren's public events take place here: the public event page shows address, access and transit.
KREISHAUS_DUEREN = {
    "venue": "Kreishaus Düren",
    "room": "Großer Sitzungssaal, Erdgeschoss",
    "street": "Bismarckstraße 16",
    "postcode": "52351",
    "town": "Düren",
    "step_free": True,
    "hearing_loop": True,
    "accessibility_notes": "Aufzug und barrierefreies WC im Erdgeschoss, Behindertenparkplätze am Haupteingang.",
    "transit_notes": "Vom Bahnhof Düren etwa 10 Minuten zu Fuß; Bushaltestelle „Kreishaus“ direkt vor dem Gebäude. "
    "Wenige Parkplätze, bitte möglichst mit Bus, Bahn oder Rad anreisen.",
}


@dataclass(frozen=True)
class EventSpec:
    network: str
    title: str
    kind: str
    format: str
    when: date | Ahead
    start: time
    end: time
    venue: str = ""
    room: str = ""
    street: str = ""
    postcode: str = ""
    town: str = ""
    step_free: bool | None = None
    hearing_loop: bool = False
    accessibility_notes: str = ""
    transit_notes: str = ""
    online_url: str = ""
    capacity: int | None = None
    visibility: str = Visibility.NETWORK
    deadline_days: int | None = None
    description: str = ""
    topics: tuple[str, ...] = ()
    agenda: tuple[tuple[str, str, str], ...] = ()  # (HH:MM, title, note)
    people: tuple[str, ...] = ()  # past: attended; upcoming: registered in this order (then the waiting list)
    minutes: str = ""
    outcomes: tuple[OutcomeSpec, ...] = ()


# Two more KEK contacts, so that a full meeting has a waiting list without kek.mitglied on it.
EXTRA_PEOPLE = [
    ("kek.dsw21@example.org", "Leonie Schulz", "dsw21", "Nachhaltigkeitsmanagement", "kek-dortmund"),
    ("kek.sparkasse@example.org", "Daniel Koch", "sparkasse-dortmund", "Nachhaltigkeitsbeauftragter", "kek-dortmund"),
]

NKK_MINUTES = """\
## Teilnehmende

Klimaschutzmanager*innen aus Bonn, Troisdorf, Bergisch Gladbach und Hürth; zu Gast in der Geschäftsstelle
des Region Köln/Bonn e. V. Das NKK trifft sich sonst digital, dieses Mal in Präsenz.

## 1. Kommunale Wärmeplanung: Stand in den Kommunen

Die kommunale Wärmeplanung ist nach Einschätzung aller Beteiligten derzeit die **größte Herausforderung** im
kommunalen Klimaschutz. Alle Kommunen haben mit der Wärmeplanung begonnen, stehen aber an ganz
unterschiedlichen Punkten:

- Der Großteil hat ein **externes Büro** beauftragt und arbeitet an der **Potenzialanalyse** und am
  **Zielszenario**.
- Einige Kommunen haben die Planung **abgeschlossen** und legen den Wärmeplan in Kürze dem Rat zum Beschluss vor.
- Fristen nach dem Wärmeplanungsgesetz: 30. Juni 2026 für Kommunen über 100.000 Einwohner*innen,
  30. Juni 2028 für alle anderen.

Diskutiert wurden die Ausschreibung und Steuerung der Büros, die Beschaffung von Verbrauchs- und
Gebäudedaten sowie die Frage, wie die Politik vor dem Ratsbeschluss gut eingebunden wird.

## 2. Klimaschutzkonzepte und Zieljahr der Klimaneutralität

Der Austausch zu den Klimaschutzkonzepten und ihrem Umsetzungsstand zeigte eine **große Spannweite** bei den
beschlossenen Zieljahren für die Klimaneutralität. Das Zieljahr prägt die Kommunikation der
Klimaschutzmanager*innen in der Verwaltung, mit weiteren Stakeholdern und mit der Bevölkerung.

## 3. Klimaschutzmanagement in der Verwaltung

Zum Schluss ging es um die Situation und Positionierung der Klimaschutzmanager*innen innerhalb ihrer
Verwaltungen und darum, wie sich das Netzwerk dabei gegenseitig unterstützen kann.

## Nächste Schritte

Die Aufgaben stehen unten bei den Ergebnissen. Das nächste Treffen findet wieder online statt.
"""

KEK_MINUTES = """\
## Klimaschutz in sozialen Einrichtungen

Caritasverband und Diakonisches Werk berichteten aus ihren Einrichtungen: viele ältere Gebäude, knappe
Investitionsmittel, aber große Bereitschaft der Mitarbeitenden.

- Energieverbräuche der Einrichtungen werden bisher uneinheitlich erfasst.
- Die Sparkasse stellte Förderkredite für energetische Sanierung vor.

## Eigene Klimaschutzziele

Die Arbeitsgruppe berichtete vom Stand: vier Mitgliedsorganisationen haben eine erste Treibhausgasbilanz.
Ziel bleibt, dass alle Teilnehmenden ein eigenes Klimaschutzziel passend zur Treibhausgasneutralität
Dortmunds bis 2035 formulieren.
"""

KTT_MINUTES = """\
## Jahresplanung 2022

Die knapp 15 Teilnehmenden haben sich auf eine noch stärkere Bündelung ihrer Kräfte verständigt:
gemeinsame Projekte und Kampagnen im landkreisübergreifenden Netzwerk.

- **Photovoltaik- und Wärmekampagnen** für Bürgerinnen und Bürger, überwiegend online.
- Themen für 2022: **Mobilität** und **Klimaschutz in der Bauleitplanung**.

## Kleingruppen

- Kommunales Energiemanagement und -controlling
- Verstetigung des Klimaschutzmanagements in den Kommunen

## Stärken abgleichen

Nicht jede und jeder muss sich in jedes Thema einarbeiten: Die Stärken der einzelnen
Klimaschutzmanagerinnen und -manager wurden gesammelt, damit das Netzwerk sein Wissen teilt.
"""

A = Outcome.Kind
EVENTS = [
    # --- KEK Dortmund -------------------------------------------------------------------------
    EventSpec(
        network="kek-dortmund",
        title="Kick-off des KEK im Umweltamt",
        kind=Kind.KICK_OFF,
        format=Format.ON_SITE,
        when=date(2023, 6, 7),
        start=time(14),
        end=time(17),
        venue="Umweltamt der Stadt Dortmund",
        town="Dortmund",
        visibility=Visibility.PUBLIC,
        description=(
            "Nach mehrjähriger Pause wird der preisgekrönte Konsultationskreis Energieeffizienz und Klimaschutz "
            "reaktiviert: zehn Dortmunder Unternehmen und Institutionen treffen sich, um gemeinsam am Dortmunder "
            "Klimaschutz zu arbeiten."
        ),
        topics=("beteiligung", "monitoring"),
        agenda=(
            ("14:00", "Begrüßung durch die Abteilung Klima-Luft des Umweltamts", ""),
            ("14:15", "Handlungsprogramm Klima-Luft 2030 und Treibhausgasneutralität bis 2035", "Impulsvortrag"),
            ("15:00", "Vorstellungsrunde der zehn Mitgliedsorganisationen", ""),
            ("15:45", "Pause", ""),
            ("16:00", "Externes Netzwerkmanagement und NKI-Förderung", "Wie der KEK künftig arbeitet"),
            ("16:40", "Verabredungen und nächste Termine", ""),
        ),
        people=(
            "kek.mitglied@example.org",
            "kek.dew21@example.org",
            "kek.fh@example.org",
            "kek.caritas@example.org",
            "kek.dsw21@example.org",
            "kek.sparkasse@example.org",
        ),
        outcomes=(
            OutcomeSpec(A.DECISION, "Der KEK trifft sich regelmäßig zu Netzwerktreffen, reihum bei den Mitgliedern."),
            OutcomeSpec(A.IDEA, "Öffentliche Veranstaltungen, in denen die Mitglieder ihre Klimaschutzarbeit zeigen."),
        ),
    ),
    EventSpec(
        network="kek-dortmund",
        title="KEK-Netzwerktreffen: Eigene Klimaschutzziele entwickeln",
        kind=Kind.NETWORK_MEETING,
        format=Format.ON_SITE,
        when=date(2023, 11, 15),
        start=time(14),
        end=time(16, 30),
        venue="Fachhochschule Dortmund",
        town="Dortmund",
        topics=("monitoring",),
        agenda=(
            ("14:00", "Ankommen und Rückblick auf den Kick-off", ""),
            ("14:20", "Wie kommt eine Organisation zu ihrem Klimaschutzziel?", "Erfahrungen der FH Dortmund"),
            ("15:15", "Arbeitsgruppe Eigene Klimaschutzziele: Auftakt", ""),
        ),
        people=("kek.mitglied@example.org", "kek.dew21@example.org", "kek.fh@example.org"),
    ),
    EventSpec(
        network="kek-dortmund",
        title="KEK-Netzwerktreffen: Klimaschutz in sozialen Einrichtungen",
        kind=Kind.NETWORK_MEETING,
        format=Format.ON_SITE,
        when=Ahead(-35, 2),
        start=time(14),
        end=time(16, 30),
        venue="Caritasverband Dortmund",
        town="Dortmund",
        topics=("energiemanagement", "foerdermittel"),
        agenda=(
            ("14:00", "Klimaschutz in sozialen Einrichtungen", "Caritasverband und Diakonisches Werk"),
            ("14:45", "Förderkredite für energetische Sanierung", "Sparkasse Dortmund"),
            ("15:30", "Bericht der Arbeitsgruppe Eigene Klimaschutzziele", ""),
        ),
        people=(
            "kek.mitglied@example.org",
            "kek.caritas@example.org",
            "kek.sparkasse@example.org",
            "kek.dsw21@example.org",
        ),
        minutes=KEK_MINUTES,
        outcomes=(
            OutcomeSpec(
                A.ACTION,
                "Vorlage für die Treibhausgasbilanz der Mitgliedsorganisationen verschicken",
                person="kek.mitglied@example.org",
                due=14,
            ),
            OutcomeSpec(
                A.ACTION,
                "Übersicht der Förderprogramme für soziale Einrichtungen zusammenstellen",
                organisation="sparkasse-dortmund",
                due=-7,
            ),
        ),
    ),
    EventSpec(
        network="kek-dortmund",
        title="KEK-Netzwerktreffen vor Ort: Rundgang im Dortmunder Hafen",
        kind=Kind.NETWORK_MEETING,
        format=Format.ON_SITE,
        when=Ahead(12, 2),
        start=time(14),
        end=time(16),
        venue="Dortmunder Hafen AG",
        town="Dortmund",
        capacity=3,
        description=(
            "Die Dortmunder Hafen AG zeigt, wie sie Energie spart und Flächen für erneuerbare Energien nutzt. "
            "Der Rundgang ist auf drei Teilnehmende begrenzt; wer keinen Platz bekommt, steht auf der Warteliste."
        ),
        topics=("photovoltaik", "energiemanagement"),
        agenda=(
            ("14:00", "Begrüßung im Verwaltungsgebäude", ""),
            ("14:15", "Rundgang über das Hafengelände", "Festes Schuhwerk"),
            ("15:30", "Austausch und Fragen", ""),
        ),
        people=(
            "kek.dew21@example.org",
            "kek.fh@example.org",
            "kek.dsw21@example.org",
            "kek.caritas@example.org",
            "kek.sparkasse@example.org",
        ),
    ),
    EventSpec(
        network="kek-dortmund",
        title="KEK-Netzwerktreffen: Klimaschutzziele der Mitgliedsorganisationen",
        kind=Kind.NETWORK_MEETING,
        format=Format.HYBRID,
        when=Ahead(26, 2),
        start=time(14),
        end=time(16, 30),
        venue="Umweltamt der Stadt Dortmund",
        town="Dortmund",
        online_url=MEET + "kek-netzwerktreffen",
        capacity=25,
        deadline_days=2,
        description=(
            "Die Mitgliedsorganisationen stellen ihre Klimaschutzziele vor. Vor Ort im Umweltamt oder online; "
            "den Link sehen angemeldete Teilnehmende auf dieser Seite."
        ),
        topics=("monitoring", "kommunale-waermeplanung"),
        agenda=(
            ("14:00", "Begrüßung und Neuigkeiten aus dem Netzwerk", "Netzwerkmanagement"),
            ("14:15", "Klimaschutzziele der Mitgliedsorganisationen", "Kurzvorstellungen, je 10 Minuten"),
            ("15:15", "Pause", ""),
            ("15:30", "Fernwärme und kommunale Wärmeplanung in Dortmund", "Impuls DEW21"),
            ("16:15", "Verabredungen", ""),
        ),
        people=("kek.dew21@example.org", "kek.fh@example.org", "kek.caritas@example.org"),
    ),
    EventSpec(
        network="kek-dortmund",
        title="Klimaschutz in Dortmund: Was die KEK-Mitglieder beitragen",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ON_SITE,
        when=Ahead(40, 3),
        start=time(18),
        end=time(20),
        venue="Umweltamt der Stadt Dortmund",
        town="Dortmund",
        capacity=60,
        visibility=Visibility.PUBLIC,
        description=(
            "Öffentliche Veranstaltung: Stadtwerke, Sparkasse, Kirche, Hochschule und Wohlfahrtsverbände zeigen, "
            "wie sie zum Ziel der Treibhausgasneutralität Dortmunds bis 2035 beitragen. Der Eintritt ist frei."
        ),
        topics=("beteiligung",),
        agenda=(
            ("18:00", "Begrüßung", ""),
            ("18:10", "Klima-Luft 2030: Wo steht Dortmund?", ""),
            ("18:40", "Fünf Mitglieder, fünf Beispiele", "Kurzvorträge"),
            ("19:30", "Fragen und Gespräche", ""),
        ),
        people=("buerger@example.org", "kek.caritas@example.org", "kek.mitglied@example.org"),
    ),
    # --- NKK Köln/Bonn ------------------------------------------------------------------------
    EventSpec(
        network="nkk-koeln-bonn",
        title="NKK-Präsenztreffen in der Geschäftsstelle des Region Köln/Bonn e. V.",
        kind=Kind.NETWORK_MEETING,
        format=Format.ON_SITE,
        when=date(2025, 1, 30),
        start=time(10),
        end=time(14),
        venue="Geschäftsstelle des Region Köln/Bonn e. V.",
        town="Köln",
        description=(
            "Das NKK trifft sich in der Regel digital; in Kooperation mit dem Region Köln/Bonn e. V. dieses Mal "
            "in Präsenz, um das Netzwerk zu pflegen und die Kooperation untereinander zu stärken."
        ),
        topics=("kommunale-waermeplanung", "verstetigung"),
        agenda=(
            ("10:00", "Ankommen und Begrüßung", "Region Köln/Bonn e. V."),
            ("10:15", "Kommunale Wärmeplanung: Stand in den Kommunen", "Runde durch alle Kommunen"),
            ("11:45", "Mittagspause", ""),
            ("12:30", "Klimaschutzkonzepte und Zieljahr der Klimaneutralität", ""),
            ("13:15", "Klimaschutzmanagement in der Verwaltung: Wie unterstützen wir uns?", ""),
            ("13:45", "Verabredungen", ""),
        ),
        people=(
            "nkk.koordination@example.org",
            "nkk.mitglied@example.org",
            "nkk.gl@example.org",
            "nkk.huerth@example.org",
        ),
        minutes=NKK_MINUTES,
        outcomes=(
            OutcomeSpec(
                A.DECISION, "Das NKK trifft sich weiter digital und einmal im Jahr in Präsenz in der Geschäftsstelle."
            ),
            OutcomeSpec(
                A.IDEA, "Gemeinsame Argumentationshilfe zum Zieljahr der Klimaneutralität für Verwaltung und Politik."
            ),
            OutcomeSpec(
                A.ACTION,
                "Übersicht erstellen: Stand der kommunalen Wärmeplanung in allen NKK-Kommunen",
                person="nkk.mitglied@example.org",
                due=date(2025, 3, 31),
            ),
            OutcomeSpec(
                A.ACTION,
                "Ratsvorlage zum Wärmeplan als Muster im Netzwerk teilen",
                organisation="stadt-huerth",
                due=30,
            ),
            OutcomeSpec(
                A.ACTION,
                "Online-Treffen zum Zielszenario vorbereiten",
                person="nkk.koordination@example.org",
                due=date(2025, 2, 28),
                done=True,
            ),
        ),
    ),
    EventSpec(
        network="nkk-koeln-bonn",
        title="NKK-Onlinetreffen: Wärmeplanung nach dem Ratsbeschluss",
        kind=Kind.NETWORK_MEETING,
        format=Format.ONLINE,
        when=Ahead(17, 3),
        start=time(14),
        end=time(15, 30),
        online_url=MEET + "nkk-onlinetreffen",
        topics=("kommunale-waermeplanung",),
        agenda=(
            ("14:00", "Wie geht es nach dem Beschluss weiter?", "Erfahrungen aus Hürth"),
            ("14:45", "Umsetzungsstrategie und Fördermittel", ""),
        ),
        people=("nkk.huerth@example.org", "nkk.gl@example.org", "nkk.mitglied@example.org"),
    ),
    # --- Klima.Taten.Team Westpfalz -----------------------------------------------------------
    EventSpec(
        network="klima-taten-team-westpfalz",
        title="Online-Workshop des Klima.Taten.Teams: Jahresplanung 2022",
        kind=Kind.WORKSHOP,
        format=Format.ONLINE,
        when=date(2021, 12, 9),
        start=time(9, 30),
        end=time(12, 30),
        online_url=MEET + "klima-taten-team-workshop",
        description="Interaktiver Austausch online, moderiert vom Regionalbüro Westpfalz der Energieagentur.",
        topics=("photovoltaik", "mobilitaet", "bauleitplanung"),
        agenda=(
            ("09:30", "Begrüßung und Rückblick auf 2021", ""),
            ("09:50", "Jahresplanung 2022: Photovoltaik- und Wärmekampagnen", ""),
            ("10:45", "Kleingruppen: Energiemanagement und -controlling; Verstetigung", ""),
            ("11:45", "Stärken abgleichen: Wer kann was?", ""),
            ("12:15", "Ausblick: Klima.Taten.Talk ab Januar", ""),
        ),
        people=("ktt.kl@example.org", "ktt.kusel@example.org", "ktt.ps@example.org"),
        minutes=KTT_MINUTES,
        outcomes=(
            OutcomeSpec(A.DECISION, "Gemeinsame Photovoltaik- und Wärmekampagnen 2022 für Bürgerinnen und Bürger."),
            OutcomeSpec(A.DECISION, "Ab Januar alle zwei Wochen der Klima.Taten.Talk als Online-Sprechstunde."),
            OutcomeSpec(A.IDEA, "Eine Stärkenlandkarte: Wer im Netzwerk kennt sich mit welchem Thema aus?"),
        ),
    ),
    # --- The Klima.Taten.Team's campaigns for citizens (networks.campaigns.demo links them to the campaigns) ----
    EventSpec(
        network="klima-taten-team-westpfalz",
        title="Online-Abend der PV-Kampagne: Solarstrom vom eigenen Dach",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ONLINE,
        when=date(2022, 5, 10),
        start=time(19, 0),
        end=time(20, 30),
        online_url=MEET + "pv-kampagne-westpfalz",
        visibility=Visibility.PUBLIC,
        description="Ob sich eine Solaranlage auf Ihrem Dach lohnt, was sie kostet und wie Sie vorgehen: mit dem "
        "Solarkataster Rheinland-Pfalz und der Energieberatung der Verbraucherzentrale.",
        topics=("photovoltaik",),
        agenda=(
            ("19:00", "Begrüßung durch die Kommunen der PV-Kampagne", ""),
            ("19:10", "Das Solarkataster: Eignet sich mein Dach?", ""),
            ("19:40", "Kosten, Förderung und Wirtschaftlichkeit", ""),
            ("20:05", "Ihre Fragen", ""),
        ),
        people=("ktt.kl@example.org", "ktt.kusel@example.org", "ktt.ps@example.org"),
    ),
    EventSpec(
        network="klima-taten-team-westpfalz",
        title="Online-Abend der PV-Kampagne: Stecker-Solargeräte für Mieter*innen",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ONLINE,
        when=date(2022, 6, 21),
        start=time(19, 0),
        end=time(20, 30),
        online_url=MEET + "pv-kampagne-westpfalz",
        visibility=Visibility.PUBLIC,
        description="Balkon-PV: was erlaubt ist, was es bringt und wie die Anmeldung beim Netzbetreiber geht.",
        topics=("photovoltaik",),
        people=("ktt.kl@example.org", "ktt.kusel@example.org"),
    ),
    EventSpec(
        network="klima-taten-team-westpfalz",
        title="Infoabend der Wärmekampagne: Wärmepumpe im Bestand",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ONLINE,
        when=date(2022, 11, 8),
        start=time(19, 0),
        end=time(20, 30),
        online_url=MEET + "waermekampagne-westpfalz",
        visibility=Visibility.PUBLIC,
        description="Funktioniert eine Wärmepumpe auch im älteren Haus? Erfahrungen, Kosten, Förderung – und die "
        "Energieberatung vor Ort in Ihrer Kommune.",
        topics=("kommunale-waermeplanung",),
        people=("ktt.kl@example.org", "ktt.ps@example.org"),
    ),
    EventSpec(
        network="klima-taten-team-westpfalz",
        title="Online-Sprechstunde der Wärmekampagne: Fragen zum Heizungstausch",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ONLINE,
        when=date(2024, 1, 16),
        start=time(18, 0),
        end=time(19, 30),
        online_url=MEET + "waermekampagne-westpfalz",
        visibility=Visibility.PUBLIC,
        description="Energieberater*innen der Verbraucherzentrale beantworten Ihre Fragen zum Gebäudeenergiegesetz, "
        "zur Förderung und zur kommunalen Wärmeplanung.",
        topics=("kommunale-waermeplanung",),
        people=("ktt.kl@example.org",),
    ),
    # --- Difu practice workshops --------------------------------------------------------------
    EventSpec(
        network="difu-praxis-werkstaetten",
        title="Praxis-Werkstatt Klimaschutz-Monitoring in Rheinland-Pfalz",
        kind=Kind.PRACTICE_WORKSHOP,
        format=Format.ON_SITE,
        when=date(2023, 11, 22),
        start=time(10),
        end=time(16),
        venue="Energieagentur Rheinland-Pfalz, Regionalbüro Westpfalz",
        town="Kaiserslautern",
        capacity=30,
        visibility=Visibility.PUBLIC,
        description=(
            "Eintägige regionale Praxis-Werkstatt mit der Energieagentur Rheinland-Pfalz: von der Praxis für die "
            "Praxis zum Aufbau eines eigenen, fortschreibungsfähigen Klimaschutz-Monitorings."
        ),
        topics=("monitoring",),
        agenda=(
            ("10:00", "Warum Klimaschutz-Monitoring?", "Difu"),
            ("10:45", "Quantitative und qualitative Effekte von Maßnahmen erfassen", ""),
            ("12:30", "Mittagspause", ""),
            ("13:30", "Praxisbeispiele aus Kommunen", ""),
            ("15:00", "Über den Fortschritt berichten: Tue Gutes und sprich darüber", ""),
        ),
        people=("ktt.koordination@example.org", "ktt.kl@example.org"),
    ),
    EventSpec(
        network="difu-praxis-werkstaetten",
        title="Praxis-Werkstatt Klimaschutz-Monitoring im Rheinland",
        kind=Kind.PRACTICE_WORKSHOP,
        format=Format.ON_SITE,
        when=date(2024, 5, 15),
        start=time(10),
        end=time(16),
        venue="Stadthaus Bonn",
        town="Bonn",
        capacity=30,
        visibility=Visibility.PUBLIC,
        description=(
            "Eintägige regionale Praxis-Werkstatt: Kommunen tauschen Erfahrungen aus, wie sie die Wirksamkeit "
            "ihres Klimaschutzes systematisch messen und transparent darüber berichten."
        ),
        topics=("monitoring",),
        agenda=(
            ("10:00", "Begrüßung und Einführung", "Difu"),
            ("10:30", "Monitoring aufbauen: Ziele, Ressourcen, Strukturen", ""),
            ("13:30", "Werkstatt: Indikatoren für die eigenen Maßnahmen", ""),
            ("15:30", "Quintessenz und Praxistransfer", ""),
        ),
        people=("nkk.koordination@example.org", "dueren.koordination@example.org"),
    ),
    # --- Klima-Roadmap Kreis Düren ------------------------------------------------------------
    EventSpec(
        network="klima-roadmap-kreis-dueren",
        title="Auftaktveranstaltung Klima-Roadmap Kreis Düren",
        kind=Kind.KICK_OFF,
        format=Format.ON_SITE,
        when=date(2024, 4, 25),
        start=time(17),
        end=time(20),
        **KREISHAUS_DUEREN,
        visibility=Visibility.PUBLIC,
        description=(
            "Der Kreis Düren will bis 2035 klimaneutral werden. Zum Auftakt der Klima-Roadmap kommen relevante "
            "Akteur*innen vor Ort zusammen; Lots* begleitet den Beteiligungsprozess."
        ),
        topics=("beteiligung",),
        agenda=(
            ("17:00", "Begrüßung durch den Kreis Düren", ""),
            ("17:20", "Klimaneutral bis 2035: Was heißt das für den Kreis?", ""),
            ("18:00", "Beteiligungskonzept für Stakeholder*innen und Bürger*innen", "Lots*"),
            ("18:45", "Themeninseln: Industrie, Gebäude, Mobilität, Alltag", ""),
        ),
        people=("buerger@example.org",),
    ),
    EventSpec(
        network="klima-roadmap-kreis-dueren",
        title="Erster Workshop vor Ort: Maßnahmen für die Klima-Roadmap",
        kind=Kind.WORKSHOP,
        format=Format.ON_SITE,
        when=date(2024, 6, 13),
        start=time(14),
        end=time(18),
        **KREISHAUS_DUEREN,
        description=(
            "Stakeholder*innen erarbeiten fundierte und realisierbare Maßnahmen, von den kleinen Dingen vor der "
            "eigenen Haustür bis zum Klimaschutz in der Industrie."
        ),
        topics=("beteiligung", "energiemanagement"),
        agenda=(
            ("14:00", "Rückblick auf die Auftaktveranstaltung", ""),
            ("14:30", "Arbeitsgruppen nach Handlungsfeldern", ""),
            ("16:30", "Maßnahmenvorschläge vorstellen und bewerten", ""),
        ),
        people=("dueren.koordination@example.org",),
    ),
    EventSpec(
        network="klima-roadmap-kreis-dueren",
        title="Bürgerwerkstatt Klima-Roadmap: Die kleinen Dinge vor der Haustür",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ON_SITE,
        when=Ahead(33, 1),
        start=time(18),
        end=time(20, 30),
        **KREISHAUS_DUEREN,
        capacity=40,
        visibility=Visibility.PUBLIC,
        deadline_days=3,
        description=(
            "Bürgerinnen und Bürger bringen ihre Ideen für die Klima-Roadmap ein: Was kann jede und jeder vor der "
            "eigenen Haustür tun, und was braucht es dafür vom Kreis?"
        ),
        topics=("beteiligung", "mobilitaet"),
        agenda=(
            ("18:00", "Die Klima-Roadmap in zehn Minuten", ""),
            ("18:15", "Ideentische: Wohnen, Unterwegs, Einkaufen, Garten", ""),
            ("20:00", "Ergebnisse und wie es weitergeht", ""),
        ),
        people=("buerger@example.org",),
    ),
]

TALK_TITLE = "Klima.Taten.Talk"
# (author, text, anonymous, topic, answer): answered on past dates (the FAQ), open ones for the next date.
TALK_FAQ = [
    (
        "ktt.ps@example.org",
        "Welche Förderung gibt es, wenn unser Klimaschutzmanagement ausläuft?",
        False,
        "verstetigung",
        "Die Kommunalrichtlinie der Nationalen Klimaschutzinitiative fördert nach dem Erstvorhaben ein "
        "Anschlussvorhaben. Wichtig ist, den Antrag rechtzeitig vor dem Ende des laufenden Vorhabens zu stellen. "
        "Die Kleingruppe Verstetigung hat eine Checkliste, die wir gern weitergeben.",
    ),
    (
        "ktt.kl@example.org",
        "Wie bauen wir ein Energiemanagement für unsere Liegenschaften auf, wenn wir kaum Personal haben?",
        False,
        "energiemanagement",
        "Klein anfangen: die Verbräuche der größten Liegenschaften monatlich erfassen und auswerten. Der "
        "Landkreis Kusel hat Kom.EMS eingeführt und berichtet gern in der Kleingruppe Energiemanagement.",
    ),
    (
        "ktt.kusel@example.org",
        "Wie bringen wir Klimaschutz in Bebauungspläne, ohne das Verfahren zu verzögern?",
        True,
        "bauleitplanung",
        "Mit einem Klimacheck früh im Verfahren, bevor der Entwurf steht. Die Stadt Pirmasens nutzt eine "
        "Checkliste für alle Bebauungspläne und stellt sie im nächsten Talk vor.",
    ),
]
TALK_OPEN_QUESTIONS = [
    (
        "ktt.kusel@example.org",
        "Wie erklären wir die Ergebnisse der kommunalen Wärmeplanung den Bürgerinnen und Bürgern?",
        False,
        "kommunale-waermeplanung",
    ),
    (
        "ktt.ps@example.org",
        "Gibt es Erfahrungen mit Photovoltaik auf denkmalgeschützten Gebäuden?",
        True,
        "photovoltaik",
    ),
]


def load(*, stdout=None) -> None:
    """Create (or find) the demo events. Their emails go to the outbox but are neither printed nor logged."""
    with _quiet_email(), transaction.atomic():
        _extra_people()
        people = {
            p.user.email: p for p in Person.objects.filter(user__email__endswith="@example.org").select_related("user")
        }
        for spec in EVENTS:
            _event(spec, people)
        _office_hours(people)
        _working_group_follow_up(people)
    if stdout is not None:
        stdout.write(
            f"Demo events: {Event.objects.count()} events, {EventSeries.objects.count()} series, "
            f"{Registration.objects.count()} registrations ({_waiting()} waiting)."
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


def _waiting() -> int:
    return Registration.objects.filter(status=Registration.Status.WAITING).count()


def _extra_people() -> None:
    for email, name, org_slug, job, network_slug in EXTRA_PEOPLE:
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        person = Person.objects.filter(user=user).first()
        if person is None:
            person = Person.objects.create(
                user=user, name=name, job_title=job, organisation=Organisation.objects.get(slug=org_slug)
            )
        NetworkRole.objects.get_or_create(
            network=Network.objects.get(slug=network_slug),
            person=person,
            defaults={"role": NetworkRole.Role.MEMBER, "since": date(2023, 6, 7)},
        )


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _times(spec: EventSpec, today: date) -> tuple[datetime, datetime]:
    day = spec.when.day(today) if isinstance(spec.when, Ahead) else spec.when
    return _aware(day, spec.start), _aware(day, spec.end)


GROUP = "Kommunales Energiemanagement und -controlling"
GROUP_MEETING = "AG Energiecontrolling: Software im Vergleich"
GROUP_TASK = "Marktübersicht Software für Energiecontrolling zusammenstellen (Anbieter, Kosten, Schnittstellen)"
GROUP_COMMENT = (
    "Erste Liste mit fünf Anbietern steht, die Preise für Kommunen unter 20.000 Einwohner:innen folgen bis zum "
    "AG-Treffen."
)


def _working_group_follow_up(people: dict[str, Person]) -> None:
    """The KTT's energy-management group: its next meeting, an action item without an event, with a comment."""
    network = Network.objects.get(slug="klima-taten-team-westpfalz")
    group = WorkingGroup.objects.filter(network=network, name=GROUP).first()
    if group is None:
        return
    by, owner = _coordinator(network), people["ktt.kusel@example.org"]
    if not Event.objects.filter(network=network, title=GROUP_MEETING).exists():
        starts_at = _aware(timezone.localdate() + timedelta(days=16), time(14))
        event = Event(
            network=network,
            title=GROUP_MEETING,
            kind=Kind.WORKSHOP,
            format=Format.ONLINE,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1, minutes=30),
            online_url="https://meet.example.org/ktt-ag-energiecontrolling",
            visibility=Visibility.NETWORK,
            description="Die AG vergleicht Software für das kommunale Energiecontrolling.",
            working_group=group,
        )
        services.event_create(event=event, topics=Topic.objects.filter(slug="energiemanagement"), agenda=[], by=by)
    item = Outcome.objects.filter(network=network, text=GROUP_TASK).first()
    if item is None:
        item = services.outcome_save(
            outcome=Outcome(
                network=network,
                kind=Outcome.Kind.ACTION,
                text=GROUP_TASK,
                owner_person=owner,
                due_date=timezone.localdate() + timedelta(days=12),
                working_group=group,
            ),
            by=by,
        )
    if not item.comments.exists():
        services.task_comment_add(item=item, author=owner, text=GROUP_COMMENT)


def _coordinator(network: Network) -> Person | None:
    role = network.roles.filter(role=NetworkRole.Role.COORDINATOR).select_related("person").first()
    return role.person if role else None


def _event(spec: EventSpec, people: dict[str, Person]) -> Event:
    network = Network.objects.get(slug=spec.network)
    by = _coordinator(network)
    starts_at, ends_at = _times(spec, timezone.localdate())
    deadline = starts_at - timedelta(days=spec.deadline_days) if spec.deadline_days else None
    event = Event.objects.filter(network=network, title=spec.title, series=None).first()
    if event is None:
        event = services.event_create(
            event=Event(
                network=network,
                title=spec.title,
                kind=spec.kind,
                format=spec.format,
                starts_at=starts_at,
                ends_at=ends_at,
                registration_deadline=deadline,
                venue=spec.venue,
                room=spec.room,
                street=spec.street,
                postcode=spec.postcode,
                town=spec.town,
                step_free=spec.step_free,
                hearing_loop=spec.hearing_loop,
                accessibility_notes=spec.accessibility_notes,
                transit_notes=spec.transit_notes,
                online_url=spec.online_url,
                capacity=spec.capacity,
                visibility=spec.visibility,
                description=spec.description,
            ),
            topics=Topic.objects.filter(slug__in=spec.topics),
            agenda=[{"time": time.fromisoformat(t), "title": title, "note": note} for t, title, note in spec.agenda],
            by=by,
        )
    elif starts_at > timezone.now() and event.is_past:
        # An upcoming demo event that is over by now moves ahead again: the demo stays current.
        Event.objects.filter(pk=event.pk).update(
            starts_at=starts_at, ends_at=ends_at, registration_deadline=deadline, sequence=F("sequence") + 1
        )
        event.refresh_from_db()
    if event.is_past:
        _attended(event, [people[email] for email in spec.people])
    elif not event.registrations.exists():
        for email in spec.people:
            services.registration_register(event=event, person=people[email])
    if spec.minutes and event.minutes_published_at is None:
        services.minutes_save(event=event, text=spec.minutes, publish=True, by=by)
        published = min(event.ends_at + timedelta(days=5), timezone.now())
        Event.objects.filter(pk=event.pk).update(minutes_published_at=published)
    for outcome in spec.outcomes:
        _outcome(event, outcome, people)
    return event


def _attended(event: Event, persons: list[Person]) -> None:
    for person in persons:
        Registration.objects.get_or_create(
            event=event,
            person=person,
            defaults={"status": Registration.Status.ATTENDED, "queued_at": event.starts_at - timedelta(days=14)},
        )


def _outcome(event: Event, spec: OutcomeSpec, people: dict[str, Person]) -> Outcome:
    due = timezone.localdate() + timedelta(days=spec.due) if isinstance(spec.due, int) else spec.due
    outcome, created = Outcome.objects.get_or_create(
        event=event,
        kind=spec.kind,
        text=spec.text,
        defaults={
            "network": event.network,
            "owner_person": people[spec.person] if spec.person else None,
            "owner_organisation": Organisation.objects.get(slug=spec.organisation) if spec.organisation else None,
            "due_date": due,
        },
    )
    if created and spec.done:
        services.outcome_set_status(outcome=outcome, status=Outcome.Status.DONE)
    return outcome


def _office_hours(people: dict[str, Person]) -> EventSeries:
    """The Klima.Taten.Talk: online every second week since January 2022, with its FAQ."""
    network = Network.objects.get(slug="klima-taten-team-westpfalz")
    series = EventSeries.objects.filter(network=network, title=TALK_TITLE).first()
    if series is None:
        series = services.series_create(
            series=EventSeries(
                network=network,
                title=TALK_TITLE,
                kind=Kind.OFFICE_HOUR,
                format=Format.ONLINE,
                online_url=MEET + "klima-taten-talk",
                description=(
                    "Die Online-Sprechstunde des Regionalbüros Westpfalz für die kommunalen Klimaschutz-Beschäftigten: "
                    "alle zwei Wochen kurz und regelmäßig zu aktuellen Themen. Fragen können vorab eingereicht werden."
                ),
                frequency=EventSeries.Frequency.WEEKLY,
                interval=2,
                weekday=EventSeries.Weekday.TUESDAY,
                first_date=date(2022, 1, 11),
                start_time=time(10),
                end_time=time(11),
                registration_closes_hours=1,
            ),
            topics=Topic.objects.filter(slug__in=["verstetigung", "energiemanagement"]),
            by=_coordinator(network),
        )
    # The last four weeks' dates exist too (they carry the FAQ), then six months ahead as usual.
    today = timezone.localdate()
    services.series_materialise(series, today=today - timedelta(weeks=4))
    services.series_materialise(series, today=today)
    now = timezone.now()
    past = list(series.occurrences.filter(ends_at__lt=now).order_by("-starts_at")[:2])
    for occurrence in past:
        _attended(occurrence, [people[e] for e in ("ktt.kl@example.org", "ktt.kusel@example.org")])
    coordinator = _coordinator(network)
    if past:
        for i, (author, text, anonymous, topic, answer) in enumerate(TALK_FAQ):
            occurrence = past[i % len(past)]
            question, _created = Question.objects.get_or_create(
                network=network,
                text=text,
                defaults={
                    "event": occurrence,
                    "author": people[author],
                    "anonymous": anonymous,
                    "topic": Topic.objects.get(slug=topic),
                },
            )
            if not question.is_answered:
                services.question_answer(question=question, answer=answer, by=coordinator)
                Question.objects.filter(pk=question.pk).update(answered_at=question.event.ends_at)
    upcoming = series.occurrences.filter(starts_at__gt=now).exclude(status=Event.Status.CANCELLED).first()
    if upcoming is not None:
        if not upcoming.registrations.exists():
            for email in ("ktt.kl@example.org", "ktt.kusel@example.org"):
                services.registration_register(event=upcoming, person=people[email])
        if not upcoming.questions.exists():
            for author, text, anonymous, topic in TALK_OPEN_QUESTIONS:
                services.question_ask(
                    event=upcoming,
                    person=people[author],
                    text=text,
                    anonymous=anonymous,
                    topic=Topic.objects.get(slug=topic),
                )
    return series
