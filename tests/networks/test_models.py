"""Database constraints, each mirrored in clean() so forms report them first."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks.models import Campaign, Membership, Network, Organisation
from tests.networks import factories as f


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_membership_period_and_one_open_membership(db):
    membership = f.MembershipFactory()
    _refused(f.MembershipFactory, network=membership.network, organisation=membership.organisation)
    _refused(f.MembershipFactory, since=date(2024, 5, 1), until=date(2024, 4, 1))
    with pytest.raises(ValidationError) as exc:
        Membership(
            network=membership.network,
            organisation=membership.organisation,
            since=date(2024, 5, 1),
            until=date(2024, 4, 1),
        ).clean()
    assert "until" in exc.value.message_dict


def test_only_public_bodies_have_an_ags_and_it_is_unique(db):
    f.OrganisationFactory(ags="05913000")
    _refused(f.OrganisationFactory, ags="05913000")
    _refused(f.OrganisationFactory, kind=Organisation.Kind.BANK, ags="05913001")
    with pytest.raises(ValidationError):
        Organisation(name="Sparkasse", slug="s", kind=Organisation.Kind.BANK, ags="05913001").full_clean()
    with pytest.raises(ValidationError):
        Organisation(name="Stadt", slug="t", kind=Organisation.Kind.CITY, ags="123").full_clean()
    f.OrganisationFactory(ags="")
    f.OrganisationFactory(ags="")  # many organisations without an AGS


def test_one_role_per_person_and_network_and_one_expertise_per_topic(db):
    role = f.NetworkRoleFactory()
    _refused(f.NetworkRoleFactory, network=role.network, person=role.person)
    expertise = f.ExpertiseFactory()
    _refused(f.ExpertiseFactory, person=expertise.person, topic=expertise.topic)


def test_period_order_on_networks_and_campaigns(db):
    _refused(f.NetworkFactory, funding_start=date(2026, 1, 1), funding_end=date(2025, 1, 1))
    _refused(f.CampaignFactory, start=date(2026, 1, 1), end=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        Network(funding_start=date(2026, 1, 1), funding_end=date(2025, 1, 1)).clean()
    with pytest.raises(ValidationError):
        Campaign(start=date(2026, 1, 1), end=date(2025, 1, 1)).clean()


def test_topic_label_follows_the_language(db):
    from django.utils import translation

    topic = f.TopicFactory(name="Wärmeplanung", name_en="Heat planning")
    with translation.override("en"):
        assert topic.label == "Heat planning"
    with translation.override("de"):
        assert str(topic) == "Wärmeplanung"


def test_network_visibility(db):
    public, private = f.NetworkFactory(), f.NetworkFactory(is_public=False)
    member = f.NetworkRoleFactory(network=private).person.user
    from django.contrib.auth.models import AnonymousUser

    assert list(Network.objects.visible_to(AnonymousUser())) == [public]
    assert set(Network.objects.visible_to(member)) == {public, private}
    assert set(Network.objects.visible_to(f.UserFactory(is_staff=True))) == {public, private}


def test_load_demo_refuses_without_debug(db, settings):
    """Loading it twice creates nothing twice: tests/events/test_demo.py, on the demo loaded once for its module."""
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not Network.objects.exists()


def test_editor_rule_covers_own_organisation_and_staff_only(personas):
    from django.contrib.auth.models import AnonymousUser

    from networks import access

    editor = personas.people["editor"]
    own, other = editor.organisation_roles.get().organisation, f.OrganisationFactory()
    assert access.is_editor(editor.user, own)
    assert not access.is_editor(editor.user, other)
    assert not access.is_editor(personas.user("coordinator"), own)
    assert not access.is_editor(AnonymousUser(), own)
    assert access.is_editor(personas.user("staff"), other)


def test_healthz_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):  # liveness; readiness with the database: tests/observability
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
