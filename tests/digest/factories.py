"""Factories of the digest room."""

import factory

from networks.digest.models import DeliveryPreference, DigestSettings
from tests.networks.factories import NetworkFactory, PersonFactory


class DeliveryPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPreference

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)


class DigestSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSettings

    person = factory.SubFactory(PersonFactory)
