"""Belonging to an organisation is granted, not chosen (issue 14 §2.5).

``Person.organisation`` is the confirmed affiliation everything else reads (action items of the organisation,
directories, the network health view). A person asks to belong to another organisation (``affiliation_request``);
the old affiliation stays until the organisation's editors or a coordinator of one of its networks confirm
(``affiliation_decide``; who may: networks.access). Leaving is always allowed at once. Granted directly: an
invitation that names the organisation (networks.services.invitation_accept), and a person who already edits the
organisation. The requester hears of the decision by email; whoever may decide hears of a new request.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import access, mail, panels
from networks.mail import MailKind
from networks.models import AffiliationRequest, Organisation, Person
from networks.outbox import outbox_enqueue_template

REQUESTED, GRANTED, UNCHANGED = "requested", "granted", "unchanged"


# --- Writes -------------------------------------------------------------------------------------------------


@transaction.atomic
def affiliation_request(*, person: Person, organisation: Organisation, note: str = "", user) -> str:
    """The person (signed in as ``user``) wants to belong to ``organisation``. Their editors join at once
    (GRANTED); anyone else's wish waits for confirmation (REQUESTED) and replaces a pending request for another
    organisation; the current organisation again withdraws a pending request (UNCHANGED)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    pending = AffiliationRequest.objects.select_for_update().pending().filter(person=person).first()
    note = note.strip()
    if organisation.pk == person.organisation_id:
        if pending is not None:
            _close(pending, AffiliationRequest.Status.WITHDRAWN)
        return UNCHANGED
    if access.affiliation_is_granted(user, organisation):
        if pending is not None:
            _close(pending, AffiliationRequest.Status.WITHDRAWN)
        _assign(person, organisation)
        return GRANTED
    if pending is not None and pending.organisation_id == organisation.pk:
        if pending.note != note:
            pending.note = note
            pending.save(update_fields=["note"])
        return REQUESTED
    if pending is not None:
        _close(pending, AffiliationRequest.Status.WITHDRAWN)
    try:
        with transaction.atomic():
            created = AffiliationRequest.objects.create(person=person, organisation=organisation, note=note)
    except IntegrityError:  # a second request at the same moment (the person row is locked: only without it)
        raise ValidationError(_("Your request is already waiting for confirmation.")) from None
    _tell_deciders(created)
    return REQUESTED


@transaction.atomic
def affiliation_leave(*, person: Person) -> None:
    """Leave the organisation at once; a pending request is withdrawn too."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    for pending in AffiliationRequest.objects.select_for_update().pending().filter(person=person):
        _close(pending, AffiliationRequest.Status.WITHDRAWN)
    if person.organisation_id is not None:
        _assign(person, None)


@transaction.atomic
def affiliation_withdraw(*, person: Person) -> bool:
    """Withdraw the person's pending request; whether there was one."""
    pending = AffiliationRequest.objects.select_for_update().pending().filter(person=person).first()
    if pending is None:
        return False
    _close(pending, AffiliationRequest.Status.WITHDRAWN)
    return True


@transaction.atomic
def affiliation_decide(*, request: AffiliationRequest, confirm: bool, by: Person) -> AffiliationRequest:
    """Confirm (the person now belongs to the organisation) or decline a pending request; the requester is told
    by email. A request decided or withdrawn meanwhile is refused with a ValidationError."""
    request = (
        AffiliationRequest.objects.select_for_update(of=("self",))
        .select_related("person__user", "organisation")
        .get(pk=request.pk)
    )
    if request.status != AffiliationRequest.Status.PENDING:
        raise ValidationError(_("This request has been decided or withdrawn already."))
    if request.person_id == by.pk:
        raise ValidationError(_("You cannot confirm your own request."))
    status = AffiliationRequest.Status.CONFIRMED if confirm else AffiliationRequest.Status.DECLINED
    _close(request, status, by=by)
    if confirm:
        _assign(request.person, request.organisation)
    person = request.person
    if mail.mail_wanted(person, "affiliation_decided"):
        outbox_enqueue_template(
            recipient=person.user.email,
            reason="affiliation_decided",
            template="affiliation_decided",
            context={
                "request": request,
                "person": person,
                "confirmed": confirm,
                "url": mail.absolute_url("networks:profile", person.language),
            },
            language=person.language,
            obj=request,
            occasion=status,
        )
    return request


@transaction.atomic
def affiliation_grant(*, person: Person, organisation: Organisation) -> None:
    """Grant directly (an invitation that names the organisation); a pending request for it counts as confirmed, one
    for another organisation stays pending."""
    for pending in (
        AffiliationRequest.objects.select_for_update().pending().filter(person=person, organisation=organisation)
    ):
        _close(pending, AffiliationRequest.Status.CONFIRMED)
    _assign(person, organisation)


def _assign(person: Person, organisation: Organisation | None) -> None:
    person.organisation = organisation
    person.save(update_fields=["organisation"])


def _close(request: AffiliationRequest, status: str, *, by: Person | None = None) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])


def _tell_deciders(request: AffiliationRequest) -> None:
    deciders = [p for p in access.affiliation_deciders(request.organisation) if p.pk != request.person_id]
    wanted = mail.mail_wanted_by(deciders, "affiliation_requested")
    for decider in deciders:
        if decider.pk not in wanted:
            continue
        outbox_enqueue_template(
            recipient=decider.user.email,
            reason="affiliation_requested",
            template="affiliation_requested",
            context={
                "request": request,
                "person": decider,
                "url": mail.absolute_url("networks:affiliation-requests", decider.language),
            },
            language=decider.language,
            obj=request,
            occasion=AffiliationRequest.Status.PENDING,
        )


# --- The person's side: what the profile and "Mein Bereich" show ----------------------------------------------


def pending_of(person: Person) -> AffiliationRequest | None:
    return AffiliationRequest.objects.pending().filter(person=person).select_related("organisation").first()


def _dashboard_panel(request, person):
    count = access.affiliation_requests_to_decide(request.user).count()
    return {"affiliation_count": count} if count else None


# --- Personal data -----------------------------------------------------------------------------------------


def export(person: Person) -> dict:
    rows = person.affiliation_requests.select_related("organisation").order_by("created_at")
    return {
        "affiliation_requests": [
            {
                "organisation": r.organisation.name,
                "status": r.status,
                "note": r.note,
                "requested_at": r.created_at.isoformat(),
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            }
            for r in rows
        ]
    }


def before_delete(person: Person) -> None:
    person.affiliation_requests.all().delete()


KINDS = [
    MailKind(
        "affiliation_decided",
        "networks",
        gettext_lazy("Decision on my organisation"),
        gettext_lazy(
            "You receive this email because you asked to belong to an organisation on Klimanetz. It is sent once "
            "per decision and cannot be switched off."
        ),
        switchable=False,
        order=20,
    ),
    MailKind(
        "affiliation_requested",
        "networks",
        gettext_lazy("Someone asks to belong to my organisation"),
        gettext_lazy(
            "You receive this email because you edit this organisation or coordinate one of its networks on Klimanetz."
        ),
        help=gettext_lazy("When a person asks to belong to an organisation whose affiliations you may confirm."),
        order=30,
        audience=mail.has_duties,
    ),
]


def register() -> None:
    """Called in NetworksConfig.ready(): the kinds of email, the panel in "Mein Bereich", the personal data."""
    mail.register(*KINDS)
    panels.register(
        "dashboard", panels.Panel("affiliations", "networks/partials/affiliation_panel.html", _dashboard_panel, order=5)
    )
    panels.register_personal_data("affiliations", export)
    panels.register_account_delete("affiliations", before_delete)
