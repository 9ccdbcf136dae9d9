"""The digest build: grouping, language, nothing twice, never empty, exactly once, the per-network choices."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from networks.digest import build, preferences
from networks.digest.models import DigestRun, PostsMode
from networks.models import NetworkRole, OutboxMessage
from tests.networks import factories as f

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
DAY1 = datetime(2026, 12, 7, 7, 0, tzinfo=BERLIN)  # Monday
DAY2 = DAY1 + timedelta(days=1)


def daily(person, now):
    return build.digest_build_batch(
        person_ids=[person.pk], period="daily", key=build.period_key("daily", now), now=now, deliver=False
    )


def outbox(person, reason="digest_daily"):
    return OutboxMessage.objects.filter(reason=reason, object_id=str(person.pk)).order_by("occasion")


@pytest.fixture
def member(personas, other_network):
    person = personas.people["member"]
    f.NetworkRoleFactory(network=other_network, person=person)
    return person


def test_grouped_by_network_newest_first(board, member, network, other_network):
    board.add("posts", network, "Waermeplanung-Buero", DAY1 - timedelta(hours=5))
    board.add("posts", network, "PV-Kampagne", DAY1 - timedelta(hours=2))
    board.add("news", other_network, "Zieljahre", DAY1 - timedelta(hours=1))
    board.add("posts", f.NetworkFactory(), "Fremdes-Netzwerk", DAY1 - timedelta(hours=1))
    result = daily(member, DAY1)
    assert (result.sent, result.empty) == (1, 0)
    message = outbox(member).get()
    text = message.body_text
    # the network with the newest item first; inside a network the items newest first
    assert text.index(other_network.name) < text.index(network.name)
    assert text.index("PV-Kampagne") < text.index("Waermeplanung-Buero")
    assert "Fremdes-Netzwerk" not in text
    assert message.subject.startswith("Tagesüberblick: 3 neue Einträge")
    assert "http://" in message.body_html or "https://" in message.body_html  # absolute links
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    run = DigestRun.objects.get(person=member)
    assert (run.items, run.outbox_id, run.sections) == (3, message.pk, {"t-posts": 2, "t-news": 1})


def test_in_the_persons_language(board, member, network):
    member.language = "en"
    member.save(update_fields=["language"])
    board.add("posts", network, "Heat-planning", DAY1 - timedelta(hours=1))
    daily(member, DAY1)
    message = outbox(member).get()
    assert message.language == "en"
    assert message.subject == f"Daily digest: 1 new item from {network.short_name}"
    assert "/en/" in message.body_text


def test_nothing_twice_across_two_periods(board, member, network):
    board.add("posts", network, "Gestern", DAY1 - timedelta(hours=3))
    daily(member, DAY1)
    board.add("posts", network, "Heute", DAY2 - timedelta(hours=3))
    daily(member, DAY2)
    first, second = outbox(member)
    assert "Gestern" in first.body_text and "Heute" not in first.body_text
    assert "Heute" in second.body_text and "Gestern" not in second.body_text
    runs = list(DigestRun.objects.filter(person=member).order_by("period_key"))
    assert runs[1].since == runs[0].until  # the high-water mark


def test_an_item_a_little_older_than_the_window_of_its_build_comes_next_time(board, member, network):
    """An item dated inside the LAG (its transaction may still be open at the build) waits for the next digest."""
    board.add("posts", network, "Spaet", DAY1 - timedelta(seconds=30))
    daily(member, DAY1)
    assert not outbox(member).exists()
    daily(member, DAY2)
    assert "Spaet" in outbox(member).get().body_text


def test_never_an_empty_mail(board, member, network):
    result = daily(member, DAY1)
    assert (result.sent, result.empty) == (0, 1)
    assert not outbox(member).exists()
    assert DigestRun.objects.get(person=member).items == 0


def test_exactly_once_when_run_twice(board, member, network):
    board.add("posts", network, "Einmal", DAY1 - timedelta(hours=1))
    assert daily(member, DAY1).sent == 1
    again = daily(member, DAY1 + timedelta(minutes=15))
    assert (again.sent, again.skipped) == (0, 1)
    assert outbox(member).count() == 1


def test_a_crash_between_build_and_send_leaves_nothing_and_the_retry_sends_once(board, member, network):
    board.add("posts", network, "Absturz", DAY1 - timedelta(hours=1))
    with (
        mock.patch.object(OutboxMessage.objects, "bulk_create", side_effect=IntegrityError("worker died")),
        pytest.raises(IntegrityError),
    ):
        daily(member, DAY1)
    assert not DigestRun.objects.filter(person=member).exists()  # the run row went with the transaction
    assert daily(member, DAY1).sent == 1
    assert outbox(member).count() == 1


def test_a_second_worker_that_got_there_first_wins(board, member, network, monkeypatch):
    board.add("posts", network, "Parallel", DAY1 - timedelta(hours=1))
    collect = build._collect

    def and_meanwhile(plans):
        collect(plans)
        monkeypatch.setattr(build, "_collect", collect)  # the other worker builds as usual
        other = build.digest_build_batch(person_ids=[member.pk], period="daily", key="2026-12-07", now=DAY1)
        assert other.sent == 1

    monkeypatch.setattr(build, "_collect", and_meanwhile)
    result = daily(member, DAY1)
    assert (result.sent, result.skipped) == (0, 1)
    assert outbox(member).count() == 1


@pytest.mark.parametrize(
    ("mode", "by_email", "daily_titles", "weekly_titles"),
    [
        (PostsMode.DAILY, True, {"XPOST", "XNEWS"}, set()),
        (PostsMode.EACH, True, {"XNEWS"}, set()),  # the posts came one by one already
        (PostsMode.WEEKLY, True, set(), {"XPOST", "XNEWS"}),
        (PostsMode.OFF, True, set(), set()),
        (PostsMode.OFF, False, {"XANN"}, set()),  # announcements never get lost
        (PostsMode.DAILY, False, {"XPOST", "XNEWS", "XANN"}, set()),
        (PostsMode.WEEKLY, False, set(), {"XPOST", "XNEWS", "XANN"}),
    ],
)
def test_the_per_network_choices(board, personas, network, mode, by_email, daily_titles, weekly_titles):
    person = personas.people["member"]
    preferences.preference_set(person=person, network=network, posts=mode, announcements_by_email=by_email)
    board.add("posts", network, "XPOST", DAY1 - timedelta(hours=3))
    board.add("news", network, "XNEWS", DAY1 - timedelta(hours=3))
    board.add("announcements", network, "XANN", DAY1 - timedelta(hours=3))
    daily(person, DAY1)
    build.digest_build_batch(person_ids=[person.pk], period="weekly", key="2026-W50", now=DAY1, deliver=False)
    for reason, titles in (("digest_daily", daily_titles), ("digest_weekly", weekly_titles)):
        found = outbox(person, reason).first()
        shown = {t for t in ("XPOST", "XNEWS", "XANN") if found and t in found.body_text}
        assert shown == titles, reason


def test_not_mailable_people_are_skipped(board, member, network):
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    board.add("posts", network, "Niemand", DAY1 - timedelta(hours=1))
    assert daily(member, DAY1).skipped == 1
    assert not DigestRun.objects.exists()


def _people(network, n):
    return [f.NetworkRoleFactory(network=network).person for _ in range(n)]


def test_constant_queries_per_batch(board, network, django_assert_num_queries, django_capture_on_commit_callbacks):
    board.add("posts", network, "Fuer-alle", DAY1 - timedelta(hours=1))
    # people, runs of the period, last runs, roles, networks, preferences; the three sections ask no database
    # here; then the write: savepoint, runs inserted, ours read, outbox inserted, outbox ids read, runs linked,
    # release
    for size in (3, 12):
        ids = [p.pk for p in _people(network, size)]
        with django_assert_num_queries(13):
            build.digest_build_batch(person_ids=ids, period="daily", key=f"k{size}", now=DAY1, deliver=False)
        assert OutboxMessage.objects.filter(occasion=f"k{size}").count() == size


def test_delivery_is_queued_after_commit(board, member, network, django_capture_on_commit_callbacks, mailoutbox):
    board.add("posts", network, "Zustellung", DAY1 - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        build.digest_build_batch(person_ids=[member.pk], period="daily", key="2026-12-07", now=DAY1)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.user.email]
    assert "Zustellung" in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["List-Unsubscribe"].startswith("<http")


def test_preview_writes_nothing(board, member, network):
    board.add("posts", network, "Vorschau", DAY1 - timedelta(hours=1))
    context = build.preview(member, now=DAY1)
    assert context["count"] == 1 and context["groups"][0]["network"] == network
    assert not DigestRun.objects.exists()


def test_a_member_of_no_network_gets_nothing(board, personas):
    citizen = personas.people["citizen"]
    assert daily(citizen, DAY1).empty == 1
    assert not NetworkRole.objects.filter(person=citizen).exists()
