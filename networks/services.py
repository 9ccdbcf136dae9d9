"""Writes with rules for the networks app. Keyword-only, one transaction, safe to call twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from networks import access, affiliations, panels
from networks.models import (
    Expertise,
    Invitation,
    Membership,
    Network,
    NetworkRole,
    Organisation,
    OutboxMessage,
    Person,
    User,
)
from networks.outbox import outbox_enqueue_template

ERASED_EMAIL = "deleted@invalid.example"  # what an invitation to a deleted account keeps of its address


class InvitationError(Exception):
    """Why an invitation cannot be accepted; ``code`` picks the explanation page."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- People -------------------------------------------------------------------


def person_ensure(*, user: User, name: str = "", language: str = "de") -> Person:
    """The person of an account, created on first need (sign-up, admin-made accounts)."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(user=user, name=name or user.email.split("@")[0], language=language)
    return person


@transaction.atomic
def person_set_expertise(*, person: Person, items: list[dict]) -> None:
    """Replace a person's expertise with ``items`` ({topic, level, note, visible_everywhere}); one row per topic."""
    keep = []
    for item in items:
        defaults = {
            "level": item["level"],
            "note": item.get("note", ""),
            "visible_everywhere": bool(item.get("visible_everywhere", False)),
        }
        row, _created = Expertise.objects.update_or_create(person=person, topic=item["topic"], defaults=defaults)
        keep.append(row.pk)
    person.expertise.exclude(pk__in=keep).delete()


def person_export(*, person: Person) -> dict:
    """Everything the portal stores about a person, for the data-protection download (Art. 15/20 GDPR)."""
    user = person.user
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email if user else None,
            "date_joined": user.date_joined.isoformat() if user else None,
            "last_login": user.last_login.isoformat() if user and user.last_login else None,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")) if user else [],
            # sign-ins through an organisation's identity provider (networks.signin): which provider, which identity
            "linked_logins": list(user.socialaccount_set.values("provider", "uid")) if user else [],
        },
        "person": {
            "name": person.name,
            "organisation": person.organisation.name if person.organisation else None,
            "job_title": person.job_title,
            "phone": person.phone,
            "contact_visibility": person.contact_visibility,
            "language": person.language,
            "created_at": person.created_at.isoformat(),
        },
        "expertise": [
            {
                "topic": e.topic.name,
                "level": e.get_level_display(),
                "note": e.note,
                "visible_to_members_of_all_networks": e.visible_everywhere,
            }
            for e in person.expertise.select_related("topic")
        ],
        "network_roles": [
            {"network": r.network.name, "role": r.role, "since": r.since.isoformat()}
            for r in person.network_roles.select_related("network")
        ],
        "organisation_roles": [
            {"organisation": r.organisation.name, "role": r.role}
            for r in person.organisation_roles.select_related("organisation")
        ],
        "working_groups": [
            {"network": g.network.name, "working_group": g.name}
            for g in person.working_groups.select_related("network")
        ],
        "invitations_sent": [
            {"email": i.email, "network": i.network.name, "created_at": i.created_at.isoformat()}
            for i in person.invitations_sent.select_related("network")
        ],
        "emails": list(
            OutboxMessage.objects.filter(recipient=user.email if user else "-").values(
                "reason", "subject", "status", "created_at", "sent_at"
            )
        ),
        **panels.personal_data(person),  # what the other apps store (events: registrations, questions, ...)
    }


@transaction.atomic
def account_delete(*, user: User) -> Person | None:
    """Delete the account and anonymise its person; organisations and network history stay."""
    person = Person.objects.filter(user=user).first()
    email = user.email
    if person is not None:
        try:
            for role in person.network_roles.filter(role=NetworkRole.Role.COORDINATOR):
                _ensure_other_coordinator(role)
        except ValidationError:
            raise ValidationError(
                _("You are the only coordinator of a network. Hand over the coordination before deleting your account.")
            ) from None
        panels.before_account_delete(person)  # e.g. future registrations give their places back
        person.expertise.all().delete()
        person.network_roles.all().delete()
        person.organisation_roles.all().delete()
        person.working_groups.clear()
        person.name = _("deleted person")
        person.job_title = ""
        person.phone = ""
        person.contact_visibility = Person.ContactVisibility.NOBODY
        person.anonymised_at = timezone.now()
        person.user = None
        person.save(update_fields=["name", "job_title", "phone", "contact_visibility", "anonymised_at", "user"])
    _invitations_forget(email)
    OutboxMessage.objects.filter(recipient=email).delete()
    user.delete()
    return person


def _invitations_forget(email: str) -> None:
    """The invitations to a deleted account's address forget it, in their history too; the revocation is recorded."""
    invitations = Invitation.objects.filter(email__iexact=email)
    ids = list(invitations.values_list("pk", flat=True))
    if not ids:
        return
    invitations.update(email=ERASED_EMAIL, revoked_at=timezone.now())
    Invitation.history.filter(id__in=ids).update(email=ERASED_EMAIL)
    Invitation.history.bulk_history_create(list(Invitation.objects.filter(pk__in=ids)), update=True)


# --- Memberships and roles ----------------------------------------------------


@transaction.atomic
def membership_add(*, network: Network, organisation: Organisation, since: date | None = None) -> Membership:
    """Add an organisation to a network; an existing open membership is returned unchanged."""
    current = Membership.objects.filter(network=network, organisation=organisation, until__isnull=True).first()
    if current:
        return current
    return Membership.objects.create(network=network, organisation=organisation, since=since or timezone.localdate())


@transaction.atomic
def membership_end(*, membership: Membership, until: date | None = None) -> Membership:
    """End a membership; the row stays as history of who was in the network when."""
    if membership.until is not None:
        return membership
    until = until or timezone.localdate()
    if until < membership.since:
        raise ValidationError({"until": _("A membership cannot end before it begins.")})
    membership.until = until
    membership.save(update_fields=["until"])
    return membership


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slugify_de(text: str) -> str:
    """slugify that spells German umlauts out (Wärme → waerme) instead of dropping them."""
    return slugify(text.translate(UMLAUTS))


def _organisation_slug(name: str) -> str:
    base = slugify_de(name)[:70].strip("-") or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def membership_add_new_organisation(
    *, network: Network, name: str, kind: str, ags: str = "", since: date | None = None
) -> Membership:
    """A coordinator adds an organisation that is not in the portal yet, as a member of their network. A name the
    portal knows already (case aside) is refused: that one is chosen from the list instead."""
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("An organisation of this name exists already; please choose it from the list.")}
        )
    organisation = Organisation(name=name, kind=kind, ags=ags.strip(), slug=_organisation_slug(name))
    organisation.full_clean()  # the AGS: eight digits, unique, only for municipalities, cities and counties
    organisation.save()
    return membership_add(network=network, organisation=organisation, since=since)


def _ensure_other_coordinator(role: NetworkRole) -> None:
    if role.role != NetworkRole.Role.COORDINATOR:
        return
    others = NetworkRole.objects.filter(network_id=role.network_id, role=NetworkRole.Role.COORDINATOR).exclude(
        pk=role.pk
    )
    if not others.exists():
        raise ValidationError(_("A network needs at least one coordinator."))


@transaction.atomic
def network_role_change(*, role: NetworkRole, new_role: str) -> NetworkRole:
    if new_role not in NetworkRole.Role.values:
        raise ValidationError(_("Unknown role."))
    if role.role == new_role:
        return role
    role = NetworkRole.objects.select_for_update().get(pk=role.pk)
    if new_role != NetworkRole.Role.COORDINATOR:
        _ensure_other_coordinator(role)
    role.role = new_role
    role.save(update_fields=["role"])
    return role


@transaction.atomic
def network_role_remove(*, role: NetworkRole) -> None:
    role = NetworkRole.objects.select_for_update().get(pk=role.pk)
    _ensure_other_coordinator(role)
    role.person.working_groups.remove(*role.network.working_groups.all())
    role.delete()


def network_role_grant(*, network: Network, person: Person, role: str) -> NetworkRole:
    """Give a person a role; an existing role is raised to coordinator but never lowered."""
    existing, created = NetworkRole.objects.get_or_create(network=network, person=person, defaults={"role": role})
    if not created and role == NetworkRole.Role.COORDINATOR and existing.role != role:
        existing.role = role
        existing.save(update_fields=["role"])
    return existing


# --- Invitations --------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    network: Network,
    email: str,
    role: str,
    invited_by: Person,
    language: str = "de",
    message: str = "",
    name: str = "",
    organisation: Organisation | None = None,
) -> Invitation:
    """Invite an address; a pending invitation to the same address is renewed, not duplicated. ``name`` greets
    the person in the email; ``organisation`` becomes theirs on joining unless they have one (invitation_accept)."""
    email = email.strip().lower()
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    fields = {
        "role": role,
        "language": language,
        "message": message,
        "name": name.strip(),
        "organisation": organisation,
        "invited_by": invited_by,
        "expires_at": expires_at,
    }
    invitation = Invitation.objects.select_for_update().pending().filter(network=network, email__iexact=email).first()
    if invitation is None:
        invitation = Invitation.objects.create(network=network, email=email, **fields)
    else:
        for field, value in fields.items():
            setattr(invitation, field, value)
        invitation.save(update_fields=list(fields))
    outbox_enqueue_template(
        recipient=email,
        reason="invitation",
        obj=invitation,
        occasion=invitation.expires_at.isoformat(),
        template="invitation",
        language=language,
        context={
            "invitation": invitation,
            "network": network,
            "inviter": invited_by,
            "url": settings.SITE_URL + _localised_path(invitation.get_absolute_url(), language),
        },
    )
    return invitation


def _localised_path(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def invitation_check(*, invitation: Invitation, user: User | None = None) -> None:
    """Raise ``InvitationError`` unless ``user`` (if given) may accept this invitation now."""
    if invitation.revoked_at:
        raise InvitationError("revoked")
    if invitation.used_at:
        if user is not None and invitation.used_by_id and invitation.used_by.user_id == user.pk:
            raise InvitationError("already_accepted")
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    if user is not None and user.email.lower() != invitation.email.lower():
        raise InvitationError("foreign")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> NetworkRole:
    """Give the invited role to ``user``. Locks the row so one token makes one membership."""
    invitation = Invitation.objects.select_for_update().select_related("network").get(pk=invitation.pk)
    invitation_check(invitation=invitation, user=user)
    person = person_ensure(user=user, name=invitation.name, language=invitation.language)
    granted = access.network_organisations(invitation.network).filter(pk=invitation.organisation_id)
    if (
        invitation.organisation_id is not None
        and granted.exists()
        and (
            person.organisation_id is None
            or person.affiliation_requests.pending().filter(organisation_id=invitation.organisation_id).exists()
        )
    ):  # what the coordination may grant (a member organisation or the host) grants the affiliation
        affiliations.affiliation_grant(person=person, organisation=invitation.organisation)
    role = network_role_grant(network=invitation.network, person=person, role=invitation.role)
    invitation.used_at = timezone.now()
    invitation.used_by = person
    invitation.save(update_fields=["used_at", "used_by"])
    return role


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.used_at or invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation
