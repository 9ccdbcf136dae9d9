"""Who is due: the hour in Europe/Berlin (also on the DST days), the weekday, the catch-up, once per period."""

from datetime import UTC, datetime

import pytest

from networks.digest import build, preferences
from networks.digest.models import PostsMode
from networks.digest.tasks import digests_dispatch
from networks.models import OutboxMessage
from tests.digest.factories import DigestSettingsFactory

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def due(period, now):
    return build.due_person_ids(period, now=now)


@pytest.fixture
def member(personas):
    return personas.people["member"]


def test_default_hour_is_seven_berlin_time_summer_and_winter(member):
    assert member.pk not in due("daily", utc(2026, 7, 1, 4, 59))[1]  # 06:59 CEST
    assert member.pk in due("daily", utc(2026, 7, 1, 5, 0))[1]  # 07:00 CEST
    assert member.pk not in due("daily", utc(2026, 12, 1, 5, 59))[1]  # 06:59 CET
    assert member.pk in due("daily", utc(2026, 12, 1, 6, 0))[1]  # 07:00 CET


def test_people_without_a_network_are_not_due(personas):
    assert personas.people["citizen"].pk not in due("daily", utc(2026, 12, 1, 12, 0))[1]


def test_spring_forward_the_missing_hour_is_sent_at_three(member):
    """29 March 2026: 02:00 CET jumps to 03:00 CEST; a person who chose 2:00 gets it at 3:00."""
    DigestSettingsFactory(person=member, hour=2)
    key, ids = due("daily", utc(2026, 3, 29, 0, 59))  # 01:59 CET
    assert (key, member.pk in ids) == ("2026-03-29", False)
    key, ids = due("daily", utc(2026, 3, 29, 1, 0))  # 03:00 CEST
    assert (key, member.pk in ids) == ("2026-03-29", True)


def test_fall_back_the_repeated_hour_sends_once(member):
    """25 October 2026: 03:00 CEST falls back to 02:00 CET; 2:00 happens twice, the digest comes once."""
    DigestSettingsFactory(person=member, hour=2)
    first = utc(2026, 10, 25, 0, 15)  # 02:15 CEST
    key, ids = due("daily", first)
    assert (key, member.pk in ids) == ("2026-10-25", True)
    build.digest_build_batch(person_ids=ids, period="daily", key=key, now=first, deliver=False)
    again = utc(2026, 10, 25, 1, 15)  # 02:15 CET, the second time
    assert due("daily", again) == ("2026-10-25", [])


def test_late_evening_utc_is_already_the_next_day_in_berlin(member):
    DigestSettingsFactory(person=member, hour=0)
    assert due("daily", utc(2026, 12, 31, 23, 30)) == ("2027-01-01", [member.pk])


def test_weekly_on_the_chosen_weekday_and_hour_and_catch_up_in_the_same_week(member, network):
    preferences.set_posts(member, network, PostsMode.WEEKLY)
    DigestSettingsFactory(person=member, hour=9, weekday=2)  # Wednesday 9:00
    assert due("weekly", utc(2026, 12, 8, 12, 0))[1] == []  # Tuesday
    assert due("weekly", utc(2026, 12, 9, 7, 59))[1] == []  # Wednesday 08:59 CET
    assert due("weekly", utc(2026, 12, 9, 8, 0)) == ("2026-W50", [member.pk])  # Wednesday 09:00 CET
    assert due("weekly", utc(2026, 12, 11, 6, 0)) == ("2026-W50", [member.pk])  # Friday: the beat had missed it
    assert due("weekly", utc(2026, 12, 14, 12, 0))[1] == []  # next Monday: before this week's Wednesday


def test_weekly_only_for_people_with_a_weekly_choice(member):
    assert due("weekly", utc(2026, 12, 7, 12, 0))[1] == []


def test_weekly_key_is_the_iso_week_across_new_year():
    assert build.period_key("weekly", datetime(2027, 1, 1, tzinfo=build.BERLIN)) == "2026-W53"


def test_dispatch_builds_each_due_person_once(member, network, monkeypatch):
    from networks.digest import sections as registry

    monkeypatch.setattr(registry, "_SECTIONS", {})
    registry.register(
        key="t",
        title="T",
        items=lambda person, networks, since, until: [
            registry.Item(network=networks[0], title="Neu", url="/n/", date=until, key="t:1")
        ],
    )
    monkeypatch.setattr(build.timezone, "now", lambda: utc(2026, 12, 1, 12, 0))
    assert digests_dispatch() >= 1
    assert digests_dispatch() == 0  # the second beat finds nobody due
    assert OutboxMessage.objects.filter(reason="digest_daily", object_id=str(member.pk)).count() == 1
