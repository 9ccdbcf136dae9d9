"""Demo of the measure library (issue 17 §1), idempotent (entries found by their address, adoptions by measure).

- Kreis Düren's editors offer their published measures, Dortmund's editor those of Klima-Luft 2030;
- staff curate typical measures of municipal climate programmes (most funded by the Kommunalrichtlinie of the
  NKI): energy controlling, the heat planning convoy, LED street lighting, energy-saving models in schools, ...;
- Stadt Troisdorf (NKK) gets its editor troisdorf.redaktion@example.org and its roadmap, which copied two
  entries; Dortmund and Düren copied one each. The Troisdorf editor can copy more (the browser journey does).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction

from measures import services as measure_services
from measures.catalogue import services
from measures.catalogue.models import Adoption, LibraryEntry
from measures.models import Measure, Roadmap, Sector
from networks.management.commands.load_demo import DEMO_PASSWORD
from networks.models import Network, NetworkRole, Organisation, OrganisationRole, Person, User
from networks.services import person_ensure

TROISDORF_EDITOR = "troisdorf.redaktion@example.org"
TROISDORF_ROADMAP = "klimaschutz-troisdorf"
OFFERING = {"klima-roadmap-kreis-dueren": "dueren.redaktion@example.org", "klima-luft-2030": None}
CURATOR = "admin@example.org"
KRL = "Kommunalrichtlinie (NKI)"

# title, sector, summary, description, costs (low, high), funding, effect (expected, low, high, method, source),
# milestones [(months, title)], target groups, participation
CURATED = [
    (
        "Energiecontrolling für kommunale Liegenschaften",
        Sector.ADMINISTRATION,
        "Verbräuche aller kommunalen Gebäude monatlich erfassen, auswerten und Auffälligkeiten abstellen.",
        "Ein Energiecontrolling macht sichtbar, wo Strom, Wärme und Wasser verschwendet werden. Dazu gehören:\n\n"
        "- Zählerstruktur und monatliche (später automatische) Ablesung\n- Kennwerte je Gebäude und Vergleich\n"
        "- Hausmeister*innen-Schulungen\n- ein jährlicher Energiebericht an den Rat",
        (20_000, 60_000),
        f"{KRL}: Energiemanagement",
        ("150", "80", "300", "5–10 % des Wärme- und Stromverbrauchs der Liegenschaften", "Erfahrungswerte dena"),
        [(3, "Zählerliste und Zuständigkeiten"), (9, "Erster Quartalsbericht"), (15, "Energiebericht im Rat")],
        "Gebäudemanagement, Hausmeister*innen",
        "",
    ),
    (
        "Wärmeplanungskonvoi mehrerer Gemeinden",
        Sector.BUILDINGS_HEAT,
        "Kleine Gemeinden vergeben die kommunale Wärmeplanung gemeinsam und teilen sich Büro und Datenbeschaffung.",
        "Nach dem Wärmeplanungsgesetz brauchen auch kleine Gemeinden bis Mitte 2028 einen Wärmeplan. Im Konvoi "
        "schreiben mehrere Gemeinden gemeinsam aus, der Kreis koordiniert, Daten der Netzbetreiber werden einmal "
        "beschafft. Jede Gemeinde beschließt ihren eigenen Plan.",
        (60_000, 180_000),
        "Landesmittel zur Wärmeplanung (Konnexität)",
        None,
        [(4, "Kooperationsvereinbarung"), (8, "Vergabe an ein Büro"), (18, "Potenzialanalyse"), (30, "Ratsbeschluss")],
        "Gemeinden unter 100.000 Einwohner*innen",
        "consultation",
    ),
    (
        "LED-Straßenbeleuchtung",
        Sector.ADMINISTRATION,
        "Alle Straßenleuchten auf LED mit Nachtabsenkung umstellen.",
        "Die Umrüstung spart in der Regel mehr als die Hälfte des Stroms der Straßenbeleuchtung. Mit "
        "Nachtabsenkung und insektenfreundlicher Lichtfarbe (max. 3.000 Kelvin).",
        (300_000, 1_500_000),
        f"{KRL}: Außen- und Straßenbeleuchtung",
        ("250", "150", "400", "Stromeinsparung 60 % × Verbrauch Bestand × Emissionsfaktor Strom", "UBA"),
        [(3, "Bestandsaufnahme der Leuchten"), (9, "Ausschreibung"), (24, "Umrüstung abgeschlossen")],
        "",
        "",
    ),
    (
        "Energiesparmodelle an Schulen und Kitas",
        Sector.ADMINISTRATION,
        "Schulen und Kitas sparen Energie durch Verhalten und bekommen einen Teil der Einsparung zurück.",
        "Nach dem Modell „fifty/fifty“ behalten Schulen einen Teil der eingesparten Energiekosten. Energieteams aus "
        "Schüler*innen, Lehrkräften und Hausmeister*innen messen, lüften richtig und schalten ab.",
        (15_000, 40_000),
        f"{KRL}: Energiesparmodelle",
        ("60", "30", "100", "8 % des Verbrauchs von zehn Schulen", "Erfahrungswerte der Energiesparmodelle"),
        [(2, "Ratsbeschluss zur Prämie"), (6, "Energieteams an fünf Schulen")],
        "Schulen, Kitas",
        "consultation",
    ),
    (
        "Klimaschutzmanagement einrichten",
        Sector.ADMINISTRATION,
        "Eine Stelle für Klimaschutzmanagement schaffen, die ein Klimaschutzkonzept erarbeitet und umsetzt.",
        "Ohne Personal bleibt Klimaschutz Nebenaufgabe. Das Erstvorhaben finanziert die Stelle und das Konzept; "
        "danach folgt die Anschlussphase und die Verstetigung im Stellenplan.",
        (150_000, 250_000),
        f"{KRL}: Erstvorhaben Klimaschutzkonzept und Klimaschutzmanagement",
        None,
        [(3, "Förderantrag"), (9, "Stelle besetzt"), (27, "Klimaschutzkonzept beschlossen")],
        "Verwaltung",
        "information",
    ),
    (
        "Photovoltaik auf kommunalen Dächern",
        Sector.ENERGY_SUPPLY,
        "Jedes geeignete kommunale Dach trägt eine PV-Anlage, der Strom wird vor allem selbst verbraucht.",
        "Solarkataster auswerten, Statik prüfen, nach Eigenverbrauch priorisieren. Wo Mittel fehlen: Pacht an "
        "Stadtwerke oder eine Bürgerenergiegenossenschaft.",
        (200_000, 800_000),
        "progres.nrw, Eigenmittel",
        ("400", "250", "600", "1.000 kWp × 950 kWh/kWp × 0,4 t CO2e/MWh", "UBA Strommix"),
        [(3, "Dachliste mit Priorität"), (12, "Erste zehn Anlagen in Betrieb")],
        "",
        "",
    ),
    (
        "Klimacheck für Ratsvorlagen",
        Sector.ADMINISTRATION,
        "Jede Beschlussvorlage sagt, wie sie sich auf das Klima auswirkt.",
        "Eine kurze Checkliste mit Ampel (positiv, neutral, negativ) und Begründung; bei erheblichen Wirkungen eine "
        "Abschätzung. Schulungen für die Fachämter.",
        (2_000, 10_000),
        "",
        None,
        [(2, "Checkliste beschlossen"), (6, "Alle Vorlagen mit Klimacheck")],
        "Verwaltung, Rat",
        "",
    ),
    (
        "Fuhrpark auf E-Fahrzeuge und Diensträder umstellen",
        Sector.MOBILITY,
        "Dienstwagen werden bei Ersatz elektrisch, Kurzstrecken mit Diensträdern und Pedelecs.",
        "Fahrtenbuchanalyse, Poolfahrzeuge statt persönlicher Dienstwagen, Ladepunkte an Verwaltungsgebäuden.",
        (100_000, 400_000),
        "",
        ("40", "20", "60", "15 Fahrzeuge × 12.000 km × Differenz Verbrenner/E", "UBA TREMOD"),
        [(3, "Fuhrparkanalyse"), (12, "Ladepunkte in Betrieb")],
        "Verwaltung",
        "",
    ),
    (
        "Lastenrad-Förderprogramm",
        Sector.MOBILITY,
        "Zuschuss für private und gewerbliche Lastenräder.",
        "Ein Zuschuss von 25 % (höchstens 1.000 Euro) für Lastenräder; Vereine und Betriebe werden besonders "
        "angesprochen. Probefahrten am Markttag.",
        (30_000, 80_000),
        "",
        ("25", "10", "40", "100 Räder × 1.500 Pkw-km ersetzt", ""),
        [(2, "Förderrichtlinie"), (12, "100 geförderte Räder")],
        "Haushalte, Handwerk, Vereine",
        "information",
    ),
    (
        "Entsiegelung kommunaler Flächen",
        Sector.ADAPTATION,
        "Versiegelte Flächen auf Schulhöfen, Parkplätzen und Plätzen öffnen und begrünen.",
        "Ein Entsiegelungskataster zeigt die Potenziale; Projekte werden mit Schulen und Nachbarschaften geplant.",
        (50_000, 300_000),
        "Förderung Klimaanpassung (Land)",
        None,
        [(4, "Entsiegelungskataster"), (12, "Erste Fläche entsiegelt")],
        "Schulen, Nachbarschaften",
        "codecision",
    ),
    (
        "Solarkataster und Solarberatung",
        Sector.HOUSEHOLDS,
        "Ein Online-Solarkataster und kostenlose Erstberatung für Hauseigentümer*innen.",
        "Das Kataster zeigt die Eignung jedes Dachs; die Verbraucherzentrale oder die Energieagentur berät.",
        (20_000, 50_000),
        "",
        ("200", "100", "400", "200 zusätzliche Anlagen × 8 kWp × 950 kWh × 0,4 t/MWh", ""),
        [(3, "Kataster online"), (6, "Erste Beratungsaktion")],
        "Hauseigentümer*innen",
        "information",
    ),
    (
        "Klimafreundliche Beschaffung",
        Sector.ADMINISTRATION,
        "Eine Dienstanweisung macht Energieeffizienz und Lebenszykluskosten zum Vergabekriterium.",
        "Beispiele: Ökostrom, Recyclingpapier, effiziente IT, Reinigung ohne Einwegprodukte. Eine Ansprechperson "
        "im Vergabeamt.",
        (0, 5_000),
        "",
        None,
        [(3, "Dienstanweisung"), (12, "Erster Bericht")],
        "Verwaltung",
        "",
    ),
    (
        "Stadtradeln mitmachen",
        Sector.MOBILITY,
        "Jedes Jahr drei Wochen Radkilometer sammeln, mit Rat, Verwaltung, Schulen und Vereinen.",
        "Die Kampagne des Klima-Bündnis bringt Menschen aufs Rad und zeigt Schwachstellen im Radnetz (RADar!).",
        (2_000, 6_000),
        "",
        ("15", "5", "30", "gefahrene km × Anteil ersetzter Pkw-Fahrten", "Klima-Bündnis"),
        [(2, "Anmeldung"), (5, "Aktionszeitraum")],
        "alle",
        "information",
    ),
    (
        "Ökoprofit für Betriebe",
        Sector.INDUSTRY,
        "Ein Jahr Workshops und Beratung für zehn Betriebe zu Energie, Wasser und Abfall.",
        "Betriebe senken ihre Kosten und Emissionen; am Ende steht eine Auszeichnung.",
        (40_000, 80_000),
        "Land und Kommune, Eigenanteil der Betriebe",
        ("800", "400", "1500", "Summe der Maßnahmen der teilnehmenden Betriebe", "Ökoprofit-Bilanzen"),
        [(3, "Zehn Betriebe gewonnen"), (12, "Auszeichnung")],
        "Unternehmen",
        "",
    ),
    (
        "Hydraulischer Abgleich und Pumpentausch in kommunalen Gebäuden",
        Sector.BUILDINGS_HEAT,
        "Heizungen optimieren: hydraulischer Abgleich, Hocheffizienzpumpen, Regelung.",
        "Geringinvestive Maßnahmen mit kurzer Amortisation, oft als erster Schritt vor der Sanierung.",
        (30_000, 120_000),
        f"{KRL}: Hocheffiziente Pumpen und hydraulischer Abgleich",
        ("70", "40", "120", "10 % Wärmeeinsparung in 15 Gebäuden", ""),
        [(4, "Prioritätenliste"), (12, "Zehn Gebäude optimiert")],
        "",
        "",
    ),
    (
        "Stadtbäume für heiße Sommer",
        Sector.ADAPTATION,
        "Jedes Jahr klimaresiliente Bäume pflanzen, mit Baumpatenschaften für das Gießen.",
        "Standorte nach Hitzekarte, Arten nach Klimaartenliste, Patenschaften aus der Nachbarschaft.",
        (50_000, 150_000),
        "",
        None,
        [(6, "Pflanzliste"), (12, "Erste 100 Bäume")],
        "Nachbarschaften",
        "consultation",
    ),
    (
        "Klimaschutz in der Bauleitplanung",
        Sector.BUILDINGS_HEAT,
        "Neue Bebauungspläne setzen PV-Pflicht, Wärmenetzanschluss und Begrünung fest.",
        "Eine Checkliste für die Planung und städtebauliche Verträge; Beispiele aus anderen Kommunen.",
        (5_000, 20_000),
        "",
        None,
        [(3, "Checkliste"), (9, "Erster B-Plan mit Festsetzungen")],
        "Planung, Investor*innen",
        "consultation",
    ),
    (
        "Mobilstationen an Bahnhöfen",
        Sector.MOBILITY,
        "Rad, Carsharing, Lastenrad und Bus an einem Ort, mit sicheren Radabstellanlagen.",
        "Mobilstationen verknüpfen den öffentlichen Verkehr mit geteilten Fahrzeugen; einheitliche Gestaltung "
        "in der Region.",
        (150_000, 600_000),
        f"{KRL}: nachhaltige Mobilität (Radabstellanlagen, Mobilitätsstationen)",
        ("60", "20", "100", "Verlagerung von Pkw-Pendelwegen", ""),
        [(6, "Standortkonzept"), (18, "Erste Station in Betrieb")],
        "Pendler*innen",
        "",
    ),
    (
        "Dach- und Fassadenbegrünung fördern",
        Sector.ADAPTATION,
        "Ein Zuschuss für Gründächer und grüne Fassaden privater Gebäude.",
        "Gründächer halten Regen zurück, kühlen und dämmen; gut kombinierbar mit PV (Solargründach).",
        (20_000, 100_000),
        "",
        None,
        [(3, "Förderrichtlinie"), (12, "50 geförderte Dächer")],
        "Hauseigentümer*innen",
        "information",
    ),
    (
        "Bürgerenergiegenossenschaft unterstützen",
        Sector.ENERGY_SUPPLY,
        "Die Kommune stellt Dächer und Flächen, eine Genossenschaft baut und betreibt Anlagen.",
        "So profitieren Bürger*innen vom Ausbau; Gestattungsverträge nach Muster, Beratung zur Gründung.",
        (5_000, 20_000),
        "",
        ("300", "100", "500", "Anlagen der Genossenschaft in fünf Jahren", ""),
        [(4, "Gründungsversammlung"), (12, "Erste Anlage")],
        "Bürger*innen",
        "codecision",
    ),
]

# (entry title or source roadmap + code, adopting roadmap slug, status, published)
ADOPTIONS = [
    (("klima-roadmap-kreis-dueren", "PH-01"), TROISDORF_ROADMAP, Measure.Status.IN_PROGRESS, True),
    ("Energiecontrolling für kommunale Liegenschaften", TROISDORF_ROADMAP, Measure.Status.PLANNED, True),
    (("klima-roadmap-kreis-dueren", "PH-03"), "klima-luft-2030", Measure.Status.COMPLETED, True),
    (("klima-luft-2030", "KL-05"), TROISDORF_ROADMAP, Measure.Status.PLANNED, False),
    ("LED-Straßenbeleuchtung", "klima-roadmap-kreis-dueren", Measure.Status.PLANNED, False),
]
# What the adopting editors changed before saving (an editor adapts a copy: Troisdorf plans no "Hitzeaktionsplan
# Dortmund").
ADAPTED_TITLES = {(("klima-luft-2030", "KL-05"), TROISDORF_ROADMAP): "Hitzeaktionsplan Troisdorf"}


def load(*, stdout=None) -> None:
    with transaction.atomic():
        troisdorf = _troisdorf()
        offered = _offer()
        curated = _curate()
        adopted = _adopt()
    if stdout is not None:
        total = LibraryEntry.objects.published().count()
        stdout.write(
            f"Measure library: {total} entries ({offered} offered from roadmaps, {curated} curated), "
            f"{adopted} adoptions; {troisdorf} edits {TROISDORF_ROADMAP}."
        )


def _troisdorf() -> str:
    """Stadt Troisdorf's editor and roadmap (a member municipality of the NKK)."""
    organisation = Organisation.objects.get(slug="stadt-troisdorf")
    user, created = User.objects.get_or_create(email=TROISDORF_EDITOR)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    person = person_ensure(user=user, name="Tobias Krämer")
    person.organisation, person.job_title = organisation, "Klimaschutzmanager der Stadt Troisdorf"
    person.save(update_fields=["organisation", "job_title"])
    OrganisationRole.objects.get_or_create(organisation=organisation, person=person)
    network = Network.objects.filter(slug="nkk-koeln-bonn").first()
    if network is not None:
        NetworkRole.objects.get_or_create(network=network, person=person, defaults={"since": date(2024, 1, 30)})
    if not Roadmap.objects.filter(slug=TROISDORF_ROADMAP).exists():
        roadmap = Roadmap(
            slug=TROISDORF_ROADMAP,
            organisation=organisation,
            title="Klimaschutzfahrplan Troisdorf",
            target_year=2040,
            baseline_year=2019,
            baseline_emissions=Decimal("610000"),
            description="Die Stadt Troisdorf setzt ihr Klimaschutzkonzept Schritt für Schritt um.",
            published=True,
        )
        roadmap.full_clean()
        roadmap.save()
    return person.name


def _offer() -> int:
    count = 0
    for slug, editor_email in OFFERING.items():
        roadmap = Roadmap.objects.filter(slug=slug).first()
        if roadmap is None:
            continue
        by = Person.objects.filter(user__email=editor_email).first() if editor_email else None
        by = by or Person.objects.filter(organisation_roles__organisation=roadmap.organisation).first()
        measures = (  # not the copies of library entries: they are in the library already
            Measure.objects.filter(roadmap=roadmap, published=True, library_adoption__isnull=True)
            .select_related("roadmap")
            .order_by("code")
        )
        already = set(LibraryEntry.objects.filter(offered=True).values_list("source_measure_id", flat=True))
        for measure in measures:
            if measure.pk not in already:
                services.entry_offer(measure=measure, by=by)
            count += 1
    return count


def _curate() -> int:
    curator = Person.objects.filter(user__email=CURATOR).first()
    for title, sector, summary, description, costs, funding, effect, milestones, groups, participation in CURATED:
        if LibraryEntry.objects.filter(title=title, source_code="", source_measure=None).exists():
            continue
        expected, low, high, method, source = effect or (None, None, None, "", "")
        entry = LibraryEntry(
            title=title,
            sector=sector,
            summary=summary,
            description=description,
            cost_low=Decimal(costs[0]),
            cost_high=Decimal(costs[1]),
            funding=funding,
            effect_expected=Decimal(expected) if expected else None,
            effect_low=Decimal(low) if low else None,
            effect_high=Decimal(high) if high else None,
            effect_method=method,
            effect_source=source,
            milestone_template=[{"title": t, "months": m} for m, t in milestones],
            target_groups=groups,
            participation_level=participation,
            published=True,
        )
        services.entry_save(entry=entry, by=curator)
    return len(CURATED)


def _adopt() -> int:
    for origin, roadmap_slug, status, published in ADOPTIONS:
        roadmap = Roadmap.objects.filter(slug=roadmap_slug).select_related("organisation").first()
        if isinstance(origin, tuple):
            entry = LibraryEntry.objects.filter(
                source_measure__roadmap__slug=origin[0], source_measure__code=origin[1], published=True
            ).first()
        else:
            entry = LibraryEntry.objects.filter(title=origin, published=True).first()
        if roadmap is None or entry is None or Adoption.objects.filter(entry=entry, organisation=roadmap.organisation):
            continue
        by = Person.objects.filter(organisation_roles__organisation=roadmap.organisation).order_by("pk").first()
        editor = ADOPTING_EDITORS.get(roadmap_slug)
        if editor:
            by = Person.objects.filter(user__email=editor).first() or by
        measure = services.entry_adopt(entry=entry, roadmap=roadmap, by=by)
        measure.status, measure.published = status, published
        adapted = ADAPTED_TITLES.get((origin, roadmap_slug))
        if adapted:
            measure.title, measure.slug = adapted, ""  # the address follows the new title (saved with it)
        if status != Measure.Status.NOT_STARTED and measure.start is None:
            measure.start = date(2025, 9, 1)
        measure_services.measure_save(measure=measure, by=by)
        _dated_when_adopted(measure)
    return Adoption.objects.count()


# Who adopted in the demo, and when: the copies were made last autumn, not when the demo is loaded.
ADOPTING_EDITORS = {TROISDORF_ROADMAP: TROISDORF_EDITOR, "klima-roadmap-kreis-dueren": "dueren.redaktion@example.org"}
ADOPTED_AT = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def _dated_when_adopted(measure: Measure) -> None:
    records = list(measure.history.order_by("history_date", "history_id").values_list("history_id", flat=True))
    for minutes, history_id in enumerate(records):
        measure.history.filter(history_id=history_id).update(history_date=ADOPTED_AT + timedelta(minutes=minutes))
    last = ADOPTED_AT + timedelta(minutes=max(len(records) - 1, 0))
    Measure.objects.filter(pk=measure.pk).update(created_at=ADOPTED_AT, updated_at=last)
    Adoption.objects.filter(measure=measure).update(created_at=ADOPTED_AT)
