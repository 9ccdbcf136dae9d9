"""Demo data of the funding radar: real German funding programmes (the ones the seeds and the demo roadmaps name,
and a few more that exist), each marked as example data, with invented but plausible calls relative to the day of
loading, so that the demo roadmaps' measures with open funding find fitting programmes and deadlines.

Idempotent: programmes are found by name, calls by (programme, title); loading again moves the invented deadlines
with the calendar, never duplicates them. Called by load_demo after the measures' demo.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding, MeasureKind
from measures.funding.services import free_slug
from measures.models import Measure, Sector
from networks.models import Organisation

K, S, MK = Organisation.Kind, Sector, MeasureKind
PUBLIC = [K.MUNICIPALITY, K.COUNTY, K.CITY]
NOTE = "Beispieldaten: Programm real, Aufrufe und Fristen für die Demo erfunden. Konditionen vor Antrag prüfen."

# name, funder, legal basis, summary, sectors, kinds, applicants, states, rate, max grant, rolling, url, status,
# calls [(title, opens in days, deadline in days)]
PROGRAMMES = [
    (
        "Kommunalrichtlinie – Klimaschutzkonzept und Klimaschutzmanagement",
        "BMWK / Projektträger ZUG (Nationale Klimaschutzinitiative)",
        "Kommunalrichtlinie 4.1.3",
        "Personal für das Klimaschutzmanagement und die Erstellung eines integrierten Klimaschutzkonzepts.",
        [S.ADMINISTRATION],
        [MK.PERSONNEL, MK.CONCEPT],
        PUBLIC,
        [],
        "70",
        None,
        True,
        "https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie",
        [],
    ),
    (
        "Kommunalrichtlinie – Kommunale Netzwerke (Klimaschutznetzwerke)",
        "BMWK / Projektträger ZUG (Nationale Klimaschutzinitiative)",
        "Kommunalrichtlinie 4.1.8",
        "Externes Netzwerkmanagement für Netzwerke von Kommunen (Gewinnungs- und Netzwerkphase), z. B. die "
        "Klima.Taten.Teams und Energieeffizienz-Netzwerke.",
        [S.ADMINISTRATION],
        [MK.NETWORK],
        [*PUBLIC, K.ENERGY_AGENCY, K.ASSOCIATION],
        [],
        "60",
        None,
        False,
        "https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie",
        [("Förderfenster Netzwerke 2027", -30, 75)],
    ),
    (
        "Kommunalrichtlinie – Außen- und Straßenbeleuchtung",
        "BMWK / Projektträger ZUG (Nationale Klimaschutzinitiative)",
        "Kommunalrichtlinie, investive Maßnahmen",
        "Umrüstung der Außen- und Straßenbeleuchtung auf LED mit Regelungstechnik.",
        [S.ADMINISTRATION],  # street lighting: not a solar park (energy supply)
        [MK.INVESTMENT],
        PUBLIC,
        [],
        "25",
        None,
        False,
        "https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie",
        [("Antragsfenster 1/2027", -60, 30), ("Antragsfenster 2/2027", 120, 240)],
    ),
    (
        "progres.nrw – Klimaschutztechnik",
        "Land NRW / Bezirksregierung Arnsberg",
        "Richtlinie progres.nrw – Klimaschutztechnik",
        "Photovoltaik mit Speicher, Solarthermie, Wärmepumpen und weitere Klimaschutztechnik.",
        [S.ENERGY_SUPPLY, S.BUILDINGS_HEAT],
        [MK.INVESTMENT],
        [*PUBLIC, K.COMPANY, K.CHURCH, K.WELFARE, K.ASSOCIATION],
        ["NW"],
        None,
        None,
        False,
        "https://www.bra.nrw.de/energie-bergbau/foerderinstrumente-fuer-energie-und-klimaschutz/progresnrw",
        [("Aufruf 2027", -14, 40)],
    ),
    (
        "progres.nrw – Emissionsarme Mobilität",
        "Land NRW / Bezirksregierung Arnsberg",
        "Richtlinie progres.nrw – Emissionsarme Mobilität",
        "Ladeinfrastruktur, Lastenräder und emissionsarme Fahrzeuge für Kommunen, Unternehmen und Vereine.",
        [S.MOBILITY],
        [MK.INVESTMENT],
        [*PUBLIC, K.COMPANY, K.UTILITY, K.ASSOCIATION, K.WELFARE],
        ["NW"],
        None,
        None,
        False,
        "https://www.bra.nrw.de/energie-bergbau/foerderinstrumente-fuer-energie-und-klimaschutz/progresnrw",
        [("Aufruf Ladeinfrastruktur 2027", -7, 55)],
    ),
    (
        "Bundesförderung für effiziente Wärmenetze (BEW)",
        "BMWK / BAFA",
        "Richtlinie BEW, Modul 1 und 2",
        "Modul 1: Machbarkeitsstudien und Transformationspläne (50 %); Modul 2: Neubau und Transformation von "
        "Wärmenetzen (40 %).",
        [S.ENERGY_SUPPLY, S.BUILDINGS_HEAT],
        [MK.CONCEPT, MK.INVESTMENT],
        [*PUBLIC, K.UTILITY, K.COMPANY, K.ASSOCIATION],
        [],
        "50",
        None,
        True,
        "https://www.bafa.de/DE/Energie/Energieeffizienz/Waermenetze/Effiziente_Waermenetze/effiziente_waermenetze_node.html",
        [],
    ),
    (
        "Förderrichtlinie Nahmobilität NRW (FöRi-Nah)",
        "Land NRW / Ministerium für Umwelt, Naturschutz und Verkehr",
        "FöRi-Nah",
        "Rad- und Fußverkehr: Radwege, Abstellanlagen, Mobilstationen und Kommunikation zur Nahmobilität.",
        [S.MOBILITY],
        [MK.INVESTMENT, MK.OUTREACH],
        PUBLIC,
        ["NW"],
        "70",
        None,
        False,
        "https://www.nahmobilitaet.nrw.de",
        [("Programmanmeldung 2028", 10, 110)],
    ),
    (
        "Bundesförderung für effiziente Gebäude – Nichtwohngebäude, Zuschuss für Kommunen (KfW 464)",
        "BMWK / KfW",
        "BEG NWG",
        "Sanierung kommunaler Nichtwohngebäude zum Effizienzgebäude und Einzelmaßnahmen.",
        [S.BUILDINGS_HEAT, S.ADMINISTRATION],
        [MK.INVESTMENT],
        PUBLIC,
        [],
        "45",
        None,
        True,
        "https://www.kfw.de/464",
        [],
    ),
    (
        "Energieberatung für Nichtwohngebäude, Anlagen und Systeme (EBN)",
        "BMWK / BAFA",
        "Richtlinie EBN, Module 1–3",
        "Energieaudit, Energieberatung nach DIN V 18599 und Contracting-Orientierungsberatung.",
        [S.BUILDINGS_HEAT, S.ADMINISTRATION, S.INDUSTRY],
        [MK.ADVICE, MK.CONCEPT],
        [*PUBLIC, K.COMPANY, K.CHURCH, K.WELFARE, K.ASSOCIATION, K.UNIVERSITY],
        [],
        "50",
        None,
        True,
        "https://www.bafa.de/DE/Energie/Energieberatung/Nichtwohngebaeude_Anlagen_Systeme/",
        [],
    ),
    (
        "Energetische Stadtsanierung – Zuschuss (KfW 432)",
        "BMWSB / KfW",
        "KfW 432",
        "Integrierte Quartierskonzepte und Sanierungsmanagement.",
        [S.BUILDINGS_HEAT, S.HOUSEHOLDS],
        [MK.CONCEPT, MK.PERSONNEL],
        PUBLIC,
        [],
        "75",
        None,
        False,
        "https://www.kfw.de/432",
        [],
    ),
    (
        "Maßnahmen zur Anpassung an die Folgen des Klimawandels (DAS)",
        "BMUV / Projektträger ZUG",
        "DAS-Förderrichtlinie",
        "Anpassungskonzepte, Bildungsmodule und kommunale Leuchtturmvorhaben zur Klimaanpassung.",
        [S.ADAPTATION],
        [MK.CONCEPT, MK.OUTREACH, MK.NETWORK],
        [*PUBLIC, K.ASSOCIATION, K.UNIVERSITY, K.WELFARE, K.CHURCH],
        [],
        None,
        None,
        False,
        "https://www.z-u-g.org/das",
        [("Förderfenster 2027", -20, 35)],
    ),
    (
        "Sonderprogramm Klimaresilienz in Kommunen (NRW)",
        "Land NRW / Ministerium für Umwelt, Naturschutz und Verkehr",
        "Sonderprogramm Klimaresilienz",
        "Entsiegelung, Dach- und Fassadenbegrünung, Verschattung und Regenwassermanagement.",
        [S.ADAPTATION],
        [MK.INVESTMENT],
        PUBLIC,
        ["NW"],
        "80",
        None,
        False,
        "https://www.umwelt.nrw.de",
        [("Aufruf 2027", 0, 95)],
    ),
    (
        "Natürlicher Klimaschutz in Kommunen (KfW 444)",
        "BMUV / KfW (Aktionsprogramm Natürlicher Klimaschutz)",
        "KfW 444",
        "Stadtgrün, Entsiegelung, naturnahe Flächen und Bäume in Kommunen.",
        [S.ADAPTATION, S.AGRICULTURE],
        [MK.INVESTMENT],
        PUBLIC,
        [],
        "80",
        None,
        True,
        "https://www.kfw.de/444",
        [],
    ),
]
PAUSED = {"Energetische Stadtsanierung – Zuschuss (KfW 432)"}  # no new applications at the time of writing

# demo measures (roadmap slug, code) whose kind the radar knows: a concept, an investment, ...
KINDS = {
    ("klima-roadmap-kreis-dueren", "BIB"): [MK.INVESTMENT],  # LED street lighting
}


def load(*, stdout=None) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        programmes = [_programme(spec, today) for spec in PROGRAMMES]
        for (roadmap, code), kinds in KINDS.items():
            measure = Measure.objects.filter(roadmap__slug=roadmap, code=code).first()
            if measure is not None:
                MeasureFunding.objects.update_or_create(measure=measure, defaults={"kinds": kinds})
    if stdout is not None:
        calls = FundingCall.objects.filter(programme__in=programmes).count()
        stdout.write(f"Funding radar: {len(programmes)} programmes (example data) with {calls} calls.")


def _programme(spec, today) -> FundingProgramme:
    name, funder, basis, summary, sectors, kinds, applicants, states, rate, amount_max, rolling, url, calls = spec
    programme = FundingProgramme.objects.filter(name=name).first() or FundingProgramme(name=name)
    programme.slug = programme.slug or free_slug(name)
    values = {
        "funder": funder,
        "legal_basis": basis,
        "summary": summary,
        "sectors": [str(s) for s in sectors],
        "measure_kinds": [str(k) for k in kinds],
        "applicant_kinds": [str(k) for k in applicants],
        "states": states,
        "rate": Decimal(rate) if rate else None,
        "amount_max": amount_max,
        "rolling": rolling,
        "url": url,
        "status": FundingProgramme.Status.PAUSED if name in PAUSED else FundingProgramme.Status.ACTIVE,
        "is_demo": True,
        "notes": NOTE,
        "last_checked": today - timedelta(days=21),
    }
    for field, value in values.items():
        setattr(programme, field, value)
    programme.save()
    for title, opens, deadline in calls:
        FundingCall.objects.update_or_create(
            programme=programme,
            title=title,
            defaults={"opens": today + timedelta(days=opens), "deadline": today + timedelta(days=deadline)},
        )
    return programme
