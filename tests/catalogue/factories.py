import factory

from measures.catalogue.models import Adoption, LibraryEntry
from measures.models import Sector
from tests.measures.factories import MeasureFactory
from tests.networks.factories import OrganisationFactory


class LibraryEntryFactory(factory.django.DjangoModelFactory):
    """A curated, published entry (no roadmap of origin)."""

    class Meta:
        model = LibraryEntry

    slug = factory.Sequence(lambda n: f"eintrag-{n}")
    title = factory.Sequence(lambda n: f"PV auf kommunalen Dächern {n}")
    summary = "Alle geeigneten Dächer kommunaler Gebäude mit Photovoltaik belegen."
    description = "Erst das **Solarkataster** prüfen, dann ausschreiben."
    sector = Sector.ENERGY_SUPPLY
    cost_low = 50_000
    cost_high = 150_000
    effect_expected = 120
    effect_low = 80
    effect_high = 160
    effect_method = "kWp × 950 kWh × Emissionsfaktor Strommix"
    milestone_template = factory.LazyFunction(lambda: [{"title": "Dachkataster ausgewertet", "months": 3}])
    published = True


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    entry = factory.SubFactory(LibraryEntryFactory)
    measure = factory.SubFactory(MeasureFactory)
    organisation = factory.LazyAttribute(lambda o: o.measure.roadmap.organisation)


__all__ = ["AdoptionFactory", "LibraryEntryFactory", "OrganisationFactory"]
