"""Authorization-matrix rows and world objects of networks.announcements (see tests/security/test_url_matrix.py),
and the events-side invitation button (events:event-invite)."""

from __future__ import annotations

from networks.announcements import services
from tests.announcements.factories import AnnouncementFactory
from tests.networks.factories import NetworkRoleFactory, WorkingGroupFactory
from tests.security.conftest import World, poison


def build(w: World) -> None:
    """A sent announcement and a draft in the world's network, a sent one in the other network; free text poisoned."""
    coordinator = w.people["coordinator"]
    sent = poison(AnnouncementFactory(network=w.network, author=coordinator), audience="members")
    services.announcement_send(announcement=sent, by=coordinator)
    w.o["announcement"] = sent
    w.o["announcement_draft"] = poison(AnnouncementFactory(network=w.network, author=coordinator), audience="members")
    other = AnnouncementFactory(network=w.other, author=w.people["other_network"])
    services.announcement_send(announcement=other)
    w.o["announcement_b"] = other
    # A closed working group's announcement: the world's member is not in the group (only the coordination reads it).
    group = WorkingGroupFactory(network=w.network, name="Geschlossene Steuerungsgruppe", is_open=False)
    group.members.add(NetworkRoleFactory(network=w.network).person)
    closed = AnnouncementFactory(network=w.network, author=coordinator, audience=f"group:{group.pk}")
    services.announcement_save(announcement=closed, author=coordinator)
    services.announcement_send(announcement=closed, by=coordinator)
    w.o["announcement_closed_group"] = closed


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS,
        FORBIDDEN,
        LOGIN,
        MEMBERS,
        NOT_FOUND,
        OK,
        POST_ONLY,
        REDIRECT,
        Row,
        done,
        ev,
        ex,
        net,
    )

    def one(name: str):
        return lambda w: {"slug": w.network.slug, "pk": w.o[name].pk}

    drafts_hidden = ex(FORBIDDEN, anonymous=LOGIN, member=NOT_FOUND, coordinator=REDIRECT, staff=REDIRECT)
    sent_fixed = ex(FORBIDDEN, anonymous=LOGIN, coordinator=REDIRECT, staff=REDIRECT)
    return [
        Row("announcements:announcement-list", net, MEMBERS, query=lambda w: "?q=Netzwerktreffen"),
        Row("announcements:announcement-list", net, MEMBERS),
        Row("announcements:announcement-detail", one("announcement"), MEMBERS),
        Row(
            "announcements:announcement-detail",
            one("announcement_draft"),
            drafts_hidden,
            note="a draft: the coordination is sent to its edit page, members get 404",
        ),
        Row(
            "announcements:announcement-detail",
            one("announcement_closed_group"),
            ex(FORBIDDEN, anonymous=LOGIN, member=NOT_FOUND, coordinator=OK, staff=OK),
            note="a closed working group's announcement: only the group's readers (networks.access.group_allows)",
        ),
        Row(
            "announcements:announcement-detail",
            one("announcement_b"),
            ex(FORBIDDEN, anonymous=LOGIN, member=NOT_FOUND, coordinator=NOT_FOUND, staff=NOT_FOUND),
            note="another network's announcement under this network's address",
        ),
        Row("announcements:announcement-create", net, COORDINATORS, post=done(COORDINATORS, BAD)),
        Row(
            "announcements:announcement-edit",
            one("announcement_draft"),
            COORDINATORS,
            post=done(COORDINATORS, BAD),
            note="an empty POST: no subject, no text",
        ),
        Row(
            "announcements:announcement-edit",
            one("announcement"),
            sent_fixed,
            post=sent_fixed,
            note="a sent announcement cannot change: back to its page",
        ),
        Row("announcements:announcement-send", one("announcement_draft"), COORDINATORS, post=done(COORDINATORS)),
        Row("announcements:announcement-send", one("announcement"), sent_fixed, post=sent_fixed, note="sent already"),
        Row("announcements:announcement-delete", one("announcement_draft"), POST_ONLY, done(COORDINATORS)),
        Row(
            "announcements:announcement-delete",
            one("announcement"),
            POST_ONLY,
            ex(FORBIDDEN, anonymous=LOGIN, coordinator=NOT_FOUND, staff=NOT_FOUND),
            note="only drafts can be deleted",
        ),
        Row("events:event-invite", ev("event_internal"), POST_ONLY, done(COORDINATORS), note="events.announcements"),
    ]
