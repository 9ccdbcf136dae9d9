"""Kinds of email and who wants them: one registry, one rule, one switch for every email of the portal.

- The registry: every kind of email (its code is the outbox ``reason``) with a label, a one-line "why you get
  this" and whether it can be switched off. Transactional mails (account confirmation, password reset, an
  invitation to a new address) cannot; their footer says why they were sent instead. networks registers its own
  kinds below; events, measures and monitoring register theirs in their AppConfig.ready() (apps to the right may
  depend on networks, never the reverse).
- The rule: ``mail_wanted(person, kind)``: the person may be mailed at all (``Person.can_be_mailed``) and has not
  switched the kind off; ``mail_wanted_by(people, kind)`` answers it for a whole scan in one query. Every sender
  asks it.
- The switch: a ``MailOptOut`` row per (person, kind) switched off; no row means on. Switched off on the settings
  page (``mail_settings_set``) or with the personal link in every mail (``unsubscribe_token`` →
  ``mail_switch_off``), which works without logging in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from networks.models import MailOptOut, NetworkRole, Person

TOKEN_SALT = "klimanetz.mail.unsubscribe"  # noqa: S105 (a salt, not a secret)


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    order: int = 100


@dataclass(frozen=True)
class MailKind:
    code: str  # the outbox reason and the email template's name
    area: str  # an Area code
    label: str  # what the email is, as the settings page lists it
    why: str  # the footer's "You receive this email because ..."
    switchable: bool = True
    help: str = ""  # when it comes, under its checkbox on the settings page
    order: int = 100
    # who can receive it (the settings page offers it to them): None for everyone with an account, else a
    # predicate of the person (e.g. "responsible for a measure, edits an organisation or coordinates a network")
    audience: Callable[[Person], bool] | None = None


_AREAS: dict[str, Area] = {}
_KINDS: dict[str, MailKind] = {}


def register_area(area: Area) -> None:
    _AREAS[area.code] = area


def register(*kinds: MailKind) -> None:
    for kind in kinds:
        _KINDS[kind.code] = kind


def kind_of(code: str) -> MailKind | None:
    return _KINDS.get(code)


def all_kinds() -> list[MailKind]:
    return sorted(_KINDS.values(), key=lambda k: (_AREAS[k.area].order, k.order, k.code))


def switchable_kinds() -> list[MailKind]:
    return [k for k in all_kinds() if k.switchable]


def in_a_network(person: Person) -> bool:
    """The audience of the emails about a network's inside (discussions, action items): a role in a network."""
    return person.network_roles.exists()


def coordinates_a_network(person: Person) -> bool:
    """The audience of the coordination's emails (new questions, requests to join, finished action items)."""
    return person.network_roles.filter(role=NetworkRole.Role.COORDINATOR).exists()


def has_duties(person: Person) -> bool:
    """Edits an organisation or coordinates a network: the audience of reminders about other people's work."""
    return person.organisation_roles.exists() or coordinates_a_network(person)


def kinds_for(person: Person) -> list[MailKind]:
    """The kinds the person's settings page offers: those of their audience and every kind they switched off
    (so that it can be switched on again)."""
    off = switched_off(person)
    return [k for k in all_kinds() if k.audience is None or k.code in off or k.audience(person)]


def areas() -> list[tuple[Area, list[MailKind]]]:
    """The areas in their order, each with its kinds (switchable or not)."""
    grouped = {code: [] for code in sorted(_AREAS, key=lambda c: _AREAS[c].order)}
    for kind in all_kinds():
        grouped[kind.area].append(kind)
    return [(_AREAS[code], kinds) for code, kinds in grouped.items() if kinds]


# --- the rule ------------------------------------------------------------------------------------------------


def switched_off(person: Person) -> set[str]:
    """The kinds the person switched off (cached on the instance; ``mail_preload`` fills it for a batch)."""
    cached = person.__dict__.get("_mail_off")
    if cached is None:
        cached = set(MailOptOut.objects.filter(person=person).values_list("kind", flat=True))
        person.__dict__["_mail_off"] = cached
    return cached


def mail_preload(people: Iterable[Person]) -> None:
    """Each person's switched-off kinds in one query, for a scan that asks ``mail_wanted`` per person."""
    people = list(people)
    off: dict[int, set[str]] = {p.pk: set() for p in people}
    for person_id, kind in MailOptOut.objects.filter(person_id__in=off).values_list("person_id", "kind"):
        off[person_id].add(kind)
    for person in people:  # every instance: a person registered twice may come as two objects
        person.__dict__["_mail_off"] = set(off[person.pk])


def mail_wanted(person: Person | None, kind: str) -> bool:
    """May ``person`` get an email of ``kind`` now: mailable at all, and the kind not switched off."""
    if person is None or not person.can_be_mailed:
        return False
    registered = kind_of(kind)
    if registered is not None and not registered.switchable:
        return True
    return kind not in switched_off(person)


def mail_wanted_by(people: Iterable[Person], kind: str) -> set[int]:
    """The ids of those of ``people`` who want ``kind`` (one query for all, none when the kind is not switchable).
    Expects ``user`` loaded with the people (select_related) for ``can_be_mailed``."""
    mailable = {p.pk for p in people if p.can_be_mailed}
    registered = kind_of(kind)
    if not mailable or (registered is not None and not registered.switchable):
        return mailable
    off = set(MailOptOut.objects.filter(person_id__in=mailable, kind=kind).values_list("person_id", flat=True))
    return mailable - off


# --- the switches --------------------------------------------------------------------------------------------


def _forget(person: Person) -> None:
    person.__dict__.pop("_mail_off", None)


def mail_settings_set(*, person: Person, off: set[str]) -> None:
    """Store which switchable kinds are off; every other switchable kind is on. Unknown codes are ignored."""
    codes = {k.code for k in switchable_kinds()}
    off = off & codes
    with transaction.atomic():
        MailOptOut.objects.filter(person=person, kind__in=codes - off).delete()
        MailOptOut.objects.bulk_create(
            [MailOptOut(person=person, kind=kind) for kind in sorted(off)], ignore_conflicts=True
        )
    _forget(person)


def mail_switch_off(*, person: Person, kind: str) -> bool:
    """Switch one kind off; returns whether it was on until now."""
    registered = kind_of(kind)
    if registered is None or not registered.switchable:
        raise ValueError(f"{kind!r} cannot be switched off")
    try:
        with transaction.atomic():
            _obj, created = MailOptOut.objects.get_or_create(person=person, kind=kind)
    except IntegrityError:  # a second click at the same moment
        created = False
    _forget(person)
    return created


# --- the personal link ---------------------------------------------------------------------------------------


def unsubscribe_token(person: Person, kind: str) -> str:
    """A signed, salted token for (person, kind), the same every time; it does not expire (the link in an old mail
    keeps working)."""
    return signing.Signer(salt=TOKEN_SALT).sign_object({"p": person.pk, "k": kind})


def unsubscribe_read(token: str) -> tuple[Person, MailKind] | None:
    """The person and the switchable kind of a token, or None when it is forged, damaged or names nothing."""
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):  # forged or damaged; ValueError: a signed value that is no JSON
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("k"), str):
        return None
    kind = kind_of(data["k"])
    person = Person.objects.select_related("user").filter(pk=data["p"]).first()
    if kind is None or not kind.switchable or person is None:
        return None
    return person, kind


def absolute_url(name: str, language: str, **kwargs) -> str:
    """The full address of the URL named ``name`` in ``language`` (for emails)."""
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def unsubscribe_url(person: Person, kind: str, language: str) -> str:
    return absolute_url("networks:mail-unsubscribe", language, token=unsubscribe_token(person, kind))


def settings_url(language: str) -> str:
    return absolute_url("networks:mail-settings", language)


def footer_context(*, kind: str, person: Person | None, language: str) -> dict:
    """What the footer of every email shows: why it was sent and, for a switchable kind, the personal link."""
    registered = kind_of(kind)
    if registered is None:
        raise LookupError(f"email kind {kind!r} is not registered in networks.mail")
    personal = registered.switchable and person is not None and person.pk is not None
    guest = person is not None and person.pk is None  # no account (events.notifications.Guest): no settings to link
    return {
        "kind": registered,
        "why": registered.why,
        "label": registered.label,
        "switchable": registered.switchable and not guest,
        "unsubscribe_url": unsubscribe_url(person, kind, language) if personal else "",
        "settings_url": settings_url(language),
    }


def list_unsubscribe_headers(*, recipient: str, kind: str, language: str) -> dict[str, str]:
    """RFC 2369/8058 headers for a switchable kind: the one-click link of the person behind ``recipient``."""
    registered = kind_of(kind)
    if registered is None or not registered.switchable:
        return {}
    person = Person.objects.filter(user__email__iexact=recipient, anonymised_at__isnull=True).first()
    if person is None:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person, kind, language)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def list_id(network) -> str:
    """RFC 2919 ``List-Id`` of a network's mails (announcements, posts, digests): mail programs file and filter by
    it, e.g. ``"Klima.Taten.Team" <klima-taten-team.klimanetz.example>``."""
    host = urlsplit(settings.SITE_URL).hostname or "klimanetz.invalid"
    name = network.short_name.replace('"', "'")
    return f'"{name}" <{network.slug}.{host}>'


# --- personal data (GDPR) ------------------------------------------------------------------------------------


def export(person: Person) -> dict:
    return {"email_notifications_switched_off": sorted(person.mail_opt_outs.values_list("kind", flat=True))}


def before_delete(person: Person) -> None:
    person.mail_opt_outs.all().delete()


# --- networks' own kinds -------------------------------------------------------------------------------------

register_area(Area("account", _("Your account"), order=10))
register_area(Area("networks", _("Networks"), order=20))
register_area(Area("events", _("Events"), order=30))
register_area(Area("measures", _("Roadmaps and measures"), order=40))
register_area(Area("monitoring", _("Monitoring"), order=50))

_ACCOUNT_WHY = _(
    "You receive this email because of an action on your account on Klimanetz. Emails about your account are "
    "always sent; they cannot be switched off."
)
# allauth's mails (networks.adapters: the reason is the template's name).
register(
    *(
        MailKind(code, "account", label, _ACCOUNT_WHY, switchable=False, order=n)
        for n, (code, label) in enumerate(
            [
                ("email_confirmation_signup", _("Confirmation of your email address after signing up")),
                ("email_confirmation", _("Confirmation of your email address")),
                ("password_reset_key", _("Link to reset your password")),
                ("password_reset", _("Password reset")),
                ("unknown_account", _("Password reset for an unknown address")),
                ("account_already_exists", _("Sign-up with an address that already has an account")),
                ("email_changed", _("Your email address was changed")),
                ("email_confirm", _("Your email address was confirmed")),
                ("email_deleted", _("An email address was removed")),
                ("password_changed", _("Your password was changed")),
                ("password_set", _("Your password was set")),
                ("login_code", _("Login code")),
                ("password_reset_code", _("Code to reset your password")),
            ]
        )
    ),
    MailKind(
        "invitation",
        "networks",
        _("Invitation to a network"),
        _(
            "You receive this email because a coordinator of the network invited this address. It is sent once per "
            "invitation and cannot be switched off; if you do not accept, you will not hear from us again."
        ),
        switchable=False,
    ),
)
