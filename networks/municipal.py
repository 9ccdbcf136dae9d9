"""What the official key (AGS) and the population say about a municipality: its Land and its size class.

The AGS (Amtlicher Gemeindeschlüssel, eight digits) is LL R KK GGG: Land, Regierungsbezirk, Kreis, Gemeinde. Its
first two digits name the Land (the official key of the Länder, Destatis Gemeindeverzeichnis); a county's and a
county-free city's key ends in 000.

Size classes (Gemeindegrößenklassen) follow the Stadt- und Gemeindetyp of the Bundesinstitut für Bau-, Stadt- und
Raumforschung (BBSR), which Destatis uses for its Stadt-/Landgliederung: große Großstadt from 500,000 inhabitants,
kleinere Großstadt from 100,000, größere Mittelstadt from 50,000, kleinere Mittelstadt from 20,000, größere
Kleinstadt from 10,000, kleine Kleinstadt from 5,000, Landgemeinde below (keys 11, 12, 21, 22, 30, 40, 50).
Sources: Destatis, "Stadt-/Landgliederung" (Bevölkerungsfortschreibung, Methoden);
BBSR, "Laufende Raumbeobachtung – Raumabgrenzungen: Stadt- und Gemeindetyp"; IT.NRW, "Gemeindetyp" (2018).
The BBSR also weighs a town's central-place function; Klimanetz knows only the population, so it uses the
population thresholds alone. Counties are not classed by size (the BBSR classes them by settlement structure,
which needs more than population and area): they form one class of their own.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The first two digits of the AGS: the Land (the codes of networks.models.State).
LAND_OF_AGS_PREFIX = {
    "01": "SH",
    "02": "HH",
    "03": "NI",
    "04": "HB",
    "05": "NW",
    "06": "HE",
    "07": "RP",
    "08": "BW",
    "09": "BY",
    "10": "SL",
    "11": "BE",
    "12": "BB",
    "13": "MV",
    "14": "SN",
    "15": "ST",
    "16": "TH",
}
AGS_PREFIX_OF_LAND = {land: prefix for prefix, land in LAND_OF_AGS_PREFIX.items()}

COUNTY_CLASS = "county"

# (key, lowest population, label), largest first: the BBSR's Stadt- und Gemeindetyp by population.
SIZE_CLASSES = (
    ("11", 500_000, _("large city (500,000 inhabitants and more)")),
    ("12", 100_000, _("city (100,000 to 499,999 inhabitants)")),
    ("21", 50_000, _("larger medium-sized town (50,000 to 99,999 inhabitants)")),
    ("22", 20_000, _("smaller medium-sized town (20,000 to 49,999 inhabitants)")),
    ("30", 10_000, _("larger small town (10,000 to 19,999 inhabitants)")),
    ("40", 5_000, _("small town (5,000 to 9,999 inhabitants)")),
    ("50", 0, _("rural municipality (under 5,000 inhabitants)")),
)
SIZE_CLASS_LABELS = {key: label for key, _lowest, label in SIZE_CLASSES} | {COUNTY_CLASS: _("counties")}


def land_of_ags(ags: str | None) -> str:
    """The Land's code (e.g. "NW") of an AGS, "" for none or an unknown prefix."""
    return LAND_OF_AGS_PREFIX.get((ags or "")[:2], "")


def size_class_of(population: int | None, *, is_county: bool = False) -> str:
    """The size class key of a municipality of this population ("" when unknown); counties have one class."""
    if is_county:
        return COUNTY_CLASS
    if population is None:
        return ""
    return next(key for key, lowest, _label in SIZE_CLASSES if population >= lowest)


def size_class_filter(key: str, *, prefix: str = "") -> Q:
    """A Q on organisations (or on ``prefix`` + "population"/"kind") that selects one size class."""
    kind, population = f"{prefix}kind", f"{prefix}population"
    if key == COUNTY_CLASS:
        return Q(**{kind: "county"})
    bounds = {k: lowest for k, lowest, _label in SIZE_CLASSES}
    if key not in bounds:
        return Q(pk__in=[])
    condition = Q(**{f"{population}__gte": bounds[key]}) & ~Q(**{kind: "county"})
    # The classes above: the lowest bound larger than this one's (SIZE_CLASSES is ordered largest first).
    larger = [lowest for _k, lowest, _label in SIZE_CLASSES if lowest > bounds[key]]
    if larger:
        condition &= Q(**{f"{population}__lt": min(larger)})
    return condition
