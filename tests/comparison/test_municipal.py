"""The Land and the size class derived from the AGS and the population (networks.municipal), and the key data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from networks import municipal
from networks.models import Organisation
from tests.networks.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("ags", "land"),
    [("05382068", "NW"), ("07336000", "RP"), ("11000000", "BE"), ("16051000", "TH"), ("", ""), ("99000000", "")],
)
def test_land_of_ags(ags, land):
    assert municipal.land_of_ags(ags) == land


@pytest.mark.parametrize(
    ("population", "key"),
    [
        (1_084_000, "11"),
        (500_000, "11"),
        (499_999, "12"),
        (100_000, "12"),
        (77_000, "21"),
        (50_000, "21"),
        (49_999, "22"),
        (20_000, "22"),
        (12_000, "30"),
        (5_000, "40"),
        (4_999, "50"),
        (None, ""),
    ],
)
def test_size_class_of_a_municipality(population, key):
    assert municipal.size_class_of(population) == key


def test_a_county_is_a_class_of_its_own():
    assert municipal.size_class_of(70_000, is_county=True) == municipal.COUNTY_CLASS


@pytest.mark.django_db
def test_size_class_filter_selects_exactly_the_class():
    small = OrganisationFactory(population=49_999)
    lower = OrganisationFactory(population=50_000)
    upper = OrganisationFactory(population=99_999)
    large = OrganisationFactory(population=100_000)
    county = OrganisationFactory(population=70_000, kind="county")
    found = set(Organisation.objects.filter(municipal.size_class_filter("21")))
    assert found == {lower, upper}
    assert small not in found and large not in found and county not in found
    assert set(Organisation.objects.filter(municipal.size_class_filter("county"))) == {county}
    assert not Organisation.objects.filter(municipal.size_class_filter("nonsense")).exists()


def test_organisation_derives_land_and_size_class():
    troisdorf = Organisation(kind="city", ags="05382068", population=77_000, state="")
    assert troisdorf.land == "NW"
    assert troisdorf.size_class == "21"
    assert Organisation(kind="company", state="BE").land == "BE"  # no AGS: the state entered


def test_the_state_must_agree_with_the_ags():
    organisation = Organisation(kind="city", ags="05382068", state="RP")
    with pytest.raises(ValidationError) as error:
        organisation.clean()
    assert "state" in error.value.message_dict
