"""Demo data of the council link: Kreis Düren's council information system with invented but plausible papers
and consultations (the Kreistag adopts the roadmap on 27 March 2025, the day its measures were entered), loaded
directly: the endpoint is marked as example data and never read (no real council information system is called).

Balkon-PV für Mieter*innen (PH-01) is linked to its funding guideline, adopted by the Kreistag; the Indeland solar
park (EV-01) to a paper whose next consultation came after the link (it shows as new on the editor page).
Idempotent: objects by (endpoint, OParl id), links by (measure, paper); loading again moves the upcoming meeting
with the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from measures.council.models import (
    CouncilConsultation,
    CouncilEndpoint,
    CouncilLink,
    CouncilMeeting,
    CouncilOrganization,
    CouncilPaper,
    CouncilSystem,
)
from measures.models import Measure
from networks.models import Organisation

BERLIN = ZoneInfo("Europe/Berlin")
BASE = "https://ratsinfo.kreis-dueren.example/oparl/v1"
WEB = "https://ratsinfo.kreis-dueren.example/vorgang"
ROADMAP = "klima-roadmap-kreis-dueren"

COMMITTEES = {
    "kt": "Kreistag",
    "ka": "Kreisausschuss",
    "uka": "Ausschuss für Umwelt, Klimaschutz und Mobilität",
}
# reference, title, type, date, [(committee, meeting day (a date, or days from today), role, authoritative, result)]
PAPERS = [
    (
        "2025/0387",
        "Klima-Roadmap Kreis Düren 2035: Beschluss des Maßnahmenprogramms",
        "Beschlussvorlage",
        date(2025, 2, 24),
        [
            ("uka", date(2025, 3, 12), "Vorberatung", False, "Einstimmig empfohlen"),
            ("kt", date(2025, 3, 27), "Beschlussfassung", True, "Beschlossen"),
        ],
    ),
    (
        "2025/0412",
        "Förderrichtlinie Steckersolargeräte (Balkon-PV) für Mieter*innen",
        "Beschlussvorlage",
        date(2025, 2, 28),
        [
            ("ka", date(2025, 3, 18), "Vorberatung", False, "Empfohlen"),
            ("kt", date(2025, 3, 27), "Beschlussfassung", True, "Geändert beschlossen"),
        ],
    ),
    (
        "2025/0518",
        "Solarpark Indeland: Flächensicherung und Beteiligungsmodell für Bürger*innen und Kommunen",
        "Mitteilungsvorlage",
        date(2025, 9, 2),
        [
            ("uka", date(2025, 9, 17), "Kenntnisnahme", False, "Zur Kenntnis genommen"),
            ("uka", 21, "Vorberatung", False, ""),
        ],
    ),
    ("2025/0233", "Kommunale Wärmeplanung: Beauftragung eines Fachbüros", "Beschlussvorlage", date(2025, 1, 20), []),
    ("2024/0911", "Radverkehrskonzept Kreis Düren – Fortschreibung", "Beschlussvorlage", date(2024, 10, 7), []),
    ("2025/0102", "Haushaltssatzung 2025 mit Klimaschutzbudget", "Beschlussvorlage", date(2025, 1, 13), []),
]
LINKS = [("PH-01", "2025/0412"), ("EV-01", "2025/0518")]


def _day(value, today: date) -> date:
    return value if isinstance(value, date) else today + timedelta(days=value)


def _committees(endpoint: CouncilEndpoint) -> None:
    for key, name in COMMITTEES.items():
        CouncilOrganization.objects.update_or_create(
            endpoint=endpoint, oparl_id=f"{BASE}/organization/{key}", defaults={"name": name}
        )


def _paper(endpoint: CouncilEndpoint, spec, today: date) -> CouncilPaper:
    reference, title, kind, day, consultations = spec
    number = reference.replace("/", "-")
    paper, _ = CouncilPaper.objects.update_or_create(
        endpoint=endpoint,
        oparl_id=f"{BASE}/paper/{number}",
        defaults={
            "reference": reference,
            "name": title,
            "paper_type": kind,
            "date": day,
            "web_url": f"{WEB}/{number}",
            "files": [{"name": f"Vorlage {reference}", "url": f"{WEB}/{number}/vorlage.pdf"}],
        },
    )
    for position, (committee, when, role, authoritative, result) in enumerate(consultations):
        meeting_day = _day(when, today)
        meeting, _ = CouncilMeeting.objects.update_or_create(
            endpoint=endpoint,
            oparl_id=f"{BASE}/meeting/{committee}-{meeting_day:%Y%m%d}",
            defaults={
                "name": f"Sitzung: {COMMITTEES[committee]}",
                "start": datetime.combine(meeting_day, time(17), tzinfo=BERLIN),
                "organization_ids": [f"{BASE}/organization/{committee}"],
            },
        )
        CouncilConsultation.objects.update_or_create(
            endpoint=endpoint,
            oparl_id=f"{BASE}/consultation/{number}-{position}",
            defaults={
                "paper": paper,
                "meeting_url": meeting.oparl_id,
                "organization_ids": [f"{BASE}/organization/{committee}"],
                "role": role,
                "authoritative": authoritative,
                "meeting_name": meeting.name,
                "meeting_date": meeting_day,
                "organization_name": COMMITTEES[committee],
                "result": result,
            },
        )
    return paper


def _link(endpoint: CouncilEndpoint, code: str, reference: str, now: datetime) -> None:
    measure = Measure.objects.filter(roadmap__slug=ROADMAP, code=code).first()
    paper = CouncilPaper.objects.get(endpoint=endpoint, reference=reference)
    if measure is None:
        return
    link = CouncilLink.objects.filter(measure=measure, paper=paper, milestone=None, consultation=None).first()
    if link is None:
        link = CouncilLink.objects.create(measure=measure, paper=paper)
    # linked a month ago; every consultation was read before, except a meeting still to come
    CouncilLink.objects.filter(pk=link.pk).update(created_at=now - timedelta(days=30))
    consultations = CouncilConsultation.objects.filter(paper=paper)
    consultations.update(first_seen_at=now - timedelta(days=40))
    consultations.filter(meeting_date__gt=now.date()).update(first_seen_at=now - timedelta(days=2))


@transaction.atomic
def load(*, stdout=None) -> None:
    organisation = Organisation.objects.filter(slug="kreis-dueren").first()
    if organisation is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    system, _ = CouncilSystem.objects.update_or_create(
        system_url=f"{BASE}/system",
        defaults={"name": "Ratsinformationssystem Kreis Düren (Beispiel)", "vendor": "Beispiel-Hersteller"},
    )
    endpoint, _ = CouncilEndpoint.objects.update_or_create(
        organisation=organisation,
        defaults={
            "system": system,
            "system_url": system.system_url,
            "body_url": f"{BASE}/body/1",
            "body_name": "Kreis Düren",
            "is_demo": True,
            "last_sync_at": now - timedelta(hours=7),
            "last_success_at": now - timedelta(hours=7),
            "last_error": "",
        },
    )
    _committees(endpoint)
    for spec in PAPERS:
        _paper(endpoint, spec, today)
    for code, reference in LINKS:
        _link(endpoint, code, reference, now)
    if stdout is not None:
        stdout.write(f"Council (OParl, example data): {len(PAPERS)} papers of Kreis Düren, {len(LINKS)} links.")
