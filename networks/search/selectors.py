"""Reads of networks.search: who the viewer is in scope terms, and the search itself (networks.search.query)."""

from __future__ import annotations

from django.db.models import CharField, Value

from networks.models import NetworkRole, OrganisationRole, Person, WorkingGroup
from networks.search import scopes
from networks.staff import has_staff_powers

ALL = "*"  # the viewer may see every indexed item (staff with their second factor)


def viewer_scopes(user) -> frozenset[str]:
    """The scopes ``user`` holds (networks/search/scopes.py), read in one query and kept on the user object for
    the request. Staff with their second factor get ``{"*"}``: every indexed item.

    Computed from the roles as they are now, never stored in the index: a person removed from a network stops
    finding its items with the next request."""
    if not user.is_authenticated:
        return frozenset({scopes.PUBLIC})
    powers = has_staff_powers(user)
    cached = user.__dict__.get("_search_scopes")
    if cached is not None and cached[0] == powers:
        return cached[1]
    if powers:
        held = frozenset({ALL})
    else:
        held = {scopes.PUBLIC, scopes.SIGNED_IN}
        # One query: the person, their network roles, working groups and organisations they edit, as
        # (what, id, role) rows of one UNION ALL.
        person = (
            Person.objects.filter(user=user)
            .values_list(Value("p", output_field=CharField()), "pk", Value("", output_field=CharField()))
            .order_by()
        )
        roles = (
            NetworkRole.objects.filter(person__user=user)
            .values_list(Value("n", output_field=CharField()), "network_id", "role")
            .order_by()
        )
        groups = (
            WorkingGroup.members.through.objects.filter(person__user=user)
            .values_list(Value("g", output_field=CharField()), "workinggroup_id", Value("", output_field=CharField()))
            .order_by()
        )
        edits = (
            OrganisationRole.objects.filter(person__user=user)
            .values_list(Value("o", output_field=CharField()), "organisation_id", Value("", output_field=CharField()))
            .order_by()
        )
        for what, pk, role in person.union(roles, groups, edits, all=True):
            if what == "p":
                held.add(scopes.person(pk))
            elif what == "n":
                held.add(scopes.members(pk))
                if role == NetworkRole.Role.COORDINATOR:
                    held.add(scopes.coordinators(pk))
            elif what == "g":
                held.add(scopes.group(pk))
            else:
                held.add(scopes.editors(pk))
        held = frozenset(held)
    user.__dict__["_search_scopes"] = (powers, held)
    return held


__all__ = ["ALL", "viewer_scopes"]
