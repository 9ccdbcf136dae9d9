"""Reply addresses: ``reply+<token>@<INBOUND_REPLY_DOMAIN>``, one per recipient and thread.

The token is ``<person id>-<thread id>-<mac>``: both ids in base 36 and a keyed MAC over them (HMAC-SHA256 with
SECRET_KEY and a salt of its own, the first 80 bits in base 32). Everything is lower case and verification
ignores case, because mail systems may fold the local part. The token does not expire: a reply to a months-old
notification still reaches its thread, and access is checked again when the reply arrives (networks.inbound.
services). Rotating SECRET_KEY invalidates all reply addresses (old replies are then refused with an explanation).
"""

import base64
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "klimanetz.inbound.reply-token"
MAC_CHARS = 16  # 80 bits of base 32
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_TOKEN_RE = re.compile(rf"^([0-9a-z]{{1,13}})-([0-9a-z]{{1,13}})-([a-z2-7]{{{MAC_CHARS}}})$")


@dataclass(frozen=True)
class ReplyToken:
    person_id: int
    thread_id: int


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("negative id")
    digits = ""
    while True:
        n, r = divmod(n, 36)
        digits = _B36[r] + digits
        if not n:
            return digits


def _mac(person_id: int, thread_id: int, kind: str = "") -> str:
    message = f"{kind}:{person_id}:{thread_id}" if kind else f"{person_id}:{thread_id}"
    digest = salted_hmac(SALT, message, algorithm="sha256").digest()
    return base64.b32encode(digest[:10]).decode("ascii").lower()


def make_token(person_id: int, thread_id: int) -> str:
    return f"{_b36(person_id)}-{_b36(thread_id)}-{_mac(person_id, thread_id)}"


def read_token(token: str) -> ReplyToken | None:
    """The ids a token stands for, or None when it is malformed or its MAC does not match (forged)."""
    match = _TOKEN_RE.match((token or "").strip().lower())
    if not match:
        return None
    person_id, thread_id = int(match[1], 36), int(match[2], 36)
    if not hmac.compare_digest(match[3], _mac(person_id, thread_id)):
        return None
    return ReplyToken(person_id=person_id, thread_id=thread_id)


def enabled() -> bool:
    return bool(getattr(settings, "INBOUND_IMAP_URL", "")) and bool(reply_domain())


def reply_domain() -> str:
    return (getattr(settings, "INBOUND_REPLY_DOMAIN", "") or "").strip().lower()


def local_part() -> str:
    return (getattr(settings, "INBOUND_REPLY_LOCAL_PART", "") or "reply").strip().lower()


def reply_address(person, thread) -> str:
    """The address a notification of ``thread`` to ``person`` carries in Reply-To; "" when inbound mail is off."""
    if not enabled() or person is None or thread is None or person.pk is None or thread.pk is None:
        return ""
    return f"{local_part()}+{make_token(person.pk, thread.pk)}@{reply_domain()}"


def token_in_address(address: str) -> str | None:
    """The token part of ``reply+<token>@domain`` (any domain, any case), or None for another address."""
    local, _, _domain = (address or "").strip().strip("<>").rpartition("@")
    prefix = local_part() + "+"
    if not local.lower().startswith(prefix):
        return None
    return local[len(prefix) :].lower() or None


# --- Routes: other rooms' conversations by email (e.g. networks.experts' questions, kind "ask") ------------------
# A routed address is ``reply+<kind>-<person>-<object>-<mac>@domain``; the MAC covers the kind, so a thread's token
# never passes for another kind's. networks.inbound.services hands a routed reply to the kind's handler:
# handler(person=, object_id=, text=) stores it (raises PermissionDenied or ValidationError to refuse it).
_ROUTES: dict = {}


def register_route(kind: str, handler) -> None:
    _ROUTES[kind] = handler


def make_routed_token(kind: str, person_id: int, object_id: int) -> str:
    return f"{kind}-{_b36(person_id)}-{_b36(object_id)}-{_mac(person_id, object_id, kind)}"


def read_routed_token(token: str):
    """(kind, handler, ReplyToken) of a routed token of a registered kind; (kind, None, None) when forged;
    None when the token is not a routed one."""
    kind, _, rest = (token or "").strip().lower().partition("-")
    if kind not in _ROUTES:
        return None
    match = _TOKEN_RE.match(rest)
    if not match:
        return kind, None, None
    person_id, object_id = int(match[1], 36), int(match[2], 36)
    if not hmac.compare_digest(match[3], _mac(person_id, object_id, kind)):
        return kind, None, None
    return kind, _ROUTES[kind], ReplyToken(person_id=person_id, thread_id=object_id)


def routed_reply_address(kind: str, person, object_id: int) -> str:
    """The Reply-To of a routed conversation's email to ``person``; "" when inbound mail is off."""
    if not enabled() or person is None or person.pk is None or not object_id:
        return ""
    return f"{local_part()}+{make_routed_token(kind, person.pk, object_id)}@{reply_domain()}"
