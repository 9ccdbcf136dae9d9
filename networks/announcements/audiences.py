"""To whom an announcement goes: the audience registry.

An audience is a string key. networks knows its own ("members", "role:coordinator", "role:member",
"group:<working group id>"); apps to the right add theirs with ``register(Provider(...))`` in their
AppConfig.ready() (events: "event:<id>:registered", "event:<id>:waiting", ...), since networks may not import them.

``choices(network)`` is what the compose form offers; ``people(network, key)`` the Person queryset an audience
means now (None for a key nobody knows, or one that does not belong to the network); ``label(network, key)``
its words for the archive and the confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from networks.models import Network, NetworkRole, Person, WorkingGroup

MEMBERS = "members"


@dataclass(frozen=True)
class Provider:
    prefix: str  # the key's first part: "event" for "event:12:registered"
    # (key, label) the compose form offers, grouped under ``group``; or [(group label, [(key, label), ...]), ...]
    choices: Callable[[Network], list]
    people: Callable[[Network, str], QuerySet | None]  # None: not an audience of this network
    label: Callable[[Network, str], str | None]
    group: str = ""  # the heading of its choices in the form
    # what the email of an announcement ``about`` this prefix ("event:12": an invitation) shows beside its text,
    # in the recipient's language: (announcement, language) -> template context
    mail_context: Callable[..., dict] | None = None
    # the provider's part of the demo (networks.announcements.demo calls it): e.g. events' invitation
    demo: Callable[..., None] | None = None
    # the working group a key of this prefix belongs to ("event:12", "event:12:registered": the meeting's group),
    # or None: (network, key) -> WorkingGroup | None. A closed group's announcements are for its readers only.
    working_group: Callable[[Network, str], WorkingGroup | None] | None = None


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.prefix] = provider


def _role_people(network: Network, role: str | None) -> QuerySet:
    roles = NetworkRole.objects.filter(network=network)
    if role:
        roles = roles.filter(role=role)
    return Person.objects.filter(pk__in=roles.values("person"))


def _group(network: Network, key: str) -> WorkingGroup | None:
    _prefix, _sep, pk = key.partition(":")
    if not pk.isdigit():
        return None
    return WorkingGroup.objects.filter(network=network, pk=int(pk)).first()


def _own(network: Network, key: str) -> tuple[QuerySet, str] | None:
    if key == MEMBERS:
        return _role_people(network, None), _("All members of %(network)s") % {"network": network.short_name}
    if key == f"role:{NetworkRole.Role.COORDINATOR}":
        return _role_people(network, NetworkRole.Role.COORDINATOR), _("The coordination")
    if key == f"role:{NetworkRole.Role.MEMBER}":
        return _role_people(network, NetworkRole.Role.MEMBER), _("Members without the coordination")
    if key.startswith("group:"):
        group = _group(network, key)
        if group is not None:
            members = group.members.filter(pk__in=_role_people(network, None).values("pk"))  # still in the network
            return members, _("Working group “%(name)s”") % {"name": group.name}
    return None


def choices(network: Network) -> list[tuple[str, list[tuple[str, str]]]]:
    """The audiences the compose form offers, as Django's grouped choices: [(group, [(key, label), ...]), ...]."""
    roles = [
        (MEMBERS, _("All members of %(network)s") % {"network": network.short_name}),
        (f"role:{NetworkRole.Role.COORDINATOR}", _("The coordination")),
        (f"role:{NetworkRole.Role.MEMBER}", _("Members without the coordination")),
    ]
    out = [(_("Network"), roles)]
    groups = [
        (f"group:{group.pk}", _("Working group “%(name)s”") % {"name": group.name})
        for group in network.working_groups.filter(is_active=True).order_by("name")
    ]
    if groups:
        out.append((_("Working groups"), groups))
    for provider in _PROVIDERS.values():
        offered = provider.choices(network)
        if offered and isinstance(offered[0][1], list | tuple):  # the provider groups its own (e.g. per event)
            out.extend(offered)
        elif offered:
            out.append((provider.group or provider.prefix, offered))
    return out


def _provider(key: str) -> Provider | None:
    return _PROVIDERS.get(key.partition(":")[0])


def people(network: Network, key: str) -> QuerySet | None:
    """The people ``key`` means in ``network`` now (not yet filtered for who can be mailed), or None."""
    own = _own(network, key)
    if own is not None:
        return own[0]
    provider = _provider(key)
    return provider.people(network, key) if provider is not None else None


def label(network: Network, key: str) -> str | None:
    own = _own(network, key)
    if own is not None:
        return own[1]
    provider = _provider(key)
    return provider.label(network, key) if provider is not None else None


def recipients(network: Network, key: str) -> list[Person]:
    """The people of the audience who can be mailed, with their accounts, in a stable order (one query)."""
    found = people(network, key)
    if found is None:
        return []
    return [
        person
        for person in Person.objects.filter(pk__in=found.values("pk")).select_related("user").order_by("pk")
        if person.can_be_mailed
    ]


def working_group_of(network: Network, key: str) -> WorkingGroup | None:
    """The working group an audience or ``about`` key belongs to: "group:<id>", or what its provider says (an
    event's audiences and invitation: the meeting's group); None for the whole network."""
    if key.startswith("group:"):
        return _group(network, key)
    provider = _provider(key)
    if provider is None or provider.working_group is None:
        return None
    return provider.working_group(network, key)


def mail_context(announcement, language: str) -> dict:
    """The provider's context for an announcement about one of its objects (an event's invitation), or {}."""
    if not announcement.about:
        return {}
    provider = _provider(announcement.about)
    if provider is None or provider.mail_context is None:
        return {}
    return provider.mail_context(announcement, language)


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())
