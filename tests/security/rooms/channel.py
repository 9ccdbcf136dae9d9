"""Authorization-matrix rows and world objects of networks.channel (see tests/security/test_url_matrix.py).

The discussions are the network's internal space: the lists answer 403 to outsiders of a public network (as the
member directory does), a thread or post 404 (nobody outside needs to know it exists). Members read and write;
coordinators (and staff) moderate; a post is edited by its author only.
"""

from __future__ import annotations

from tests.security.conftest import PAYLOAD, World, poison


def build(w: World) -> None:
    """The coordinator's thread with the member's reply (marked as the answer, taken into the FAQ), a thread in the
    working group, a category, an open report, and a thread of the other network; free text poisoned."""
    from networks.channel import services
    from networks.channel.models import Category

    p, o = w.people, w.o
    o["ch_category"] = poison(Category.objects.create(network=w.network, name="Kat", slug="kat"))
    thread = services.thread_create(
        network=w.network, author=p["coordinator"], title=f"Thema {PAYLOAD}", body=f"Frage {PAYLOAD}"
    )
    o["ch_thread"] = thread
    o["ch_post_coord"] = thread.posts.get(number=1)
    o["ch_post_member"] = services.post_reply(thread=thread, author=p["member"], body=f"Antwort {PAYLOAD} @Mitglied")
    services.mark_answer(thread=thread, post=o["ch_post_member"], by=p["coordinator"].user)
    o["ch_faq"] = services.faq_from_answer(thread=thread, by=p["coordinator"].user, question=f"FAQ {PAYLOAD}")
    o["ch_report"] = services.post_report(post=o["ch_post_coord"], reporter=p["member"], reason=f"Grund {PAYLOAD}")
    o["ch_group_thread"] = services.thread_create(
        network=w.network, author=p["member"], title=f"AG {PAYLOAD}", body=PAYLOAD, working_group=o["group"]
    )
    o["ch_thread_b"] = services.thread_create(
        network=w.other, author=p["other_network"], title="Fremd", body="Fremdes Netzwerk"
    )


def rows() -> list:
    """This room's rows (import Row, ex, ... from tests.security.test_url_matrix inside this function)."""
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS,
        COORDINATORS_HIDDEN,
        FORBIDDEN,
        LOGIN,
        MEMBERS,
        MEMBERS_HIDDEN,
        NOT_FOUND,
        OK,
        POST_ONLY,
        REDIRECT,
        Row,
        done,
        ex,
        net,
    )

    def obj(name: str):
        return lambda w: {**net(w), "pk": w.o[name].pk}

    readers_bad = ex(NOT_FOUND, anonymous=LOGIN, member=BAD, coordinator=BAD, staff=BAD)
    return [
        Row("channel:thread-list", net, MEMBERS),
        Row("channel:thread-list", net, MEMBERS, query=lambda w: f"?gruppe={w.group.pk}&kategorie=kat&page=9"),
        Row("channel:thread-create", net, MEMBERS, post=done(MEMBERS, BAD), note="an empty POST has no title"),
        Row("channel:people", net, MEMBERS, query=lambda w: "?q=Mit", note="JSON: names of the network's people"),
        Row("channel:category-list", net, COORDINATORS, post=done(COORDINATORS, BAD)),
        Row("channel:category-edit", obj("ch_category"), COORDINATORS, post=done(COORDINATORS, BAD)),
        Row("channel:category-delete", obj("ch_category"), POST_ONLY, done(COORDINATORS)),
        Row("channel:report-list", net, COORDINATORS),
        Row("channel:report-resolve", obj("ch_report"), POST_ONLY, done(COORDINATORS)),
        Row("channel:thread-detail", obj("ch_thread"), MEMBERS_HIDDEN),
        Row("channel:thread-detail", obj("ch_thread"), MEMBERS_HIDDEN, query=lambda w: "?zitat=2&page=x"),
        Row("channel:thread-detail", obj("ch_group_thread"), MEMBERS_HIDDEN, note="groups are open to members"),
        Row(
            "channel:thread-detail",
            obj("ch_thread_b"),
            ex(NOT_FOUND, anonymous=LOGIN),
            note="another network's thread under this network's address",
        ),
        Row("channel:post-create", obj("ch_thread"), POST_ONLY, readers_bad, note="an empty reply: 400"),
        Row("channel:thread-follow", obj("ch_thread"), POST_ONLY, readers_bad, note="no state: 400"),
        Row("channel:thread-pin", obj("ch_thread"), POST_ONLY, done(COORDINATORS_HIDDEN)),
        Row("channel:thread-close", obj("ch_thread"), POST_ONLY, done(COORDINATORS_HIDDEN)),
        Row("channel:thread-move", obj("ch_thread"), COORDINATORS_HIDDEN, done(COORDINATORS_HIDDEN, BAD)),
        Row("channel:faq-create", obj("ch_thread"), COORDINATORS_HIDDEN, done(COORDINATORS_HIDDEN, BAD)),
        Row(
            "channel:post-edit",
            obj("ch_post_member"),
            ex(NOT_FOUND, anonymous=LOGIN, member=OK, coordinator=FORBIDDEN, staff=FORBIDDEN),
            post=ex(NOT_FOUND, anonymous=LOGIN, member=BAD, coordinator=FORBIDDEN, staff=FORBIDDEN),
            note="only its author edits a post",
        ),
        Row("channel:post-history", obj("ch_post_member"), MEMBERS_HIDDEN),
        Row(
            "channel:post-report",
            obj("ch_post_coord"),
            ex(NOT_FOUND, anonymous=LOGIN, member=OK, coordinator=FORBIDDEN, staff=OK),
            post=ex(NOT_FOUND, anonymous=LOGIN, member=BAD, coordinator=FORBIDDEN, staff=BAD),
            note="nobody reports their own post",
        ),
        Row("channel:post-hide", obj("ch_post_member"), COORDINATORS_HIDDEN, done(COORDINATORS_HIDDEN, BAD)),
        Row("channel:post-unhide", obj("ch_post_member"), POST_ONLY, done(COORDINATORS_HIDDEN)),
        Row(
            "channel:post-answer",
            obj("ch_post_member"),
            POST_ONLY,
            done(COORDINATORS_HIDDEN),
            note="the thread's author (the coordinator) or coordinators",
        ),
        Row(
            "channel:group-join",
            lambda w: {**net(w), "pk": w.group.pk},
            POST_ONLY,
            ex(NOT_FOUND, anonymous=LOGIN, member=REDIRECT, coordinator=REDIRECT, staff=FORBIDDEN),
            note="members of the network join; staff without a role in it cannot",
        ),
        Row(
            "channel:group-leave",
            lambda w: {**net(w), "pk": w.group.pk},
            POST_ONLY,
            ex(NOT_FOUND, anonymous=LOGIN, member=REDIRECT, coordinator=REDIRECT, staff=REDIRECT),
        ),
        Row(
            "channel:group-join",
            lambda w: {**net(w), "pk": w.group_b.pk},
            POST_ONLY,
            ex(NOT_FOUND, anonymous=LOGIN),
            note="another network's group",
        ),
    ]
