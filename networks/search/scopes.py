"""Who may see an indexed item, as scope strings: the one vocabulary of the search index.

Every indexed item carries the scopes that may see it; a viewer has a set of scopes (``viewer_scopes``); a hit is
shown only when the two sets meet. Permission-aware by construction: a source that forgets an item's scopes
shows it to nobody, never to everybody.

- ``public``: everyone, also anonymous visitors
- ``signed_in``: every signed-in account
- ``members:<network id>``: everyone with a role in the network (members and coordinators)
- ``coordinators:<network id>``: the network's coordinators
- ``group:<working group id>``: the members of a working group who have a role in its network
- ``editors:<organisation id>``: the editors of an organisation
- ``person:<person id>``: one person (their own items)
- ``staff``: staff with their second factor (networks.staff.has_staff_powers)
"""

from __future__ import annotations

PUBLIC = "public"
SIGNED_IN = "signed_in"
STAFF = "staff"


def members(network_id: int) -> str:
    return f"members:{network_id}"


def coordinators(network_id: int) -> str:
    return f"coordinators:{network_id}"


def group(working_group_id: int) -> str:
    return f"group:{working_group_id}"


def internal(network_id: int, working_group=None) -> frozenset[str]:
    """Who may see an item of a network's internal space (a thread, a post, a library document): the network's
    members; an item of a closed working group only its members and the network's coordinators (the working groups'
    read rule, networks.access.readable_working_groups; staff see everything). ``working_group``: the item's
    WorkingGroup or None."""
    if working_group is not None and not working_group.is_open:
        return frozenset({group(working_group.pk), coordinators(network_id)})
    return frozenset({members(network_id)})


def editors(organisation_id: int) -> str:
    return f"editors:{organisation_id}"


def person(person_id: int) -> str:
    return f"person:{person_id}"
