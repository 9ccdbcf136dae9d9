"""A closed working group's meetings (events bound to the group) and tasks (its own and its meetings' outcomes),
asked with every persona through every place that shows them: the event page and its .ics, the lists and
calendars, the calendar feeds (network, Atom, personal), the action items, the outcome page, the group page,
the dashboard, the network space, the search, the digest, reminders, invitations and task emails.

One rule (networks.access.group_allows, on top of events' own): readers are the group's members with a role in
the network, the network's coordinators and staff; everyone else gets 404 where they would have seen it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from events import announcements as event_announcements
from events import digest as events_digest
from events.models import CalendarToken, Notice, Outcome, Visibility
from events.services import reminders, tasks
from networks.digest.sections import Request
from networks.models import OutboxMessage, WorkingGroup
from networks.search import index
from networks.search.query import search
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.groups.conftest import GROUP_PERSONAS, READERS, added_to_closed, for_the_test, run_commit_hooks

pytestmark = pytest.mark.django_db

MEETING = "Steuerungsrunde Angebotsvergleich"  # the closed group's meeting (network only)
PUBLIC_MEETING = "Steuerungsforum Wärmenetz"  # the closed group's meeting marked public
OPEN_MEETING = "PV-Kampagnentreffen"  # the open group's meeting
TASK = "Angebote der Planungsbüros vergleichen"  # the closed group's task
MEETING_TASK = "Kostenrahmen für den Kreistag vorbereiten"  # a task recorded at the closed group's meeting
# Who gets 404 on a closed group's meeting or task (anonymous: the sign-in page on pages that need it).
DENIED = [p for p in GROUP_PERSONAS if p not in READERS]


@pytest.fixture(scope="module")
def _meetings_once(_closed_once, django_db_blocker):
    """The closed group's meetings and tasks, added once for the module to its closed group's world."""
    yield from added_to_closed(_closed_once, add_meetings, django_db_blocker)


@pytest.fixture
def meetings(request, db, settings, _meetings_once):
    return for_the_test(_meetings_once, settings, lambda: add_meetings(request.getfixturevalue("closed")))


def add_meetings(closed):
    network, group = closed.network, closed.group
    network.is_public = True
    network.save(update_fields=["is_public"])
    meeting = EventFactory(network=network, working_group=group, title=MEETING, starts_at=in_days(3))
    public = EventFactory(network=network, working_group=group, title=PUBLIC_MEETING, visibility=Visibility.PUBLIC)
    open_meeting = EventFactory(
        network=network, working_group=closed.open_group, title=OPEN_MEETING, starts_at=in_days(4)
    )
    task = OutcomeFactory(
        event=None,
        network=network,
        working_group=group,
        text=TASK,
        owner_person=closed.person("member"),  # owned by a member outside the group: still not theirs to read
    )
    meeting_task = OutcomeFactory(event=meeting, text=MEETING_TASK, owner_person=closed.person("group_member"))
    run_commit_hooks()
    closed.meeting, closed.public_meeting, closed.open_meeting = meeting, public, open_meeting
    closed.task, closed.meeting_task = task, meeting_task
    return closed


def _page(client, world, persona, url):
    world.login(client, persona)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode("utf-8", "replace")


# --- the meeting's and the task's own pages --------------------------------------------------------------------


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_meeting_page_and_ics(client, meetings, persona):
    slug = meetings.network.slug
    for event in (meetings.meeting, meetings.public_meeting):
        for name in ("events:event-detail", "events:event-ics"):
            status, body = _page(client, meetings, persona, reverse(name, args=[slug, event.pk]))
            if persona in READERS:
                assert status == 200, (name, event.title)
                assert event.title in body
            else:
                assert status == 404, (name, event.title, persona)
    # the open group's meeting: the network's members as before
    status, _body = _page(
        client, meetings, persona, reverse("events:event-detail", args=[slug, meetings.open_meeting.pk])
    )
    assert (status == 200) is (persona in {"member", "group_member", "coordinator", "staff"})


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_task_page(client, meetings, persona):
    slug = meetings.network.slug
    for task in (meetings.task, meetings.meeting_task):
        status, body = _page(client, meetings, persona, reverse("events:outcome-detail", args=[slug, task.pk]))
        if persona in READERS:
            assert status == 200 and task.text in body
        elif persona == "anonymous":
            assert status in (302, 404)
        else:
            assert status == 404, (persona, task.text)


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_task_status_change_refused_outside_the_group(client, meetings, persona):
    """Even the task's owner, a member outside the closed group, cannot reach it (404 as for its page); a reader
    who neither owns nor coordinates sees it but may not change it (403); the coordination may."""
    url = reverse("events:action-item-status", args=[meetings.network.slug, meetings.task.pk])
    meetings.login(client, persona)
    response = client.post(url, {"status": "done"})
    meetings.task.refresh_from_db()
    expected = {"member": 404, "group_member": 403}.get(persona)
    if expected:
        assert response.status_code == expected and meetings.task.status == Outcome.Status.OPEN
    else:
        assert response.status_code in (200, 302) and meetings.task.status == Outcome.Status.DONE


# --- lists and calendars ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_lists_and_calendars(client, meetings, persona):
    slug = meetings.network.slug
    month = (timezone.localdate() + timedelta(days=14)).strftime("%Y-%m")
    for url in (
        reverse("events:event-list"),
        reverse("events:network-calendar", args=[slug]),
        reverse("events:network-calendar", args=[slug]) + f"?ansicht=monat&monat={month}",
    ):
        status, body = _page(client, meetings, persona, url)
        if status != 200:
            assert persona in {"citizen", "other_network", "former"} or status == 302, (url, status)
            continue
        assert (PUBLIC_MEETING in body) is (persona in READERS), (url, persona)
        if "monat" not in url:
            assert (MEETING in body) is (persona in READERS), (url, persona)


def test_public_feeds_and_sitemap_leave_out_a_closed_groups_public_meeting(client, meetings):
    slug = meetings.network.slug
    for url in (reverse("events:network-feed", args=[slug]), reverse("events:network-events-atom", args=[slug])):
        status, body = _page(client, meetings, "anonymous", url)
        assert status == 200
        assert PUBLIC_MEETING not in body and MEETING not in body
    meetings.public_meeting.working_group = meetings.open_group
    meetings.public_meeting.save()
    status, body = _page(client, meetings, "anonymous", reverse("events:network-feed", args=[slug]))
    assert PUBLIC_MEETING in body  # the same meeting in an open group: public again (the test can fail)


@pytest.mark.parametrize("persona", ["member", "group_member", "former", "coordinator"])
def test_personal_feed(client, meetings, persona):
    token = CalendarToken.objects.create(person=meetings.person(persona))
    response = client.get(reverse("events:personal-feed", args=[token.token]))
    body = response.content.decode()
    if persona == "former":  # no role in the network: nothing of it
        assert MEETING not in body
        return
    assert response.status_code == 200
    assert (MEETING in body) is (persona in READERS)
    assert (PUBLIC_MEETING in body) is (persona in READERS)
    assert OPEN_MEETING in body


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator", "staff"])
def test_action_items_list(client, meetings, persona):
    status, body = _page(client, meetings, persona, reverse("events:action-items", args=[meetings.network.slug]))
    assert status == 200
    assert (TASK in body) is (persona in READERS)
    assert (MEETING_TASK in body) is (persona in READERS)


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator", "staff"])
def test_group_page_meetings_and_tasks(client, meetings, persona):
    status, body = _page(client, meetings, persona, meetings.group.get_absolute_url())
    assert status == 200
    assert (MEETING in body) is (persona in READERS)
    assert (TASK in body) is (persona in READERS)
    status, body = _page(client, meetings, persona, meetings.open_group.get_absolute_url())
    assert OPEN_MEETING in body


def test_dashboard_leaves_out_an_owned_task_of_a_closed_group(client, meetings):
    """The member owns the closed group's task but is not in the group: it is not on their dashboard."""
    OutcomeFactory(
        event=None, network=meetings.network, text="Eigene offene Aufgabe", owner_person=meetings.person("member")
    )
    status, body = _page(client, meetings, "member", reverse("networks:dashboard"))
    assert status == 200 and "Eigene offene Aufgabe" in body
    assert TASK not in body
    meetings.group.members.add(meetings.person("member"))
    status, body = _page(client, meetings, "member", reverse("networks:dashboard"))
    assert TASK in body


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_network_space(client, meetings, persona):
    """Cached per role: members (in the group or not) do not see closed groups' meetings there; the coordination
    does."""
    status, body = _page(client, meetings, persona, reverse("networks:network-space", args=[meetings.network.slug]))
    assert status == 200
    assert (MEETING in body) is (persona == "coordinator")
    assert OPEN_MEETING in body or "Steuerungsrunde" not in body


# --- search ------------------------------------------------------------------------------------------------------


def _found(user, query: str) -> set[tuple[str, int]]:
    return {(hit.kind, hit.object_id) for hit in search(user, query).hits}


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_search(client, meetings, persona):
    user = meetings.request_user(client, persona) if persona == "staff" else (meetings.user(persona) or AnonymousUser())
    reads = persona in READERS
    assert (("event", meetings.meeting.pk) in _found(user, "Steuerungsrunde Angebotsvergleich")) is reads, persona
    assert (("outcome", meetings.task.pk) in _found(user, "Planungsbüros vergleichen")) is reads, persona
    assert (("outcome", meetings.meeting_task.pk) in _found(user, "Kostenrahmen Kreistag")) is reads, persona
    assert (("event", meetings.public_meeting.pk) in _found(user, "Steuerungsforum")) is reads, persona


def test_opening_the_group_reindexes_its_meetings_and_tasks(meetings, django_capture_on_commit_callbacks):
    member = meetings.user("member")
    assert not _found(member, "Steuerungsrunde Angebotsvergleich")
    group = WorkingGroup.objects.get(pk=meetings.group.pk)  # loaded: the save sees that its openness changed
    with django_capture_on_commit_callbacks(execute=True):
        group.is_open = True
        group.save()
    assert ("event", meetings.meeting.pk) in _found(member, "Steuerungsrunde Angebotsvergleich")
    assert ("outcome", meetings.task.pk) in _found(member, "Planungsbüros vergleichen")


# --- digest and emails --------------------------------------------------------------------------------------------


def _digest(section, world, persona, *, since=None):
    now = timezone.now() + timedelta(minutes=1)
    person = world.person(persona)
    request = Request(person=person, networks=(world.network,), since=since or now - timedelta(days=1), until=now)
    return {item.title for item in section([request]).get(person.pk, [])}


@pytest.mark.parametrize("persona", ["member", "group_member", "coordinator"])
def test_digest_sections(meetings, persona):
    assert (MEETING in _digest(events_digest.upcoming_events, meetings, persona)) is (persona in READERS)
    if persona == "member":
        assert OPEN_MEETING in _digest(events_digest.upcoming_events, meetings, persona)
        assert TASK not in _digest(events_digest.my_tasks, meetings, persona)  # owned, but not theirs to read
    if persona == "group_member":
        assert MEETING_TASK in _digest(events_digest.my_tasks, meetings, persona)
    meetings.meeting.minutes = "Angebote liegen vor."
    meetings.meeting.minutes_published_at = timezone.now()
    meetings.meeting.save()
    assert (MEETING in _digest(events_digest.new_minutes, meetings, persona)) is (persona in READERS)


def test_reminders_only_to_readers(meetings):
    """A member outside the group who registered before the group closed hears nothing more of its meetings."""
    meetings.meeting.starts_at = timezone.now() + timedelta(hours=20)
    meetings.meeting.ends_at = meetings.meeting.starts_at + timedelta(hours=2)
    meetings.meeting.save()
    outsider = RegistrationFactory(event=meetings.meeting, person=meetings.person("member"))
    reader = RegistrationFactory(event=meetings.meeting, person=meetings.person("group_member"))
    for registration in (outsider, reader):
        registration.created_at = timezone.now() - timedelta(days=10)
        registration.save()
    reminders.reminders_send()
    mailed = set(OutboxMessage.objects.filter(reason__startswith="event_").values_list("recipient", flat=True))
    assert meetings.person("group_member").user.email in mailed
    assert meetings.person("member").user.email not in mailed
    assert Notice.objects.filter(registration=reader).exists()


def test_invitation_only_to_readers(meetings):
    told = event_announcements.invitation_send(event=meetings.meeting, by=meetings.person("coordinator"))
    recipients = set(OutboxMessage.objects.filter(reason="event_invitation").values_list("recipient", flat=True))
    assert meetings.person("group_member").user.email in recipients
    assert meetings.person("member").user.email not in recipients
    assert told == len(recipients)
    told = event_announcements.invitation_send(event=meetings.open_meeting, by=meetings.person("coordinator"))
    assert meetings.person("member").user.email in set(
        OutboxMessage.objects.filter(reason="event_invitation").values_list("recipient", flat=True)
    )


def test_task_emails_only_to_readers(meetings):
    """The member owns the closed group's task: no reminder about what they cannot open; the group member's
    task at the group's meeting is reminded."""
    Outcome.objects.filter(pk__in=[meetings.task.pk, meetings.meeting_task.pk]).update(
        due_date=timezone.localdate() + timedelta(days=1)
    )
    tasks.task_reminders_send()
    mailed = set(OutboxMessage.objects.filter(reason="task_due_soon").values_list("recipient", flat=True))
    assert meetings.person("group_member").user.email in mailed
    assert meetings.person("member").user.email not in mailed


# --- deleting the closed group -------------------------------------------------------------------------------------


def test_deleting_the_group_moves_its_content_to_the_network_and_the_search_follows_at_once(
    meetings, django_capture_on_commit_callbacks
):
    """Its threads, documents, meetings and tasks belong to the whole network afterwards, and a network member
    finds them in the very next search (the reindex runs on the deletion's commit, not at night)."""
    member = meetings.user("member")
    words = {
        "Angebot Wärmeplanungsbüro": ("thread", meetings.thread.pk),
        "Waermeplanung vertraulich": ("library_document", meetings.document.pk),  # a word inside its file
        "Steuerungsrunde Angebotsvergleich": ("event", meetings.meeting.pk),
        "Planungsbüros vergleichen": ("outcome", meetings.task.pk),
    }
    index.update("library_document", [meetings.document.pk])  # its text, extracted after the set-up's commit
    for query, hit in words.items():
        assert hit not in _found(member, query), query
    with django_capture_on_commit_callbacks(execute=True):
        meetings.group.delete()
    for query, hit in words.items():
        assert hit in _found(member, query), query
    meetings.document.refresh_from_db()
    assert meetings.document.working_group_id is None and meetings.document.deleted_at is None
    assert meetings.document.folder.parent.name == "Steuerungsgruppe Wärmeplanung"  # the group's folder, moved


def test_a_deleted_groups_library_does_not_clash_with_the_networks_folders(meetings):
    from networks.library import services as library
    from networks.library.models import Folder

    library.folder_create(network=meetings.network, name="Steuerungsgruppe Wärmeplanung", created_by=None)
    library.folder_create(network=meetings.network, name="Angebote", created_by=None)
    meetings.group.delete()
    moved = Folder.objects.get(pk=meetings.folder.pk)
    assert moved.working_group_id is None and moved.name == "Angebote"
    assert moved.parent.name == "Steuerungsgruppe Wärmeplanung (2)" and moved.parent.parent_id is None
