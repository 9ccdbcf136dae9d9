"""Citizens: people with an account and no role in the portal's work (issue 16 §1).

A citizen takes part in public roadmaps (proposals, comments, supports, follows) and registers for public events;
they are not treated as a network member anywhere: no members' links in the header, "Mein Bereich" is their own
area of participation (not the members' dashboard), their profile has no members' fields (organisation, phone,
contact visibility, expertise). The one rule: a signed-in account whose person holds no role in a network and
edits no organisation, without staff powers. A role is given by an invitation, a membership request or an
organisation's editors; the account then counts as a member at once (the scope ``roles:<user pk>`` is bumped by
every NetworkRole and OrganisationRole saved or deleted and every working-group membership added or removed:
networks.apps; the search's scopes are kept under it too, networks.search.selectors).

The answer is asked on every page (the header), so it is kept in the cache under that scope (``remembered``): a
hit is one cache read and no query; networks.backends computes it with the account, so a session's later
requests never query for it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from networks import cache
from networks.models import NetworkRole, OrganisationRole, Person
from networks.staff import has_staff_powers


def roles_scope(user_id: int) -> str:
    """The cache scope bumped whenever the account's roles change."""
    return f"roles:{user_id}"


def has_a_role(user) -> bool:
    """The account's person holds a role in a network or edits an organisation (one query)."""
    return (
        Person.objects.filter(user=user)
        .filter(
            Exists(NetworkRole.objects.filter(person=OuterRef("pk")))
            | Exists(OrganisationRole.objects.filter(person=OuterRef("pk")))
        )
        .exists()
    )


def is_citizen(user) -> bool:
    """Signed in, no role in a network, no organisation to edit, no staff powers."""
    if not user.is_authenticated or has_staff_powers(user):
        return False
    key = f"{cache.PREFIX}:has-role:{user.pk}"
    return not cache.remembered(key, [roles_scope(user.pk)], lambda: has_a_role(user))


def scopes_of_role(role) -> tuple[str, ...]:
    """The roles scope of the account of a NetworkRole's or OrganisationRole's person (none without an account);
    the person as loaded with the role when it was (no query), else read."""
    person = role._state.fields_cache.get("person")
    if person is not None:
        user_id = person.user_id
    else:
        user_id = Person.objects.filter(pk=role.person_id).values_list("user_id", flat=True).first()
    return (roles_scope(user_id),) if user_id else ()


def group_members_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` of WorkingGroup.members, from either side: the roles scope of the account of each person
    who joined or left a group is bumped (``clear()`` names no rows: they are read at pre_clear, still linked)."""
    if not cache.enabled() or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # person.working_groups.add(…): the instance is the person
        person_ids = [instance.pk]
    elif action == "pre_clear":
        person_ids = list(instance.members.values_list("pk", flat=True))
    else:
        person_ids = list(pk_set or ())
    user_ids = Person.objects.filter(pk__in=person_ids, user__isnull=False).values_list("user_id", flat=True)
    names = [roles_scope(user_id) for user_id in user_ids] if person_ids else []
    if names:
        cache.bump_now_and_on_commit(names)
