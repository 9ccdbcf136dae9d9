"""Demo of campaign key figures (issue 17 §5): the Klima.Taten.Team Westpfalz's PV campaign (2022, finished) and
heat campaign (running since October 2022) with figures per participating municipality and quarter, invented but
plausible (the seeds name the campaigns and their online evenings, not their numbers), and what belongs to each
campaign: its online evenings (events.demo), its flyer and evaluation in the network's library and the
announcements the coordination sent at the time (made here, dated as they were sent, no email now), linked as the
coordinators would. Idempotent: figures by campaign and name, values by figure, organisation and quarter,
documents and announcements by network and title, links by campaign and item."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from networks.campaigns import links, selectors
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure
from networks.library.pdf import minimal_pdf
from networks.models import Campaign

NETWORK = "klima-taten-team-westpfalz"
FIGURES = {
    "PV-Kampagne Westpfalz": [
        ("Installierte PV-Leistung", "kWp", "Neu gemeldete Dachanlagen im Gebiet (Marktstammdatenregister)", 80, 420),
        ("Energieberatungen Photovoltaik", "Beratungen", "Beratungen der Verbraucherzentrale und der Kommune", 12, 60),
        ("Veranstaltungen", "Veranstaltungen", "Online-Abende und Vor-Ort-Termine", 1, 3),
        ("Teilnehmende", "Personen", "Teilnehmende an den Veranstaltungen", 25, 140),
    ],
    "Wärmekampagne Westpfalz": [
        ("Energieberatungen Heizungstausch", "Beratungen", "Beratungen zu Heizungstausch und Wärmepumpe", 10, 55),
        ("Veranstaltungen", "Veranstaltungen", "Infoabende, Quartiersspaziergänge, Online-Sprechstunden", 0, 3),
        ("Teilnehmende", "Personen", "Teilnehmende an den Veranstaltungen", 0, 120),
    ],
}
KTT_COORDINATION = "ktt.koordination@example.org"
BERLIN = ZoneInfo("Europe/Berlin")
PV_FLYER = minimal_pdf(
    [
        (
            "PV-Kampagne Westpfalz 2022: Solarstrom vom eigenen Dach",
            [
                "Landkreis Kaiserslautern, Landkreis Kusel, Stadt Kaiserslautern, Stadt Pirmasens",
                "Eignet sich Ihr Dach? Das Solarkataster Rheinland-Pfalz zeigt es.",
                "Kostenlose Energieberatung der Verbraucherzentrale in Ihrer Kommune",
                "Online-Abende am 10. Mai und 21. Juni 2022, jeweils 19 Uhr",
            ],
        )
    ],
    title="Flyer PV-Kampagne Westpfalz 2022",
)
PV_REPORT = minimal_pdf(
    [
        (
            "Auswertung der PV-Kampagne 2022",
            [
                "Neu gemeldete Dachanlagen je Kommune und Quartal (Marktstammdatenregister)",
                "Energieberatungen Photovoltaik, Teilnehmende an den Online-Abenden",
                "Für den Verwendungsnachweis: Export der Kennzahlen aus dem Portal",
            ],
        )
    ],
    title="Auswertung PV-Kampagne 2022",
)
HEAT_CHECKLIST = minimal_pdf(
    [
        (
            "Checkliste Heizungstausch für die Energieberatung",
            [
                "Baujahr, Dämmstand und Heizkörper: Eignet sich eine Wärmepumpe?",
                "Kommunale Wärmeplanung: Ist ein Wärmenetz geplant?",
                "Förderung der Bundesförderung für effiziente Gebäude (BEG)",
            ],
        )
    ],
    title="Checkliste Heizungstausch",
)
# campaign: [(folder path, title, file name, content, uploaded)]
DOCUMENTS = {
    "PV-Kampagne Westpfalz": [
        (["Kampagnen"], "Flyer PV-Kampagne Westpfalz 2022", "Flyer_PV-Kampagne_2022.pdf", PV_FLYER, (2022, 3, 1)),
        (["Kampagnen"], "Auswertung PV-Kampagne 2022", "Auswertung_PV-Kampagne_2022.pdf", PV_REPORT, (2022, 11, 15)),
    ],
    "Wärmekampagne Westpfalz": [
        (["Kampagnen"], "Checkliste Heizungstausch", "Checkliste_Heizungstausch.pdf", HEAT_CHECKLIST, (2022, 9, 27)),
    ],
}
# campaign: [(subject, body, sent)]
ANNOUNCEMENTS = {
    "PV-Kampagne Westpfalz": [
        (
            "PV-Kampagne: Online-Abende am 10. Mai und 21. Juni",
            "Liebe Kolleg*innen,\n\nunsere gemeinsame **PV-Kampagne** lädt Bürgerinnen und Bürger zu zwei "
            "Online-Abenden ein. Den Flyer zum Weitergeben finden Sie in der Bibliothek unter *Kampagnen*. Bitte "
            "tragen Sie die Beratungen Ihrer Kommune jedes Quartal bei den Kennzahlen der Kampagne ein.\n\n"
            "Viele Grüße\nIhre Koordination des Klima.Taten.Teams",
            (2022, 4, 19),
        ),
    ],
    "Wärmekampagne Westpfalz": [
        (
            "Start der Wärmekampagne im Oktober: Material für Ihre Kommune",
            "Liebe Kolleg*innen,\n\nam 1. Oktober beginnt die **Wärmekampagne**. Die Checkliste für die "
            "Energieberatung liegt in der Bibliothek; der erste Infoabend ist am 8. November online.\n\n"
            "Viele Grüße\nIhre Koordination des Klima.Taten.Teams",
            (2022, 9, 27),
        ),
    ],
}
# campaign: the titles of its events (events.demo)
EVENTS = {
    "PV-Kampagne Westpfalz": [
        "Online-Abend der PV-Kampagne: Solarstrom vom eigenen Dach",
        "Online-Abend der PV-Kampagne: Stecker-Solargeräte für Mieter*innen",
    ],
    "Wärmekampagne Westpfalz": [
        "Infoabend der Wärmekampagne: Wärmepumpe im Bestand",
        "Online-Sprechstunde der Wärmekampagne: Fragen zum Heizungstausch",
    ],
}


def _amount(*parts, low: int, high: int) -> Decimal:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(low + int.from_bytes(digest[:4], "big") % (high - low + 1))


def load(*, stdout=None) -> None:
    count = 0
    for campaign in Campaign.objects.filter(network__slug=NETWORK, title__in=FIGURES).select_related("network"):
        organisations = list(campaign.organisations.order_by("name"))
        for order, (name, unit, description, low, high) in enumerate(FIGURES[campaign.title]):
            figure, _ = KeyFigure.objects.update_or_create(
                campaign=campaign,
                name=name,
                defaults={"unit": unit, "description": description, "order": order, "period": "quarter"},
            )
            for start in selectors.periods(campaign, "quarter", today=min(date.today(), campaign.end or date.today())):
                for organisation in organisations:
                    _row, created = FigureValue.objects.get_or_create(
                        figure=figure,
                        organisation=organisation,
                        period_start=start,
                        defaults={"value": _amount(campaign.pk, name, organisation.slug, start, low=low, high=high)},
                    )
                    count += created
        _link(campaign)
    if stdout is not None:
        stdout.write(f"  Campaign figures: {count} new values")


def _link(campaign) -> None:
    """The campaign's documents and announcements, then the links to them and to its events, as its coordinators
    would pick them on the links page (the sources' choices: only what the coordinator may see)."""
    from networks.models import NetworkRole

    coordinator = (
        NetworkRole.objects.filter(network=campaign.network, role="coordinator").select_related("person__user").first()
    )
    if coordinator is None or coordinator.person.user is None:
        return
    titles = {
        "document": [_document(campaign, spec, coordinator.person) for spec in DOCUMENTS.get(campaign.title, [])],
        "announcement": [
            _announcement(campaign, spec, coordinator.person) for spec in ANNOUNCEMENTS.get(campaign.title, [])
        ],
        "event": EVENTS.get(campaign.title, []),
    }
    for source in links.sources():
        wanted = titles.get(source.key, [])
        for object_id, label in source.choices(campaign, coordinator.person.user):
            # an event's or announcement's choice reads "Title (date)"
            if any(label == title or label.startswith(f"{title} (") for title in wanted):
                CampaignLink.objects.get_or_create(campaign=campaign, source=source.key, object_id=object_id)


def _document(campaign, spec, by) -> str:
    """A campaign document in the network's library, uploaded when it was (networks.library.demo's way)."""
    from networks.library import texts
    from networks.library.demo import _document as library_document
    from networks.library.models import DocumentVersion

    path, title, name, content, (year, month, day) = spec
    when = datetime(year, month, day, 10, tzinfo=BERLIN)
    email = by.user.email if by.user_id else KTT_COORDINATION
    document, created = library_document(
        (campaign.network.slug, None, path, title, name, content, email, when, []), {email: by}
    )
    if created:
        for file_name in DocumentVersion.objects.filter(document=document).values_list("file", flat=True):
            texts.extract_file(file_name)  # the search finds it by its words at once
    return title


def _announcement(campaign, spec, by) -> str:
    """An announcement of the time: written and marked as sent then (the emails went out back then, none now)."""
    from networks.announcements import services as announcement_services
    from networks.announcements.models import Announcement

    subject, body, (year, month, day) = spec
    if not Announcement.objects.filter(network=campaign.network, subject=subject).exists():
        announcement = Announcement(network=campaign.network, audience="members", subject=subject, body=body)
        announcement_services.announcement_save(announcement=announcement, author=by)
        sent = datetime(year, month, day, 9, 30, tzinfo=BERLIN)
        reached = len(announcement_services.recipients(announcement))
        Announcement.objects.filter(pk=announcement.pk).update(
            state=Announcement.State.SENT,
            sent_at=sent,
            created_at=sent,
            updated_at=sent,
            recipient_count=reached,
            emailed_count=reached,
        )
    return subject
