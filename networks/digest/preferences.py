"""How each person wants a network's mail: the one place every sender of posts and announcements asks.

Contract (issue 15, COMMON.md):
- ``post_modes(network, person_ids) -> {person_id: mode}``, mode in "each" | "daily" | "weekly" | "off"; one query;
  a person without a choice gets ``DEFAULT_POSTS`` ("daily").
- ``announcements_by_email(network, person_ids) -> {person_id: bool}``; default True; False means "only in the
  digest": announcements can never be switched off entirely.
- ``set_announcements(person, network, by_email)`` and ``set_posts(person, network, mode)``: the switches the
  settings page and the one-click links (``one_click_url``) call.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.db import transaction

from networks.digest.models import (
    DEFAULT_HOUR,
    DEFAULT_POSTS,
    DEFAULT_WEEKDAY,
    DeliveryPreference,
    DigestSettings,
    PostsMode,
)

ONE_CLICK_SALT = "klimanetz.digest.one-click"  # noqa: S105 (a salt, not a secret)

# What a one-click link may do (the action code in the signed token): the announcements helper's
# "move announcements to the digest", the channel's "stop emails of every post", the digest's own "no digest".
ACTIONS = {
    "announcements-digest": {"announcements_by_email": False},
    "posts-daily": {"posts": PostsMode.DAILY},
    "posts-off": {"posts": PostsMode.OFF},
    # "no more digests": nothing of the networks' discussions and news, and announcements back to email (they are
    # never switched off entirely, so they must go somewhere)
    "digest-off": {"posts": PostsMode.OFF, "announcements_by_email": True},
}


def _ids(person_ids: Iterable[int]) -> list[int]:
    return sorted({int(pk) for pk in person_ids})


def post_modes(network, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's posts mode for ``network`` (one query)."""
    ids = _ids(person_ids)
    modes = {pk: str(DEFAULT_POSTS) for pk in ids}
    if ids:
        rows = DeliveryPreference.objects.filter(network=network, person_id__in=ids).values_list("person_id", "posts")
        modes.update(dict(rows))
    return modes


def announcements_by_email(network, person_ids: Iterable[int]) -> dict[int, bool]:
    """Whether each person gets ``network``'s announcements by email (True) or only in the digest (one query)."""
    ids = _ids(person_ids)
    by_email = dict.fromkeys(ids, True)
    if ids:
        rows = DeliveryPreference.objects.filter(network=network, person_id__in=ids).values_list(
            "person_id", "announcements_by_email"
        )
        by_email.update(dict(rows))
    return by_email


def preferences_of(person_ids: Iterable[int]) -> dict[int, dict[int, tuple[str, bool]]]:
    """The stored choices of many people for all their networks: {person_id: {network_id: (posts, by_email)}}
    (one query; a network missing from a person's dict has the defaults)."""
    out: dict[int, dict[int, tuple[str, bool]]] = {}
    rows = DeliveryPreference.objects.filter(person_id__in=_ids(person_ids)).values_list(
        "person_id", "network_id", "posts", "announcements_by_email"
    )
    for person_id, network_id, posts, by_email in rows:
        out.setdefault(person_id, {})[network_id] = (posts, by_email)
    return out


def preference_set(*, person, network, posts: str | None = None, announcements_by_email: bool | None = None):
    """Store one person's choice for one network (only the given parts change). Idempotent."""
    if posts is not None and posts not in PostsMode.values:
        raise ValueError(f"unknown posts mode {posts!r}")
    with transaction.atomic():
        pref, _created = DeliveryPreference.objects.select_for_update().get_or_create(person=person, network=network)
        changed = []
        if posts is not None and pref.posts != posts:
            pref.posts = posts
            changed.append("posts")
        if announcements_by_email is not None and pref.announcements_by_email != announcements_by_email:
            pref.announcements_by_email = announcements_by_email
            changed.append("announcements_by_email")
        if changed:
            pref.save(update_fields=[*changed, "updated_at"])
    return pref


def set_announcements(person, network, by_email: bool) -> DeliveryPreference:
    """Announcements of ``network`` by email (True) or only in the digest (False)."""
    return preference_set(person=person, network=network, announcements_by_email=bool(by_email))


def set_posts(person, network, mode: str) -> DeliveryPreference:
    return preference_set(person=person, network=network, posts=mode)


def digest_settings(person) -> DigestSettings:
    """The person's hour and weekday (an unsaved row with the defaults when they never chose)."""
    found = DigestSettings.objects.filter(person=person).first()
    return found or DigestSettings(person=person, hour=DEFAULT_HOUR, weekday=DEFAULT_WEEKDAY)


def digest_settings_set(*, person, hour: int, weekday: int) -> DigestSettings:
    if not (0 <= hour <= 23 and 0 <= weekday <= 6):
        raise ValueError("hour must be 0-23 and weekday 0-6")
    row, _created = DigestSettings.objects.update_or_create(person=person, defaults={"hour": hour, "weekday": weekday})
    return row


# --- one-click links (List-Unsubscribe of announcements, posts and digests) -----------------------------------


def one_click_token(person, network, action: str) -> str:
    """A signed token for (person, network or None for all networks, action); it does not expire."""
    if action not in ACTIONS:
        raise ValueError(f"unknown one-click action {action!r}")
    return signing.Signer(salt=ONE_CLICK_SALT).sign_object(
        {"p": person.pk, "n": network.pk if network is not None else None, "a": action}
    )


def one_click_read(token: str) -> tuple[int, int | None, str] | None:
    """(person id, network id or None, action) of a token, or None when it is forged or damaged."""
    try:
        data = signing.Signer(salt=ONE_CLICK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or data.get("a") not in ACTIONS:
        return None
    network_id = data.get("n")
    if network_id is not None and not isinstance(network_id, int):
        return None
    return data["p"], network_id, data["a"]


def one_click_apply(*, person, network_id: int | None, action: str) -> list:
    """Apply a one-click ``action`` to the named network, or to every network of the person (``network_id``
    None). Networks the person has left are ignored. Returns the networks changed."""
    from networks.models import Network

    networks = Network.objects.filter(roles__person=person).distinct().order_by("name")
    if network_id is not None:
        networks = networks.filter(pk=network_id)
    networks = list(networks)
    with transaction.atomic():
        for network in networks:
            preference_set(person=person, network=network, **ACTIONS[action])
    return networks


def one_click_url(person, network, action: str, language: str) -> str:
    """The full address of the one-click page for ``action`` (GET shows a button; POST, also RFC 8058's
    "List-Unsubscribe=One-Click" from a mail program, applies it). ``network`` None: every network of the person."""
    from networks.mail import absolute_url

    return absolute_url("digest:one-click", language, token=one_click_token(person, network, action))


def one_click_headers(person, network, action: str, language: str) -> dict[str, str]:
    """``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers (RFC 2369/8058) for the one-click ``action``."""
    return {
        "List-Unsubscribe": f"<{one_click_url(person, network, action, language)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
