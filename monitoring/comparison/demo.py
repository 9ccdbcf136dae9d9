"""Demo data of the comparison: key data of the demo organisations, 30 generated NRW towns, and who opted in.

- Areas (km²) of the real organisations: the official areas as published in the Destatis Gemeindeverzeichnis
  (GV-ISys, Gebietsstand 31.12.2023), rounded to 0.01 km²; the populations are the networks' demo's figures
  (networks.management.commands.load_demo: near the official ones, not rounded), and their AGS are the official
  keys.
- 30 generated towns of Troisdorf's size class (50,000 to 99,999 inhabitants) in NRW, clearly demo: named
  "Demo-Stadt …", with AGS 05999001 … 05999030 (Kreis key 999 does not exist), with balances, indicators, heat
  planning and target years in the order of magnitude of real towns; six of them with a small published roadmap.
  So Troisdorf's page shows statistics for its size class.
- Opt-in: Troisdorf, Bonn, Hürth, Bergisch Gladbach and the demo towns publish everything to everyone; the other
  NKK municipalities do not take part, so the NKK as peer group has exactly four municipalities with figures
  (Troisdorf, Bonn, Hürth, Bergisch Gladbach) and shows no statistics.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from measures.models import Measure, Roadmap, Sector
from monitoring.comparison import refresh
from monitoring.comparison.figures import static_figures
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent
from monitoring.models import (
    BiskoSector,
    ClimateStrategy,
    EmissionBalance,
    HeatPlanning,
    HeatPlanningStep,
    Indicator,
    IndicatorValue,
)
from networks.models import Organisation

# slug: area in km² (Destatis GV-ISys, 31.12.2023)
AREAS = {
    "stadt-dortmund": "280.71",
    "stadt-koeln": "405.01",
    "stadt-bonn": "141.06",
    "kreis-dueren": "941.49",
    "stadt-dueren": "85.03",
    "stadt-troisdorf": "62.19",
    "stadt-bergisch-gladbach": "83.12",
    "stadt-bruehl": "36.12",
    "stadt-huerth": "51.16",
    "gemeinde-alfter": "34.59",
    "rhein-sieg-kreis": "1153.21",
    "stadt-frechen": "45.11",
    "stadt-siegburg": "23.45",
    "stadt-koenigswinter": "76.22",
    "stadt-kaiserslautern": "139.74",
    "landkreis-kaiserslautern": "639.86",
    "stadt-pirmasens": "61.37",
    "stadt-zweibruecken": "70.64",
    "landkreis-kusel": "573.55",
    "donnersbergkreis": "645.43",
    "landkreis-suedwestpfalz": "953.81",
}
PUBLISHING = ("stadt-troisdorf", "stadt-bonn", "stadt-huerth", "stadt-bergisch-gladbach")
# Two more NKK towns with a demo balance, so that the NKK has four municipalities with a balance.
NKK_BALANCES = {
    "stadt-huerth": {
        2021: (118_000, 84_000, 131_000, 101_000, 8_000),
        2022: (112_000, 80_000, 126_000, 103_000, 7_500),
    },
    "stadt-bergisch-gladbach": {
        2021: (212_000, 96_000, 61_000, 178_000, 12_000),
        2022: (201_000, 92_000, 58_000, 181_000, 11_500),
    },
}
DEMO_SOURCE = "Demo-Werte (Vergleich mit ähnlichen Kommunen)"
DEMO_TOWNS = 30
DEMO_AGS = "05999"
DIRECTIONS = ("Nord", "Süd", "Ost", "West", "Mitte", "Land")
SECTORS = list(BiskoSector.values)
MEASURE_IDEAS = [
    (Sector.BUILDINGS_HEAT, "Förderprogramm Heizungstausch und Gebäudesanierung"),
    (Sector.MOBILITY, "Radvorrangrouten und Mobilstationen"),
    (Sector.ADMINISTRATION, "Energiecontrolling für alle städtischen Liegenschaften"),
    (Sector.ENERGY_SUPPLY, "Photovoltaik auf allen geeigneten Dächern der Stadt"),
    (Sector.HOUSEHOLDS, "Kostenlose Energieberatung im Quartier"),
    (Sector.INDUSTRY, "Klimaschutz-Netzwerk der Gewerbebetriebe"),
]


def load(*, stdout=None) -> None:
    with transaction.atomic():
        for slug, area in AREAS.items():
            Organisation.objects.filter(slug=slug).update(area=Decimal(area))
        for slug, balance in NKK_BALANCES.items():
            _balance(slug, balance)
        towns = [_town(number) for number in range(1, DEMO_TOWNS + 1)]
        for organisation in Organisation.objects.filter(slug__in=PUBLISHING):
            _publish(organisation)
        for town in towns:
            _publish(town)
        _dated_when_entered(
            [town.pk for town in towns]
            + list(Organisation.objects.filter(slug__in=NKK_BALANCES).values_list("pk", flat=True))
        )
    # The updates above bypass the signals: derive every public body's figures once.
    refresh.refresh(Organisation.objects.filter(kind__in=Organisation.PUBLIC_BODIES).values_list("pk", flat=True))
    if stdout is not None:
        stdout.write(f"Demo comparison: {DEMO_TOWNS} demo towns in NRW, {len(PUBLISHING)} NKK members publish.")


# The demo's figures were entered in spring 2025 (as Düren's own), not when the demo is loaded.
ENTERED = datetime(2025, 3, 16, 10, 0, tzinfo=UTC)


def _dated_when_entered(organisation_ids: list[int]) -> None:
    today = timezone.localdate()
    for model, owner in (
        (Indicator, "organisation_id"),
        (IndicatorValue, "indicator__organisation_id"),
        (EmissionBalance, "organisation_id"),
    ):
        model.objects.filter(**{f"{owner}__in": organisation_ids}, updated_at__date=today).update(
            created_at=ENTERED, updated_at=ENTERED
        )


def _balance(slug: str, balance: dict) -> None:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return
    for year, values in balance.items():
        for sector, emissions in zip(SECTORS, values, strict=True):
            EmissionBalance.objects.get_or_create(
                organisation=organisation,
                year=year,
                sector=sector,
                energy_carrier="",
                defaults={"emissions": Decimal(emissions), "source": DEMO_SOURCE},
            )


def _town(number: int) -> Organisation:
    """A generated town: always the same figures for the same number (a seeded random generator)."""
    rng = random.Random(number)
    # Not a round number (a town's population never is); the last two digits from the number, so the generator's
    # sequence, and with it every figure below, stays as it was.
    population = 50_000 + rng.randrange(0, 49_000, 100) + (number * 37) % 100
    name = f"Demo-Stadt {DIRECTIONS[number % len(DIRECTIONS)]} {number:02d}"
    organisation, _created = Organisation.objects.update_or_create(
        slug=f"demo-stadt-{number:02d}",
        defaults={
            "name": name,
            "short_name": name,
            "kind": Organisation.Kind.CITY,
            "ags": f"{DEMO_AGS}{number:03d}",
            "state": "NW",
            "population": population,
            "area": Decimal(rng.randrange(3000, 12000)) / 100,
        },
    )
    per_inhabitant = 5.2 + rng.random() * 4.6  # t CO2e per inhabitant
    shares = (0.27, 0.17, 0.26, 0.28, 0.02)
    for year, factor in ((2021, 1.0), (2022, 0.96)):
        total = per_inhabitant * population * factor
        balance = {year: tuple(round(total * share * (0.85 + rng.random() * 0.3)) for share in shares)}
        _balance(organisation.slug, balance)
    for code, name_, unit, low, high in (
        ("pv-leistung", "Installierte Photovoltaik-Leistung", "MWp", 0.2, 0.75),
        ("ladepunkte", "Öffentlich zugängliche Ladepunkte", "Ladepunkte", 0.6, 2.6),
    ):
        indicator, _created = Indicator.objects.get_or_create(
            organisation=organisation,
            name=name_,
            defaults={
                "code": code,
                "unit": unit,
                "scope": Indicator.Scope.ORGANISATION,
                "per_inhabitant": True,
                "source": DEMO_SOURCE,
            },
        )
        per_thousand = low + rng.random() * (high - low)
        for year, factor in ((2022, 0.7), (2023, 0.85), (2024, 1.0)):
            value = Decimal(str(round(per_thousand * factor * population / 1000, 1)))
            IndicatorValue.objects.get_or_create(
                indicator=indicator, year=year, kind=IndicatorValue.Kind.MEASURED, date=None, defaults={"value": value}
            )
    planning, created = HeatPlanning.objects.get_or_create(
        organisation=organisation, defaults={"stage": rng.randint(1, 8), "is_demo": True}
    )
    if created:  # each stage reached two months after the one before, from January 2024
        reached = [date(2024 + (2 * i) // 12, 1 + (2 * i) % 12, 15) for i in range(planning.stage)]
        HeatPlanningStep.objects.bulk_create(
            [HeatPlanningStep(planning=planning, stage=i + 1, reached_on=day) for i, day in enumerate(reached)]
        )
        HeatPlanning.objects.filter(pk=planning.pk).update(
            updated_at=datetime.combine(reached[-1], time(12), tzinfo=UTC)
        )
    ClimateStrategy.objects.get_or_create(
        organisation=organisation, defaults={"neutrality_year": rng.choice((2035, 2040, 2045)), "is_demo": True}
    )
    if number <= 6:
        _roadmap(organisation, number)
    return organisation


def _roadmap(organisation: Organisation, number: int) -> None:
    roadmap, _created = Roadmap.objects.get_or_create(
        slug=organisation.slug,
        defaults={
            "organisation": organisation,
            "title": f"Klimaschutzfahrplan {organisation.name} (Demo)",
            "target_year": 2040,
            "published": True,
        },
    )
    for index, (sector, title) in enumerate(MEASURE_IDEAS):
        code = f"D{number:02d}-{index + 1}"
        Measure.objects.get_or_create(
            roadmap=roadmap,
            code=code,
            defaults={
                "slug": code.lower(),
                "title": title,
                "sector": sector,
                "status": Measure.Status.IN_PROGRESS if index % 2 else Measure.Status.COMPLETED,
                "published": True,
            },
        )


def _publish(organisation: Organisation) -> None:
    """Everything to everyone: the organisation and each figure it has (its indicators' keys included)."""
    ComparisonConsent.objects.update_or_create(organisation=organisation, defaults={"audience": Audience.PUBLIC})
    keys = list(static_figures())
    keys += [
        f"ind:{code}"
        for code in Indicator.objects.filter(organisation=organisation).exclude(code="").values_list("code", flat=True)
    ]
    for key in keys:
        FigureConsent.objects.update_or_create(
            organisation=organisation, figure=key, defaults={"audience": Audience.PUBLIC}
        )
