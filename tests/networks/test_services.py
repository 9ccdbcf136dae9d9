from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from networks import outbox, services
from networks.models import Invitation, Membership, NetworkRole, OutboxMessage, Person, User
from tests.networks import factories as f


@pytest.fixture
def coordinator(db):
    return f.NetworkRoleFactory(role=NetworkRole.Role.COORDINATOR)


def test_invitation_create_writes_one_outbox_row_and_sends_it_after_commit(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.invitation_create(
            network=coordinator.network, email=" Neu@Example.org ", role="member", invited_by=coordinator.person
        )
    assert invitation.email == "neu@example.org"
    assert len(callbacks) == 1
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert "Einladung" in mail.outbox[0].subject


def test_invitation_email_is_in_the_recipients_language(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            network=coordinator.network,
            email="en@example.org",
            role="member",
            invited_by=coordinator.person,
            language="en",
        )
    assert mail.outbox[0].subject.startswith("Invitation to")
    assert "/en/einladung/" in mail.outbox[0].body


def test_inviting_the_same_address_twice_renews_the_invitation(coordinator):
    first = services.invitation_create(
        network=coordinator.network, email="a@example.org", role="member", invited_by=coordinator.person
    )
    second = services.invitation_create(
        network=coordinator.network, email="A@example.org", role="coordinator", invited_by=coordinator.person
    )
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert second.role == "coordinator"


def test_the_database_refuses_two_pending_invitations_for_one_address(coordinator):
    f.InvitationFactory(network=coordinator.network, email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.InvitationFactory(network=coordinator.network, email="X@example.org")


def test_invitation_accept_grants_the_role_once(coordinator):
    invitation = f.InvitationFactory(network=coordinator.network, email="new@example.org", role="member")
    user = f.UserFactory(email="new@example.org")
    role = services.invitation_accept(invitation=invitation, user=user)
    assert role.network == coordinator.network
    assert role.person.user == user
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    with pytest.raises(services.InvitationError) as exc:
        services.invitation_accept(invitation=invitation, user=user)
    assert exc.value.code == "already_accepted"
    assert NetworkRole.objects.filter(network=coordinator.network).count() == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"email": "someone.else@example.org"}, "foreign"),
    ],
)
def test_invitation_accept_refuses_invalid_tokens(coordinator, change, code):
    invitation = f.InvitationFactory(network=coordinator.network, **{"email": "new@example.org", **change})
    user = f.UserFactory(email="new@example.org")
    with pytest.raises(services.InvitationError) as exc:
        services.invitation_accept(invitation=invitation, user=user)
    assert exc.value.code == code
    assert not NetworkRole.objects.filter(person__user=user).exists()


def test_accepting_never_lowers_an_existing_coordinator(coordinator):
    invitation = f.InvitationFactory(network=coordinator.network, email=coordinator.person.user.email, role="member")
    services.invitation_accept(invitation=invitation, user=coordinator.person.user)
    coordinator.refresh_from_db()
    assert coordinator.role == NetworkRole.Role.COORDINATOR


def test_the_last_coordinator_cannot_step_down_or_be_removed(coordinator):
    with pytest.raises(ValidationError):
        services.network_role_change(role=coordinator, new_role="member")
    with pytest.raises(ValidationError):
        services.network_role_remove(role=coordinator)
    second = f.NetworkRoleFactory(network=coordinator.network, role=NetworkRole.Role.COORDINATOR)
    services.network_role_change(role=coordinator, new_role="member")
    coordinator.refresh_from_db()
    assert coordinator.role == "member"
    assert second.role == "coordinator"


def test_removing_a_role_also_leaves_the_networks_working_groups(coordinator):
    member = f.NetworkRoleFactory(network=coordinator.network)
    group = f.WorkingGroupFactory(network=coordinator.network)
    elsewhere = f.WorkingGroupFactory()
    group.members.add(member.person)
    elsewhere.members.add(member.person)
    services.network_role_remove(role=member)
    assert list(member.person.working_groups.all()) == [elsewhere]


def test_membership_add_is_idempotent_and_end_keeps_history(db):
    network, org = f.NetworkFactory(), f.OrganisationFactory()
    first = services.membership_add(network=network, organisation=org, since=date(2023, 6, 7))
    assert services.membership_add(network=network, organisation=org) == first
    services.membership_end(membership=first, until=date(2024, 1, 31))
    again = services.membership_add(network=network, organisation=org)
    assert again.pk != first.pk
    assert Membership.objects.filter(network=network, organisation=org).count() == 2
    assert list(network.memberships.current()) == [again]


def test_membership_end_refuses_an_end_before_the_start(db):
    membership = f.MembershipFactory(since=date(2024, 5, 1))
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership, until=date(2024, 4, 1))
    membership.refresh_from_db()
    assert membership.until is None


def test_account_delete_anonymises_the_person_and_keeps_the_network(coordinator):
    member = f.NetworkRoleFactory(network=coordinator.network)
    f.ExpertiseFactory(person=member.person)
    user = member.person.user
    email = user.email
    f.InvitationFactory(network=coordinator.network, email=email)
    person = services.account_delete(user=user)
    person.refresh_from_db()
    assert person.user is None and person.anonymised_at is not None
    assert person.job_title == "" and not person.expertise.exists() and not person.network_roles.exists()
    assert not User.objects.filter(email=email).exists()
    assert not Invitation.objects.filter(email=email).exists()
    assert coordinator.network.roles.count() == 1  # the coordinator's role is untouched
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_only_coordinator_cannot_delete_their_account(coordinator):
    with pytest.raises(ValidationError):
        services.account_delete(user=coordinator.person.user)
    assert User.objects.filter(pk=coordinator.person.user_id).exists()


def test_person_export_contains_everything_about_the_person(coordinator):
    f.ExpertiseFactory(person=coordinator.person, note="Kom.EMS")
    data = services.person_export(person=coordinator.person)
    assert data["account"]["email"] == coordinator.person.user.email
    assert data["network_roles"][0]["role"] == "coordinator"
    assert data["expertise"][0]["note"] == "Kom.EMS"


def test_person_set_expertise_replaces_the_list(db):
    person = f.PersonFactory()
    a, b = f.TopicFactory(), f.TopicFactory()
    services.person_set_expertise(person=person, items=[{"topic": a, "level": 1, "note": ""}])
    services.person_set_expertise(person=person, items=[{"topic": b, "level": 3, "note": "x"}])
    assert [(e.topic, e.level) for e in person.expertise.all()] == [(b, 3)]


# --- Outbox -------------------------------------------------------------------------


def _message(**kwargs):
    defaults = {"recipient": "r@example.org", "reason": "test", "object_key": "1", "subject": "S", "body_text": "B"}
    return outbox.outbox_enqueue(**{**defaults, **kwargs})


def test_outbox_enqueue_is_idempotent_on_its_key(db):
    first = _message()
    second = _message(subject="another subject")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    _message(occasion="2026-11-21")
    assert OutboxMessage.objects.count() == 2


def test_outbox_deliver_sends_a_message_exactly_once(db):
    message = _message()
    assert outbox.outbox_deliver(message_id=message.pk) is True
    assert outbox.outbox_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1


def test_outbox_failed_send_is_retried_with_backoff_then_marked_failed(db, settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = _message()

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert outbox.outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1 and "SMTP down" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox.outbox_deliver(message_id=message.pk) is False  # not due yet
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 2
    assert outbox.outbox_retry(message_ids=[message.pk]) == 1


def test_outbox_releases_rows_a_crashed_worker_left_claimed(db):
    message = _message()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox.outbox_release_stale() == 1
    assert outbox.outbox_due_ids() == [message.pk]


def test_send_pending_task_sends_due_messages(db):
    from networks.tasks import outbox_send_pending

    _message()
    _message(object_key="2")  # on_commit never fires inside the test transaction: both stay pending
    assert outbox_send_pending() == 2
    assert outbox_send_pending() == 0
    assert len(mail.outbox) == 2
