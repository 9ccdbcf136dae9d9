"""Demo documents for the networks' libraries (issue 15, Demo), loaded by ``manage.py load_demo`` after the apps'
demos. Small generated PDFs (agendas, slides, minutes) and CSV/TXT files with real words inside, among them last
spring's slides of the Klima.Taten.Team ("Folien Frühjahrstreffen 2026"), whose text (not its title) speaks of
the "Dachflächenpotenzial": the search finds them by that word. Text is extracted at load, synchronously.

Idempotent: folders are found by (network, group, parent, name), documents by (network, title); nothing is
duplicated when the command runs again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from networks.library import services, sources, tasks, texts
from networks.library.models import Document, DocumentVersion, Folder
from networks.library.pdf import minimal_pdf
from networks.models import Network, Person, WorkingGroup

BERLIN = ZoneInfo("Europe/Berlin")


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BERLIN)


SLIDES_SPRING = minimal_pdf(
    [
        ("Frühjahrstreffen 2026 des Klima.Taten.Teams", ["Online, 18. März 2026", "Energieagentur Rheinland-Pfalz"]),
        (
            "PV-Kampagne: wo lohnt sich Solar?",
            [
                "Dachflächenpotenzial aus dem Solarkataster Rheinland-Pfalz:",
                "Landkreis Kusel: rund 60 % der Wohngebäude geeignet",
                "Pirmasens: Schwerpunkt Gewerbedächer",
                "Vorschlag: gemeinsame Informationsabende im Mai",
            ],
        ),
        (
            "Kleingruppen",
            [
                "Energiemanagement und -controlling: Erfahrungen mit Software-Lösungen teilen",
                "Verstetigung des Klimaschutzmanagements: Stellenanträge und Ratsbeschlüsse",
            ],
        ),
    ],
    title="Folien Frühjahrstreffen 2026",
)

AGENDA_WORKSHOP = minimal_pdf(
    [
        (
            "Tagesordnung: Jahresplanungsworkshop",
            [
                "10:00 Begrüßung und Rückblick auf die Kampagnen des Jahres",
                "10:30 Gemeinsame Jahresplanung: PV- und Wärmekampagne",
                "11:30 Mobilität und Klimaschutz in der Bauleitplanung",
                "12:15 Klima.Taten.Talk: Themen für die Sprechstunden",
                "12:45 Verabredungen und Abschluss",
            ],
        )
    ],
    title="Tagesordnung Jahresplanungsworkshop",
)

KEK_KICKOFF = minimal_pdf(
    [
        (
            "Kick-off des KEK im Umweltamt",
            [
                "7. Juni 2023, Umweltamt der Stadt Dortmund",
                "Handlungsprogramm Klima-Luft 2030",
                "Treibhausgasneutralität bis 2035",
                "Externes Netzwerkmanagement, gefördert durch die NKI",
            ],
        ),
        ("Nächste Schritte", ["Eigene Klimaschutzziele der Mitgliedsorganisationen", "Regelmäßige Netzwerktreffen"]),
    ],
    title="Folien Kick-off",
)

KEK_GUIDE_V1 = minimal_pdf(
    [
        (
            "Leitfaden: Eigene Klimaschutzziele",
            ["1. Ausgangsbilanz erstellen", "2. Zieljahr festlegen", "3. Maßnahmen und Zwischenziele benennen"],
        )
    ],
    title="Leitfaden Klimaschutzziele",
)
KEK_GUIDE_V2 = minimal_pdf(
    [
        (
            "Leitfaden: Eigene Klimaschutzziele (überarbeitet)",
            [
                "1. Ausgangsbilanz erstellen (Scope 1 und 2, möglichst Scope 3)",
                "2. Zieljahr festlegen: spätestens 2035, wie die Stadt Dortmund",
                "3. Maßnahmen und Zwischenziele benennen",
                "4. Jährlich berichten: im KEK-Netzwerktreffen",
            ],
        )
    ],
    title="Leitfaden Klimaschutzziele",
)

NKK_MINUTES = minimal_pdf(
    [
        (
            "Protokoll: NKK-Präsenztreffen am 30. Januar 2025",
            [
                "Ort: Geschäftsstelle des Region Köln/Bonn e. V.",
                "Größte Herausforderung: die kommunale Wärmeplanung",
                "Stand sehr unterschiedlich: Büro beauftragt, Potenzialanalyse, Zielszenario, Ratsbeschluss offen",
                "Zieljahre der Klimaneutralität liegen weit auseinander (2035 bis 2045)",
            ],
        )
    ],
    title="Protokoll NKK-Präsenztreffen",
)

NKK_HEAT_CSV = (
    "Kommune;Stand der Wärmeplanung;Nächster Schritt\n"
    "Bonn;Zielszenario;Ratsbeschluss vorbereiten\n"
    "Troisdorf;Potenzialanalyse;Beteiligung der Stadtwerke\n"
    "Hürth;Büro beauftragt;Bestandsanalyse\n"
    "Bergisch Gladbach;abgeschlossen;Beschluss durch den Rat steht aus\n"
    "Alfter;Ausschreibung;Konvoi mit Nachbargemeinden prüfen\n"
).encode()

NKK_OFFERS_CSV = (
    "Büro;Leistung;Preisspanne (netto)\n"
    "Büro A;Bestands- und Potenzialanalyse, Zielszenario;60.000–75.000 €\n"
    "Büro B;wie A, mit Beteiligung der Öffentlichkeit;80.000–95.000 €\n"
    "Büro C;Konvoi für drei Kommunen;150.000–170.000 €\n"
).encode()

KTT_SOFTWARE_CSV = (
    "Software;Kommune;Erfahrung\n"
    "Energiecontrolling-Software A;Landkreis Kusel;seit 2021, Zählerdaten monatlich\n"
    "Tabellenlösung;Stadt Kaiserslautern;Übergang geplant\n"
    "Energiecontrolling-Software B;Stadt Pirmasens;Testphase\n"
).encode()

# (network slug, working group name or None, folder path, title, file name, content, uploader email, when,
#  later versions [(file name, content, uploader, when, comment)])
DOCUMENTS = [
    (
        "klima-taten-team-westpfalz",
        None,
        ["Netzwerktreffen"],
        "Folien Frühjahrstreffen 2026",
        "Folien_Fruehjahrstreffen_2026.pdf",
        SLIDES_SPRING,
        "ktt.koordination@example.org",
        _at(2026, 3, 18, 14),
        [],
    ),
    (
        "klima-taten-team-westpfalz",
        None,
        ["Jahresplanung"],
        "Tagesordnung Jahresplanungsworkshop",
        "Tagesordnung_Jahresplanung.pdf",
        AGENDA_WORKSHOP,
        "ktt.koordination@example.org",
        _at(2026, 11, 20),
        [],
    ),
    (
        "klima-taten-team-westpfalz",
        "Kommunales Energiemanagement und -controlling",
        [],
        "Erfahrungen mit Energiecontrolling-Software",
        "Energiecontrolling_Software.csv",
        KTT_SOFTWARE_CSV,
        "ktt.kusel@example.org",
        _at(2026, 9, 2),
        [],
    ),
    (
        "kek-dortmund",
        None,
        ["Netzwerktreffen", "2023"],
        "Folien Kick-off im Umweltamt",
        "KEK_Kickoff_Folien.pdf",
        KEK_KICKOFF,
        "kek.koordination@example.org",
        _at(2023, 6, 8),
        [],
    ),
    (
        "kek-dortmund",
        "Eigene Klimaschutzziele der Mitgliedsorganisationen",
        [],
        "Leitfaden: Eigene Klimaschutzziele",
        "Leitfaden_Klimaschutzziele.pdf",
        KEK_GUIDE_V1,
        "kek.koordination@example.org",
        _at(2026, 2, 10),
        [
            (
                "Leitfaden_Klimaschutzziele_v2.pdf",
                KEK_GUIDE_V2,
                "kek.mitglied@example.org",
                _at(2026, 4, 22),
                "Zieljahr und jährlicher Bericht ergänzt",
            )
        ],
    ),
    (
        "nkk-koeln-bonn",
        None,
        ["Treffen"],
        "Protokoll Präsenztreffen 30. Januar 2025",
        "Protokoll_NKK_2025-01-30.pdf",
        NKK_MINUTES,
        "nkk.koordination@example.org",
        _at(2025, 2, 3),
        [],
    ),
    (
        "nkk-koeln-bonn",
        "Kommunale Wärmeplanung",
        [],
        "Stand der Wärmeplanung in den Mitgliedskommunen",
        "Stand_Waermeplanung.csv",
        NKK_HEAT_CSV,
        "nkk.mitglied@example.org",
        _at(2026, 10, 14),
        [],
    ),
    (
        "nkk-koeln-bonn",
        "Steuerungsgruppe Wärmeplanung",  # a closed group's document
        ["Ausschreibung"],
        "Markterkundung Wärmeplanung: Preisspannen",
        "Markterkundung_Waermeplanung.csv",
        NKK_OFFERS_CSV,
        "nkk.koordination@example.org",
        _at(2026, 11, 30),
        [],
    ),
]


def _folder(network: Network, group: WorkingGroup | None, path: list[str], by: Person | None) -> Folder | None:
    parent = None
    for name in path:
        found = Folder.objects.filter(network=network, working_group=group, parent=parent, name=name).first()
        parent = found or services.folder_create(
            network=network, name=name, created_by=by, parent=parent, working_group=group
        )
    return parent


def _document(spec, people: dict[str, Person]) -> tuple[Document, bool]:
    slug, group_name, path, title, name, content, email, when, versions = spec
    network = Network.objects.get(slug=slug)
    existing = Document.objects.filter(network=network, title=title).first()
    if existing is not None:
        return existing, False
    group = WorkingGroup.objects.filter(network=network, name=group_name).first() if group_name else None
    by = people.get(email)
    folder = _folder(network, group, path, by)
    document = services.document_store(
        network=network, working_group=group, folder=folder, uploaded_by=by, name=name, content=content, title=title
    )
    DocumentVersion.objects.filter(document=document).update(uploaded_at=when)
    last = when
    for file_name, data, uploader, at, comment in versions:
        version = services.document_version_add(
            document=document, uploaded_by=people.get(uploader), name=file_name, content=data, comment=comment
        )
        DocumentVersion.objects.filter(pk=version.pk).update(uploaded_at=at)
        last = at
    Document.objects.filter(pk=document.pk).update(created_at=when, updated_at=last)
    return document, True


def load(*, stdout=None) -> None:
    trace = logging.getLogger("celery.app.trace")  # no "Task ... succeeded" line per eager extraction
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        _load(stdout)
    finally:
        trace.setLevel(level)


def _load(stdout) -> None:
    people = {
        p.user.email: p for p in Person.objects.filter(user__email__endswith="@example.org").select_related("user")
    }
    created = 0
    with transaction.atomic():
        documents = []
        for spec in DOCUMENTS:
            if not Network.objects.filter(slug=spec[0]).exists():
                continue
            document, new = _document(spec, people)
            documents.append(document)
            created += new
    for name in DocumentVersion.objects.filter(document__in=documents).values_list("file", flat=True):
        texts.extract_file(name)  # synchronously: the search finds them by their words at once
    for source in sources.all_sources():  # the apps' documents shown in the library (the events' slides)
        if source.demo is not None:
            created += source.demo()
    for name in tasks.files_without_text(limit=1000):
        texts.extract_file(name)
    if stdout is not None:
        stdout.write(
            f"Demo library: {Document.objects.count()} documents ({created} new), {Folder.objects.count()} folders."
        )
