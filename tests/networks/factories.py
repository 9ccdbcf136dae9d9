from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from networks.models import (
    Campaign,
    Expertise,
    Invitation,
    Membership,
    Network,
    NetworkRole,
    Organisation,
    OrganisationRole,
    Person,
    Topic,
    User,
    WorkingGroup,
)

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=extracted is not False, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeinde Musterdorf {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-musterdorf-{n}")
    kind = Organisation.Kind.MUNICIPALITY
    state = "NW"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Klimaschutzmanagerin"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Klimanetzwerk {n}")
    short_name = factory.Sequence(lambda n: f"KN{n}")
    slug = factory.Sequence(lambda n: f"klimanetzwerk-{n}")
    kind = Network.Kind.REGIONAL_TEAM
    host = factory.SubFactory(OrganisationFactory)
    region = "Westpfalz"
    meeting_format = Network.MeetingFormat.ONLINE
    description = "Ein Netzwerk kommunaler Klimaschutzmanager*innen."
    is_public = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class NetworkRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkRole

    network = factory.SubFactory(NetworkFactory)
    person = factory.SubFactory(PersonFactory)
    role = NetworkRole.Role.MEMBER


class OrganisationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationRole

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expertise

    person = factory.SubFactory(PersonFactory)
    topic = factory.SubFactory(TopicFactory)
    level = Expertise.Level.EXPERT
    note = "Wärmeplanung ausgeschrieben"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Arbeitsgruppe {n}")
    topic = factory.SubFactory(TopicFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"PV-Kampagne {n}")
    kind = Campaign.Kind.PV


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    network = factory.SubFactory(NetworkFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
