"""Reads of networks.search: who the viewer is in scope terms, and the search itself (networks.search.query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from networks import cache as page_cache
from networks.citizens import roles_scope
from networks.models import Network, NetworkRole, OrganisationRole, Person, WorkingGroup
from networks.search import scopes
from networks.staff import has_staff_powers

ALL = "*"  # the viewer may see every indexed item (staff with their second factor)


def _scope_rows(user_id: int) -> list[tuple[str, int, str]]:
    person = Person._meta.db_table
    sql = (
        f"SELECT 'p', p.id, '' FROM {person} p WHERE p.user_id = %s "  # noqa: S608 # nosec B608 (table names)
        f"UNION ALL SELECT 'n', r.network_id, r.role FROM {NetworkRole._meta.db_table} r "
        f"JOIN {person} p ON p.id = r.person_id WHERE p.user_id = %s "
        # a working group's members who still have a role in its network (networks.access.readable_working_groups)
        f"UNION ALL SELECT 'g', g.workinggroup_id, '' FROM {WorkingGroup.members.through._meta.db_table} g "
        f"JOIN {person} p ON p.id = g.person_id "
        f"JOIN {WorkingGroup._meta.db_table} w ON w.id = g.workinggroup_id "
        f"JOIN {NetworkRole._meta.db_table} gr ON gr.network_id = w.network_id AND gr.person_id = p.id "
        f"WHERE p.user_id = %s "
        f"UNION ALL SELECT 'o', o.organisation_id, '' FROM {OrganisationRole._meta.db_table} o "
        f"JOIN {person} p ON p.id = o.person_id WHERE p.user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id] * 4)
        return cursor.fetchall()


def viewer_scopes(user) -> frozenset[str]:
    """The scopes ``user`` holds (networks/search/scopes.py), kept on the user object for the request. Staff with
    their second factor get ``{"*"}``: every indexed item.

    Computed from the roles as they are now, never stored in the index, and kept in the cache
    (networks.cache.remembered) under the account's roles scope, which every network role, organisation role and
    working-group membership saved or removed bumps (networks.apps), and ``global`` (the person's row): a person
    removed from a network stops finding its items with the next request. A hit is one cache read, a miss one
    query."""
    if not user.is_authenticated:
        return frozenset({scopes.PUBLIC})
    powers = has_staff_powers(user)
    cached = user.__dict__.get("_search_scopes")
    if cached is not None and cached[0] == powers:
        return cached[1]
    if powers:
        held = frozenset({ALL})
    else:
        key = f"{page_cache.PREFIX}:search-scopes:{user.pk}"
        held = page_cache.remembered(key, [roles_scope(user.pk), "global"], lambda: _held(user.pk))
    user.__dict__["_search_scopes"] = (powers, held)
    return held


def _held(user_id: int) -> frozenset[str]:
    """The scopes of an account without staff powers, in one query: the person, their network roles, working
    groups and organisations they edit, as (what, id, role) rows of one UNION ALL (written out: the ORM's union
    costs more to build than to run)."""
    held = {scopes.PUBLIC, scopes.SIGNED_IN}
    for what, pk, role in _scope_rows(user_id):
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
    return frozenset(held)


@dataclass(frozen=True)
class NetworkName:
    """What a search page shows of a network (its facets, its hits): kept with the answer in the cache."""

    pk: int
    name: str
    short_name: str

    @property
    def label(self) -> str:
        return self.short_name or self.name


def network_names(ids) -> dict[int, NetworkName]:
    """The networks with these ids by id (one query; none for no ids)."""
    ids = sorted(i for i in ids if i is not None)
    if not ids:
        return {}
    rows = Network.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")
    return {pk: NetworkName(pk, name, short_name) for pk, name, short_name in rows}


__all__ = ["ALL", "NetworkName", "network_names", "viewer_scopes"]
