"""Demo monitoring data (issue 5 §8), loaded by ``manage.py load_demo`` after the networks', events' and
measures' demo data.

Finds every row by a natural key, so it runs any number of times without duplicating anything:
indicators by (organisation, name), values by (indicator, kind, year), balance lines by (organisation,
year, sector), target paths, heat planning and climate strategies by organisation, stages by (planning,
stage), the published report by (roadmap, period, title). A row that exists is left as it is: what an
editor changed in the demo stays.

- Kreis Düren (Klima-Roadmap, climate-neutral by 2035): six indicators of the roadmap and its measures
  (installed PV power, renewable share of electricity, energy use of the county's buildings, public
  charging points, GHG emissions, energy consultations) with values 2018–2025, a few estimates, sources,
  most checked, and target paths to 2035. One is due in a few days, one is overdue (its 2025 value is
  missing), and no value of the current year is entered yet: the editor enters them. A BISKO balance
  2018–2023 and a linear target path from 2019 to 2035.
- Stadt Dortmund: a BISKO balance for 1990 and 2018–2022 and a target path entered by year to 2035; Bonn and
  Troisdorf a few years, for the comparison per inhabitant on the NKK's board.
- The NKK (Region Köln/Bonn): heat planning of ten municipalities, spread as seed 004 tells (offices
  commissioned, potential analysis, target scenario, finished and awaiting the council's decision, two
  adopted), with stage dates, two convoys and external offices; the three above 100,000 inhabitants have
  to finish by 30 June 2026, the others by 30 June 2028. Stadt Köln, Frechen, Siegburg and Königswinter
  join the network for it. Climate concepts and neutrality target years from 2030 to 2045. Stadt Düren's heat
  planning, which the county coordinates (measure KV-01), is on the Düren network's board.
- A few members of the NKK, the Difu workshops and the Klima.Taten.Team keep indicators with the same
  comparison keys (pv-leistung, ladepunkte), some of them overdue, for the comparison and the health view.
- One finished and published monitoring report of the Düren roadmap for 2025, built by the reports service.

The seeds give the organisations, the target years of Düren and Dortmund (2035) and the stages of heat
planning; every number is a demo value: indicator descriptions and balance sources say so, heat planning
and strategies carry is_demo. Office names are invented.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import Measure, Roadmap
from monitoring.models import (
    BiskoSector,
    ClimateStrategy,
    EmissionBalance,
    EmissionPath,
    EmissionPathPoint,
    HeatPlanning,
    HeatPlanningStep,
    Indicator,
    IndicatorValue,
    Report,
    Stage,
)
from networks import services as network_services
from networks.models import Network, Organisation, Person

DUEREN_ROADMAP = "klima-roadmap-kreis-dueren"
NKK = "nkk-koeln-bonn"
REDAKTION = "dueren.redaktion@example.org"
DEMO_NOTE = "Die Werte sind Demo-Werte für die Vorführung des Portals."

D = Indicator.Direction
IK = Indicator.Kind
IS = Indicator.Scope
IV = Indicator.Interval
MEASURED, ESTIMATE = IndicatorValue.Kind.MEASURED, IndicatorValue.Kind.ESTIMATE

MASTR = "Marktstammdatenregister der Bundesnetzagentur"
LADESAEULEN = "Ladesäulenregister der Bundesnetzagentur"
DL_BY = "dl-de/by-2-0"


@dataclass(frozen=True)
class IndicatorSpec:
    organisation: str  # slug
    name: str
    unit: str
    code: str = ""
    direction: str = D.HIGHER
    kind: str = IK.IMPACT
    scope: str = IS.ROADMAP  # roadmap and measure indicators belong to the organisation's roadmap
    roadmap: str = ""
    per_inhabitant: bool = False
    description: str = ""
    source: str = ""
    licence: str = ""
    interval: int = IV.YEARLY
    due: int | None = None  # days from the day of the first load (negative: overdue)
    responsible: str = ""  # a demo person's email
    baseline: tuple[int, str] | None = None  # (year, value)
    values: dict[int, str] = field(default_factory=dict)  # year -> measured value
    estimates: tuple[int, ...] = ()  # years whose value is an estimate
    unchecked: tuple[int, ...] = ()  # years whose value is not checked yet
    notes: dict[int, str] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)  # anchor years of the target path, interpolated yearly
    measures: tuple[str, ...] = ()  # codes of linked measures of the roadmap


def _described(text: str) -> str:
    return f"{text} {DEMO_NOTE}".strip()


# --- Kreis Düren: the roadmap's indicators ------------------------------------------------------------------

# BISKO balance of the county (t CO2e): year -> households, commerce, industry, transport, municipal facilities.
# 2019 is the roadmap's baseline (2,480,000 t CO2e, measures.demo); the paper industry weighs heavily.
DUEREN_BALANCE = {
    2018: (575_000, 340_000, 1_010_000, 565_000, 52_000),
    2019: (560_000, 330_000, 980_000, 560_000, 50_000),
    2020: (545_000, 300_000, 905_000, 490_000, 47_000),
    2021: (565_000, 310_000, 940_000, 520_000, 48_000),
    2022: (505_000, 290_000, 850_000, 525_000, 44_000),
    2023: (480_000, 275_000, 790_000, 515_000, 41_000),
}
DUEREN_BALANCE_SOURCE = "Demo-Werte, angelehnt an die Größenordnung einer BISKO-Bilanz eines Kreises dieser Größe"

# Two NKK members, for the comparison per inhabitant on the board: Bonn (services, federal offices), Troisdorf
# (industry).
BONN_BALANCE = {
    2020: (575_000, 540_000, 125_000, 530_000, 52_000),
    2021: (590_000, 550_000, 128_000, 555_000, 53_000),
    2022: (545_000, 515_000, 118_000, 560_000, 49_000),
}
TROISDORF_BALANCE = {
    2021: (158_000, 92_000, 188_000, 152_000, 11_000),
    2022: (146_000, 86_000, 176_000, 155_000, 10_000),
}
NKK_BALANCE_SOURCE = "Demo-Werte in der Größenordnung einer BISKO-Bilanz einer Kommune dieser Größe"

# Stadt Dortmund (about 600,000 inhabitants): 1990 for comparison, 2019 = the programme's baseline (4.3 Mt).
DORTMUND_BALANCE = {
    1990: (1_650_000, 1_050_000, 2_350_000, 1_250_000, 180_000),
    2018: (1_210_000, 790_000, 1_170_000, 1_150_000, 125_000),
    2019: (1_180_000, 760_000, 1_120_000, 1_120_000, 120_000),
    2020: (1_150_000, 690_000, 1_040_000, 980_000, 112_000),
    2021: (1_190_000, 710_000, 1_080_000, 1_030_000, 114_000),
    2022: (1_080_000, 665_000, 1_010_000, 1_050_000, 106_000),
}
DORTMUND_BALANCE_SOURCE = "Demo-Werte, angelehnt an die Größenordnung der Dortmunder Energie- und THG-Bilanz (BISKO)"
# Target path entered by year (the programme Klima-Luft 2030: GHG-neutral by 2035, 5 % residual).
DORTMUND_PATH = {2019: 4_300_000, 2022: 3_750_000, 2025: 3_150_000, 2030: 1_650_000, 2035: 215_000}

SECTORS = [
    BiskoSector.HOUSEHOLDS,
    BiskoSector.COMMERCE,
    BiskoSector.INDUSTRY,
    BiskoSector.TRANSPORT,
    BiskoSector.MUNICIPAL,
]

DUEREN_INDICATORS = [
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        name="Installierte Photovoltaik-Leistung",
        code="pv-leistung",
        unit="MWp",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described(
            "Summe der Nennleistung aller Photovoltaikanlagen im Kreisgebiet in Betrieb zum 31. Dezember, "
            "von der Balkon-PV bis zum Solarpark."
        ),
        source=MASTR,
        licence=DL_BY,
        due=10,
        responsible=REDAKTION,
        baseline=(2019, "128.1"),
        values={
            2018: "118.4",
            2019: "128.1",
            2020: "141.7",
            2021: "159.3",
            2022: "188.6",
            2023: "246.2",
            2024: "312.5",
            2025: "366.8",
        },
        unchecked=(2025,),
        notes={2025: "Auszug vom 15. Januar; Nachmeldungen sind noch möglich."},
        targets={2025: "380", 2030: "800", 2035: "1200"},
        measures=("EV-01", "KV-02", "PH-01"),
    ),
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        name="Anteil erneuerbarer Energien am Stromverbrauch",
        code="ee-anteil-strom",
        unit="%",
        description=_described(
            "Im Kreisgebiet erzeugter Strom aus erneuerbaren Energien im Verhältnis zum Stromverbrauch im Kreis."
        ),
        source="Energieatlas NRW (LANUV); Netzbetreiberdaten",
        licence=DL_BY,
        due=130,
        responsible=REDAKTION,
        baseline=(2019, "41.5"),
        values={
            2018: "38.2",
            2019: "41.5",
            2020: "46.1",
            2021: "43.7",
            2022: "49.8",
            2023: "56.3",
            2024: "60.9",
            2025: "63.5",
        },
        estimates=(2024, 2025),
        unchecked=(2024, 2025),
        notes={
            2021: "Windschwaches Jahr.",
            2024: "Schätzung aus dem Marktstammdatenregister; die Bilanz erscheint mit zwei Jahren Verzug.",
            2025: "Schätzung aus dem Marktstammdatenregister; die Bilanz erscheint mit zwei Jahren Verzug.",
        },
        targets={2025: "62", 2030: "90", 2035: "100"},
        measures=("EV-01", "EV-02"),
    ),
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        name="Energieverbrauch der kreiseigenen Gebäude",
        code="energie-liegenschaften",
        unit="MWh",
        direction=D.LOWER,
        description=_described(
            "Wärme und Strom der Schulen, Verwaltungsgebäude und weiteren Liegenschaften des Kreises, "
            "witterungsbereinigt."
        ),
        source="Energiebericht der Kreisverwaltung Düren",
        due=-25,
        responsible=REDAKTION,
        baseline=(2019, "24310"),
        values={
            2018: "24860",
            2019: "24310",
            2020: "22150",
            2021: "23240",
            2022: "20980",
            2023: "20420",
            2024: "19760",
        },
        notes={
            2020: "Schulen und Verwaltung wegen der Pandemie zeitweise geschlossen.",
            2022: "Energiesparmaßnahmen in der Gaskrise.",
        },
        targets={2025: "19500", 2030: "17000", 2035: "12500"},
        measures=("KV-02", "KV-04"),
    ),
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        name="Öffentlich zugängliche Ladepunkte",
        code="ladepunkte",
        unit="Ladepunkte",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Normal- und Schnellladepunkte im Kreisgebiet, Stand 31. Dezember."),
        source=LADESAEULEN,
        licence="CC BY 4.0",
        due=70,
        responsible=REDAKTION,
        baseline=(2019, "87"),
        values={
            2018: "64",
            2019: "87",
            2020: "121",
            2021: "176",
            2022: "243",
            2023: "331",
            2024: "415",
            2025: "502",
        },
        targets={2025: "480", 2030: "1500", 2035: "2600"},
        measures=("MO-04",),
    ),
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        name="Treibhausgasemissionen im Kreisgebiet",
        code="thg-emissionen",
        unit="t CO2e",
        direction=D.LOWER,
        per_inhabitant=True,
        description=_described(
            "Summe der THG-Bilanz nach BISKO über alle Sektoren. Die Bilanz erscheint mit zwei Jahren Verzug; "
            "die letzten Jahre sind Schätzungen."
        ),
        source="THG-Bilanz des Kreises Düren nach BISKO",
        due=190,
        responsible=REDAKTION,
        baseline=(2019, str(sum(DUEREN_BALANCE[2019]))),
        values={
            **{year: str(sum(sectors)) for year, sectors in DUEREN_BALANCE.items()},
            2024: "2030000",
            2025: "1965000",
        },
        estimates=(2024, 2025),
        unchecked=(2024, 2025),
        notes={2024: "Fortschreibung mit dem Strommix 2024.", 2025: "Fortschreibung mit dem Strommix 2025."},
        targets={2019: "2480000", 2035: "124000"},  # the balance's target path: linear, 5 % residual
        measures=("EV-01", "EV-02", "IW-01"),
    ),
    IndicatorSpec(
        organisation="kreis-dueren",
        roadmap=DUEREN_ROADMAP,
        scope=IS.MEASURE,
        name="Energieberatungen vor Ort",
        code="energieberatungen",
        unit="Beratungen",
        kind=IK.OUTPUT,
        description=_described("Energie-Checks der Verbraucherzentrale in Häusern im Kreis (Maßnahme GW-01)."),
        source="Verbraucherzentrale NRW, Beratungsstelle Düren: Jahresstatistik",
        due=50,
        responsible=REDAKTION,
        values={2024: "164", 2025: "512"},
        notes={2024: "Start im September 2024."},
        targets={2025: "500", 2035: "500"},
        measures=("GW-01",),
    ),
]

# --- Other municipalities: the same comparison keys, for the network comparison and the health view --------

OTHER_INDICATORS = [
    IndicatorSpec(
        organisation="stadt-bonn",
        scope=IS.ORGANISATION,
        name="Installierte Photovoltaik-Leistung",
        code="pv-leistung",
        unit="MWp",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Nennleistung aller Photovoltaikanlagen im Stadtgebiet, Stand 31. Dezember."),
        source=MASTR,
        licence=DL_BY,
        due=80,
        responsible="nkk.koordination@example.org",
        values={2022: "62.4", 2023: "84.9", 2024: "112.3", 2025: "138.0"},
        targets={2025: "140", 2030: "400", 2035: "650"},
    ),
    IndicatorSpec(
        organisation="stadt-bonn",
        scope=IS.ORGANISATION,
        name="Öffentlich zugängliche Ladepunkte",
        code="ladepunkte",
        unit="Ladepunkte",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Normal- und Schnellladepunkte im Stadtgebiet, Stand 31. Dezember."),
        source=LADESAEULEN,
        licence="CC BY 4.0",
        due=80,
        responsible="nkk.koordination@example.org",
        values={2022: "410", 2023: "560", 2024: "720", 2025: "880"},
    ),
    IndicatorSpec(
        organisation="stadt-troisdorf",
        scope=IS.ORGANISATION,
        name="Installierte Photovoltaik-Leistung",
        code="pv-leistung",
        unit="MWp",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Nennleistung aller Photovoltaikanlagen im Stadtgebiet, Stand 31. Dezember."),
        source=MASTR,
        licence=DL_BY,
        due=40,
        responsible="nkk.mitglied@example.org",
        values={2022: "21.3", 2023: "28.7", 2024: "36.0", 2025: "42.5"},
        unchecked=(2025,),
    ),
    IndicatorSpec(
        organisation="stadt-troisdorf",
        scope=IS.ORGANISATION,
        name="Öffentlich zugängliche Ladepunkte",
        code="ladepunkte",
        unit="Ladepunkte",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        source=LADESAEULEN,
        licence="CC BY 4.0",
        description=_described("Normal- und Schnellladepunkte im Stadtgebiet."),
        due=40,
        responsible="nkk.mitglied@example.org",
        values={2022: "58", 2023: "84", 2024: "112", 2025: "139"},
    ),
    IndicatorSpec(
        organisation="stadt-huerth",
        scope=IS.ORGANISATION,
        name="Installierte Photovoltaik-Leistung",
        code="pv-leistung",
        unit="MWp",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Nennleistung aller Photovoltaikanlagen im Stadtgebiet."),
        source=MASTR,
        licence=DL_BY,
        due=-12,
        responsible="nkk.huerth@example.org",
        values={2023: "19.8", 2024: "25.1"},
    ),
    IndicatorSpec(
        organisation="stadt-kaiserslautern",
        scope=IS.ORGANISATION,
        name="Installierte Photovoltaik-Leistung",
        code="pv-leistung",
        unit="MWp",
        kind=IK.OUTPUT,
        per_inhabitant=True,
        description=_described("Nennleistung aller Photovoltaikanlagen im Stadtgebiet (PV-Kampagne seit 2022)."),
        source=MASTR,
        licence=DL_BY,
        due=-40,
        responsible="ktt.kl@example.org",
        values={2021: "44.1", 2022: "55.0", 2023: "68.2", 2024: "83.5"},
    ),
    IndicatorSpec(
        organisation="landkreis-kusel",
        scope=IS.ORGANISATION,
        name="Energieverbrauch der kreiseigenen Liegenschaften",
        code="energie-liegenschaften",
        unit="MWh",
        direction=D.LOWER,
        description=_described("Wärme und Strom aller Liegenschaften des Kreises aus dem Energiemanagement (Kom.EMS)."),
        source="Kommunales Energiemanagement (Kom.EMS) des Landkreises",
        interval=IV.QUARTERLY,
        due=-8,
        responsible="ktt.kusel@example.org",
        values={2021: "9850", 2022: "9120", 2023: "8870", 2024: "8610", 2025: "8450"},
        unchecked=(2025,),
    ),
]

# --- The NKK: heat planning and climate strategies -----------------------------------------------------------

K = Organisation.Kind
# Members of the Region Köln/Bonn the networks' demo does not have: name, short name, slug, kind, AGS, population
NKK_ORGANISATIONS = [
    ("Stadt Köln", "Köln", "stadt-koeln", K.CITY, "05315000", 1_024_621),
    ("Stadt Frechen", "Frechen", "stadt-frechen", K.CITY, "05362024", 52_463),
    ("Stadt Siegburg", "Siegburg", "stadt-siegburg", K.CITY, "05382060", 43_225),
    ("Stadt Königswinter", "Königswinter", "stadt-koenigswinter", K.CITY, "05382024", 41_875),
]
NKK_JOINED = date(2024, 3, 1)

RHEIN_SIEG_OFFICE = "Planungsgemeinschaft Wärme Rhein-Sieg (Demo)"
RHEIN_ERFT_OFFICE = "EnergieQuartier Rheinland GmbH (Demo)"


@dataclass(frozen=True)
class PlanningSpec:
    organisation: str
    steps: tuple[tuple[int, date | int], ...]  # (stage, reached on or days from today), the last is the current
    office: str = ""
    convoy: tuple[str, ...] = ()
    council_decision_on: date | None = None
    note: str = ""


S = Stage
HEAT_PLANNING = [
    PlanningSpec(
        "stadt-koeln",
        (
            (S.DECIDED, date(2023, 3, 28)),
            (S.OFFICE_COMMISSIONED, date(2023, 9, 1)),
            (S.INVENTORY, date(2024, 2, 15)),
            (S.POTENTIAL, date(2024, 8, 30)),
            (S.TARGET_SCENARIO, date(2025, 3, 31)),
            (S.STRATEGY, date(2025, 10, 15)),
            (S.FINISHED, date(2026, 3, 31)),
            (S.ADOPTED, date(2026, 6, 18)),
        ),
        office="Rheinische Wärmeplanung GmbH (Demo)",
        council_decision_on=date(2026, 6, 18),
        note="Vom Rat vor der gesetzlichen Frist beschlossen; die Umsetzung beginnt mit acht Fokusgebieten.",
    ),
    PlanningSpec(
        "stadt-bonn",
        (
            (S.DECIDED, date(2023, 5, 11)),
            (S.OFFICE_COMMISSIONED, date(2023, 11, 20)),
            (S.INVENTORY, date(2024, 5, 6)),
            (S.POTENTIAL, date(2024, 10, 28)),
            (S.TARGET_SCENARIO, date(2025, 1, 20)),
            (S.STRATEGY, date(2025, 9, 1)),
            (S.FINISHED, date(2026, 5, 29)),
        ),
        office="Ingenieurgesellschaft Wärmewende Bonn (Demo)",
        note="Der Wärmeplan liegt vor; der Ratsbeschluss ist nach der Beteiligung der Bezirksvertretungen vorgesehen.",
    ),
    PlanningSpec(
        "stadt-bergisch-gladbach",
        (
            (S.DECIDED, date(2023, 9, 26)),
            (S.OFFICE_COMMISSIONED, date(2024, 6, 3)),
            (S.INVENTORY, date(2024, 11, 15)),
            (S.POTENTIAL, date(2025, 6, 2)),
            (S.TARGET_SCENARIO, date(2025, 12, 10)),
            (S.STRATEGY, date(2026, 4, 20)),
        ),
        office="Bergische Energie- und Wärmeplanung (Demo)",
        note="Die erste Ausschreibung blieb ohne Angebot; der Abschluss ist für das erste Quartal 2027 geplant.",
    ),
    PlanningSpec(
        "stadt-troisdorf",
        (
            (S.DECIDED, date(2024, 2, 22)),
            (S.OFFICE_COMMISSIONED, date(2024, 9, 2)),
            (S.INVENTORY, date(2025, 2, 17)),
            (S.POTENTIAL, date(2025, 10, 1)),
        ),
        office=RHEIN_SIEG_OFFICE,
        note="Die Potenzialanalyse läuft; Abwärme aus dem Industriegebiet wird gesondert untersucht.",
    ),
    PlanningSpec(
        "stadt-huerth",
        (
            (S.DECIDED, date(2023, 6, 27)),
            (S.OFFICE_COMMISSIONED, date(2023, 12, 1)),
            (S.INVENTORY, date(2024, 4, 15)),
            (S.POTENTIAL, date(2024, 9, 30)),
            (S.TARGET_SCENARIO, date(2025, 2, 28)),
            (S.STRATEGY, date(2025, 11, 14)),
            (S.FINISHED, date(2026, 9, 30)),
        ),
        office=RHEIN_ERFT_OFFICE,
        convoy=("stadt-bruehl",),
        note="Der Wärmeplan steht kurz vor dem Ratsbeschluss.",
    ),
    PlanningSpec(
        "stadt-bruehl",
        (
            (S.DECIDED, date(2023, 6, 19)),
            (S.OFFICE_COMMISSIONED, date(2023, 12, 1)),
            (S.INVENTORY, date(2024, 4, 15)),
            (S.POTENTIAL, date(2024, 9, 30)),
            (S.TARGET_SCENARIO, date(2025, 2, 28)),
            (S.STRATEGY, date(2025, 10, 31)),
            (S.FINISHED, date(2026, 4, 30)),
            (S.ADOPTED, date(2026, 7, 6)),
        ),
        office=RHEIN_ERFT_OFFICE,
        convoy=("stadt-huerth",),
        council_decision_on=date(2026, 7, 6),
        note="Gemeinsam mit Hürth geplant (Konvoi).",
    ),
    PlanningSpec(
        "stadt-siegburg",
        (
            (S.DECIDED, date(2024, 3, 14)),
            (S.OFFICE_COMMISSIONED, date(2025, 5, 15)),
            (S.INVENTORY, date(2025, 11, 3)),
            (S.POTENTIAL, date(2026, 9, 15)),
        ),
        office=RHEIN_SIEG_OFFICE,
        convoy=("stadt-koenigswinter", "gemeinde-alfter"),
    ),
    PlanningSpec(
        "stadt-koenigswinter",
        (
            (S.DECIDED, date(2024, 4, 25)),
            (S.OFFICE_COMMISSIONED, date(2025, 5, 15)),
            (S.INVENTORY, date(2025, 11, 3)),
            (S.POTENTIAL, date(2026, 9, 15)),
        ),
        office=RHEIN_SIEG_OFFICE,
        convoy=("stadt-siegburg", "gemeinde-alfter"),
    ),
    PlanningSpec(
        "gemeinde-alfter",
        (
            (S.DECIDED, date(2025, 3, 20)),
            (S.OFFICE_COMMISSIONED, date(2026, 4, 1)),
        ),
        office=RHEIN_SIEG_OFFICE,
        convoy=("stadt-siegburg", "stadt-koenigswinter"),
        note="Im Frühjahr 2026 dem Konvoi von Siegburg und Königswinter beigetreten.",
    ),
    # Kreis Düren coordinates the plans of its municipalities (measure KV-01): one tender, one office.
    PlanningSpec(
        "stadt-dueren",
        (
            (S.DECIDED, date(2024, 6, 20)),
            (S.OFFICE_COMMISSIONED, date(2024, 12, 2)),
            (S.INVENTORY, date(2025, 1, 15)),
            (S.POTENTIAL, date(2025, 6, 12)),
            (S.TARGET_SCENARIO, -10),  # the roadmap's milestone "Potenzialanalyse abgeschlossen"
        ),
        office="Wärmeplanung Rur-Eifel Ingenieure (Demo)",
        note="Gemeinsam ausgeschrieben vom Kreis Düren für alle kreisangehörigen Kommunen (Maßnahme KV-01).",
    ),
    PlanningSpec(
        "stadt-frechen",
        ((S.DECIDED, date(2025, 6, 26)),),
        note="Der Rat hat die Wärmeplanung beschlossen; die Ausschreibung des Planungsbüros läuft.",
    ),
]

# organisation slug, concept adopted on, share implemented (%), neutrality year, decided on, note
STRATEGIES = [
    ("kreis-dueren", date(2013, 6, 20), 45, 2035, date(2022, 12, 15), "Klima-Roadmap Kreis Düren."),
    ("stadt-dortmund", date(2011, 12, 15), 60, 2035, date(2022, 3, 24), "Handlungsprogramm Klima-Luft 2030."),
    ("stadt-koeln", date(2020, 6, 25), 35, 2035, date(2022, 6, 23), ""),
    ("stadt-bonn", date(2021, 11, 4), 30, 2035, date(2019, 7, 4), ""),
    ("stadt-bergisch-gladbach", date(2013, 3, 19), 55, 2040, date(2021, 9, 28), ""),
    ("stadt-troisdorf", date(2014, 10, 9), 50, 2040, date(2022, 5, 17), ""),
    ("stadt-huerth", date(2019, 2, 26), 40, 2045, date(2021, 6, 29), ""),
    ("stadt-bruehl", date(2012, 9, 24), 65, 2045, date(2023, 2, 13), ""),
    ("gemeinde-alfter", date(2022, 7, 7), 15, 2045, date(2022, 7, 7), "Zieljahr wie das Bundesziel."),
    ("stadt-siegburg", date(2016, 5, 12), 45, 2030, date(2020, 10, 1), "Das früheste Zieljahr im Netzwerk."),
    ("stadt-koenigswinter", date(2023, 3, 27), 10, 2040, date(2023, 3, 27), ""),
    ("stadt-frechen", None, None, None, None, "Ein Klimaschutzkonzept wird erarbeitet; ein Zieljahr ist noch offen."),
    ("rhein-sieg-kreis", date(2012, 12, 13), 60, 2040, date(2021, 12, 16), ""),
]

# When the target paths were entered: Düren's with its roadmap (measures.demo), the others' at the start of 2025.
TARGETS_ENTERED = {DUEREN_ROADMAP: date(2025, 3, 27), "": date(2025, 1, 15)}

REPORT_TITLE = "Monitoringbericht 2025 der Klima-Roadmap Kreis Düren"
REPORT_PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


def load(*, stdout=None) -> None:
    """Create (or find) the demo indicators, balances, heat planning, strategies and the published report."""
    today = timezone.localdate()
    people = {
        p.user.email: p for p in Person.objects.filter(user__email__endswith="@example.org").select_related("user")
    }
    with transaction.atomic():
        _organisations()
        for spec in DUEREN_INDICATORS + OTHER_INDICATORS:
            _indicator(spec, people, today)
        _balance("kreis-dueren", DUEREN_BALANCE, DUEREN_BALANCE_SOURCE, people[REDAKTION], today)
        _path("kreis-dueren", baseline_year=2019, target_year=2035, residual=5)
        _balance(
            "stadt-dortmund", DORTMUND_BALANCE, DORTMUND_BALANCE_SOURCE, people.get("kek.mitglied@example.org"), today
        )
        _path("stadt-dortmund", baseline_year=2019, target_year=2035, residual=5, points=DORTMUND_PATH)
        _balance("stadt-bonn", BONN_BALANCE, NKK_BALANCE_SOURCE, people.get("nkk.koordination@example.org"), today)
        _balance(
            "stadt-troisdorf", TROISDORF_BALANCE, NKK_BALANCE_SOURCE, people.get("nkk.mitglied@example.org"), today
        )
        for spec in HEAT_PLANNING:
            _heat_planning(spec, today)
        for row in STRATEGIES:
            _strategy(*row, today=today)
    # After the commit: the report's build reads the data above (and the eager task runs on commit).
    report = _report(people[REDAKTION])
    if stdout is not None:
        stdout.write(
            f"Demo monitoring: {Indicator.objects.count()} indicators "
            f"({Indicator.objects.overdue(today).count()} overdue), "
            f"{HeatPlanning.objects.filter(is_demo=True).count()} heat plannings, "
            f"{ClimateStrategy.objects.filter(is_demo=True).count()} climate strategies; "
            f"report “{report.title}”: {report.get_status_display()}."
        )


def _day(days: int | None, today: date) -> date | None:
    return None if days is None else today + timedelta(days=days)


def _backdate(model: type[models.Model], days: dict[int, date], today: date, fields=("created_at", "updated_at")):
    """Rows entered on the days the demo tells (never after today), not on the day of the load: the health
    view's "last data update" and the values' history read these. One query."""
    if not days:
        return
    when = Case(
        *[When(pk=pk, then=Value(_at(min(day, today)))) for pk, day in days.items()],
        output_field=models.DateTimeField(),
    )
    model.objects.filter(pk__in=days).update(**dict.fromkeys(fields, when))


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _entered(year: int) -> date:
    """A year's value is entered when its data are published: in spring of the following year."""
    return date(year + 1, 3, 16)


def _organisations() -> None:
    """Stadt Köln and three smaller municipalities of the region join the NKK (their heat planning is on its board)."""
    network = Network.objects.get(slug=NKK)
    for name, short, slug, kind, ags, population in NKK_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "ags": ags,
                "population": population,
                "state": "NW",
            },
        )
        network_services.membership_add(network=network, organisation=organisation, since=NKK_JOINED)
    # The comparison per inhabitant and the heat-planning deadline need a population.
    Organisation.objects.filter(slug="kreis-dueren", population__isnull=True).update(population=268_527)


def _yearly(anchors: dict[int, str]) -> dict[int, Decimal]:
    """A target path by year, linear between the anchor years, with the anchors' decimals."""
    years = sorted(anchors)
    result = {years[0]: Decimal(anchors[years[0]])}
    for start, end in zip(years, years[1:], strict=False):
        low, high = Decimal(anchors[start]), Decimal(anchors[end])
        places = min(low.as_tuple().exponent, high.as_tuple().exponent)
        quantum = Decimal(1).scaleb(places)
        for year in range(start + 1, end + 1):
            result[year] = (low + (high - low) * (year - start) / (end - start)).quantize(quantum)
    return result


def _indicator(spec: IndicatorSpec, people, today: date) -> Indicator:
    organisation = Organisation.objects.get(slug=spec.organisation)
    indicator = Indicator.objects.filter(organisation=organisation, name=spec.name).first()
    if indicator is None:
        roadmap = Roadmap.objects.get(slug=spec.roadmap) if spec.roadmap else None
        baseline_year, baseline_value = spec.baseline or (None, None)
        indicator = Indicator(
            organisation=organisation,
            scope=spec.scope,
            roadmap=roadmap,
            name=spec.name,
            code=spec.code,
            description=spec.description,
            unit=spec.unit,
            direction=spec.direction,
            kind=spec.kind,
            per_inhabitant=spec.per_inhabitant,
            baseline_year=baseline_year,
            baseline_value=Decimal(baseline_value) if baseline_value else None,
            source=spec.source,
            source_licence=spec.licence,
            update_interval=spec.interval,
            next_due=_day(spec.due, today),
            responsible=people.get(spec.responsible),
            order=Indicator.objects.filter(organisation=organisation).count(),
        )
        indicator.full_clean()
        indicator.save()
        if roadmap is not None and spec.measures:
            indicator.measures.set(Measure.objects.filter(roadmap=roadmap, code__in=spec.measures))
    entered_by = people.get(spec.responsible)
    existing = set(IndicatorValue.objects.filter(indicator=indicator, date=None).values_list("kind", "year"))
    new = []
    for year, value in spec.values.items():
        kind = ESTIMATE if year in spec.estimates else MEASURED
        if year >= today.year or (kind, year) in existing:
            continue  # the current year's values are for the editor to enter
        new.append(
            IndicatorValue(
                indicator=indicator,
                year=year,
                kind=kind,
                value=Decimal(value),
                source=spec.source,
                note=spec.notes.get(year, ""),
                entered_by=entered_by,
                checked=year not in spec.unchecked,
            )
        )
    if spec.targets:
        for year, value in _yearly(spec.targets).items():
            if (IndicatorValue.Kind.TARGET, year) not in existing:
                new.append(
                    IndicatorValue(
                        indicator=indicator,
                        year=year,
                        kind=IndicatorValue.Kind.TARGET,
                        value=value,
                        note="Zielpfad der Klima-Roadmap" if spec.roadmap else "",
                        entered_by=entered_by,
                        checked=True,
                    )
                )
    bulk_create_with_history(new, IndicatorValue)  # with their first history records, as the portal writes them
    targets_entered = TARGETS_ENTERED.get(spec.roadmap, TARGETS_ENTERED[""])
    days = {v.pk: targets_entered if v.kind == IndicatorValue.Kind.TARGET else _entered(v.year) for v in new}
    _backdate(IndicatorValue, days, today)
    if days and not existing:  # a new indicator: set up with its first values
        _backdate(Indicator, {indicator.pk: min(days.values())}, today, fields=("created_at",))
        _backdate(Indicator, {indicator.pk: max(days.values())}, today, fields=("updated_at",))
    return indicator


def _balance(slug: str, balance: dict, source: str, person: Person | None, today: date) -> None:
    organisation = Organisation.objects.get(slug=slug)
    existing = set(
        EmissionBalance.objects.filter(organisation=organisation, energy_carrier="").values_list("year", "sector")
    )
    new = bulk_create_with_history(
        [
            EmissionBalance(
                organisation=organisation,
                year=year,
                sector=sector,
                emissions=Decimal(emissions),
                source=source,
                entered_by=person,
            )
            for year, values in balance.items()
            for sector, emissions in zip(SECTORS, values, strict=True)
            if (year, sector) not in existing
        ],
        EmissionBalance,
    )
    # A balance is drawn up about two years after its year (1990: with the first balance, 2018's).
    _backdate(EmissionBalance, {line.pk: _entered(max(line.year, 2018) + 1) for line in new}, today)


def _path(slug: str, *, baseline_year: int, target_year: int, residual: int, points: dict | None = None) -> None:
    organisation = Organisation.objects.get(slug=slug)
    if EmissionPath.objects.filter(organisation=organisation).exists():
        return
    path = EmissionPath(
        organisation=organisation,
        baseline_year=baseline_year,
        target_year=target_year,
        residual_percent=residual,
        method=EmissionPath.Method.BY_YEAR if points else EmissionPath.Method.LINEAR,
    )
    path.full_clean()
    path.save()
    EmissionPathPoint.objects.bulk_create(
        EmissionPathPoint(path=path, year=year, emissions=Decimal(value)) for year, value in (points or {}).items()
    )


def _heat_planning(spec: PlanningSpec, today: date) -> HeatPlanning:
    organisation = Organisation.objects.get(slug=spec.organisation)
    steps = [(stage, min(_day(day, today) if isinstance(day, int) else day, today)) for stage, day in spec.steps]
    planning, created = HeatPlanning.objects.get_or_create(
        organisation=organisation,
        defaults={
            "stage": steps[-1][0],
            "office": spec.office,
            "council_decision_on": spec.council_decision_on and min(spec.council_decision_on, today),
            "note": spec.note,
            "is_demo": True,
        },
    )
    if created:
        bulk_create_with_history(
            [HeatPlanningStep(planning=planning, stage=stage, reached_on=day) for stage, day in steps], HeatPlanningStep
        )
        planning.convoy.set(Organisation.objects.filter(slug__in=spec.convoy))
        _backdate(HeatPlanning, {planning.pk: steps[-1][1]}, today, fields=("updated_at",))
    return planning


def _strategy(slug, adopted_on, share, year, decided_on, note, *, today: date) -> None:
    organisation = Organisation.objects.get(slug=slug)
    if ClimateStrategy.objects.filter(organisation=organisation).exists():
        return
    strategy = ClimateStrategy(
        organisation=organisation,
        concept_adopted_on=adopted_on,
        concept_share_implemented=share,
        neutrality_year=year,
        neutrality_decided_on=decided_on,
        note=note,
        is_demo=True,
    )
    strategy.full_clean()
    strategy.save()
    _backdate(ClimateStrategy, {strategy.pk: date(2025, 1, 30)}, today, fields=("updated_at",))  # the NKK meeting


@contextmanager
def _quiet_tasks():
    """No 'Task ... succeeded' line when the report is built eagerly, no WeasyPrint progress per page."""
    loggers = {"celery.app.trace": logging.WARNING, "weasyprint": logging.ERROR, "weasyprint.progress": logging.ERROR}
    levels = {name: logging.getLogger(name).level for name in loggers}
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _report(editor: Person) -> Report:
    """The published monitoring report 2025 of the Düren roadmap, requested by the editor and built once."""
    from monitoring.services import reports

    roadmap = Roadmap.objects.get(slug=DUEREN_ROADMAP)
    start, end = REPORT_PERIOD
    report = Report.objects.filter(roadmap=roadmap, period_start=start, period_end=end, title=REPORT_TITLE).first()
    if report is not None and report.status != Report.Status.FAILED:
        return report  # built by an earlier load (and published, unless an editor took it off since)
    with _quiet_tasks():
        if report is None:
            report = reports.report_request(
                person=editor,
                scope=Report.Scope.ROADMAP,
                subject=roadmap,
                period_start=start,
                period_end=end,
                title=REPORT_TITLE,
            )
        else:
            report = reports.report_retry(report)
        # With eager Celery the task has built it on commit; with a worker, build it here (the task then skips it).
        reports.report_build(report.pk)
    report.refresh_from_db()
    if report.status == Report.Status.DONE:
        report = reports.report_publish(report, True)
    return report
