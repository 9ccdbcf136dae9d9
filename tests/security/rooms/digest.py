"""Authorization-matrix rows and world objects of networks.digest (see tests/security/test_url_matrix.py)."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """The digest needs no objects of its own: the pages show the personas' networks and choices."""


def rows() -> list:
    from networks.digest import preferences
    from tests.security.test_url_matrix import BAD, EVERYONE, LOGGED_IN, MEMBERS, Row, ex, net, none

    def token(w):
        return preferences.one_click_token(w.people["member"], w.network, "announcements-digest")

    return [
        Row(
            "digest:settings",
            none,
            LOGGED_IN,
            post=LOGGED_IN,
            note="each person's own choices; an empty POST is a form error (the hour), never a half-saved change",
        ),
        Row("digest:network-settings", net, MEMBERS, post=MEMBERS, note="an empty POST: form errors"),
        Row(
            "digest:preview",
            none,
            LOGGED_IN,
            note="only ever the signed-in person's own next digest (the address names no one; nothing written)",
        ),
        Row(
            "digest:one-click",
            lambda w: {"token": token(w)},
            EVERYONE,
            note="the signed token is the key, no login; its POST is csrf-exempt (RFC 8058): tests/digest",
        ),
        Row("digest:one-click", lambda w: {"token": token(w)[:-2] + "xx"}, ex(BAD), note="a tampered token: 400"),
    ]
