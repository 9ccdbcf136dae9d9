"""The pages of action items (issue 15 §4): one outcome's page with status, comments and history; editing; new
action items without event (also from a discussion thread); a thread planned as an event; outcomes without event
in every list; the working group's panel."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Outcome, TaskComment
from events.panels import network_space_context, working_group_context
from networks.channel.hooks import thread_actions
from networks.models import OutboxMessage
from tests.channel.factories import ThreadFactory
from tests.events.factories import EventFactory, OutcomeFactory, in_days
from tests.networks import factories as f

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

READ = [
    ("anonymous", 302),
    ("citizen", 404),
    ("other_network", 404),
    ("editor", 404),
    ("member", 200),
    ("coordinator", 200),
    ("staff", 200),
]
MANAGE = [
    ("anonymous", 302),
    ("citizen", 404),
    ("other_network", 404),
    ("editor", 404),
    ("member", 403),
    ("coordinator", 200),
    ("staff", 200),
]


@pytest.fixture
def item(personas):
    """An action item without event, owned by the member, taken from a thread."""
    thread = ThreadFactory(network=personas.network, title="Wer hat Erfahrung mit Energiecontrolling?")
    outcome = Outcome(
        network=personas.network,
        kind=Outcome.Kind.ACTION,
        text="Marktübersicht Energiecontrolling-Software zusammenstellen",
        owner_person=personas.people["member"],
        due_date=timezone.localdate() + timedelta(days=20),
        source_thread=thread,
    )
    return services.outcome_save(outcome=outcome, by=personas.people["coordinator"])


def url(name, item, **kw):
    return reverse(f"events:{name}", args=[item.network.slug, item.pk])


@pytest.mark.parametrize(("persona", "status"), READ)
def test_outcome_page_permissions(client, personas, item, persona, status):
    personas.login(client, persona)
    assert client.get(url("outcome-detail", item)).status_code == status


@pytest.mark.parametrize(("persona", "status"), MANAGE)
def test_outcome_edit_permissions(client, personas, item, persona, status):
    personas.login(client, persona)
    assert client.get(url("outcome-edit", item)).status_code == status


CREATE = [(persona, 403 if status == 404 else status) for persona, status in MANAGE]  # as events:event-create


@pytest.mark.parametrize(("persona", "status"), CREATE)
def test_action_item_create_permissions(client, personas, persona, status):
    personas.login(client, persona)
    assert client.get(reverse("events:action-item-create", args=[personas.network.slug])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 404), ("other_network", 404), ("member", 302), ("coordinator", 302)],
)
def test_comment_permissions(client, personas, item, persona, status):
    """The owner (here: the member) and coordinators comment; the others cannot."""
    personas.login(client, persona)
    assert client.post(url("outcome-comment", item), {"text": "Stand?"}).status_code == status


def test_a_member_who_does_not_own_the_item_may_not_comment(client, personas, item):
    stranger = f.NetworkRoleFactory(network=personas.network).person
    client.force_login(stranger.user)
    assert client.post(url("outcome-comment", item), {"text": "Ich auch"}).status_code == 403
    page = client.get(url("outcome-detail", item)).content.decode()
    assert 'name="text"' not in page  # no comment form offered


def test_outcome_page_shows_status_comments_with_file_and_history(client, personas, item):
    personas.login(client, "member")
    upload = SimpleUploadedFile("marktuebersicht.pdf", PDF, content_type="application/pdf")
    response = client.post(url("outcome-comment", item), {"text": "Erster **Entwurf** anbei.", "file": upload})
    assert response.status_code == 302
    comment = TaskComment.objects.get()
    assert comment.attachment.title == "marktuebersicht.pdf"
    client.post(
        reverse("events:action-item-status", args=[item.network.slug, item.pk]), {"status": "done", "back": "detail"}
    )
    page = client.get(url("outcome-detail", item)).content.decode()
    assert "<strong>Entwurf</strong>" in page
    assert comment.attachment.get_absolute_url() in page
    assert "Wer hat Erfahrung mit Energiecontrolling?" in page  # the thread it comes from
    history = page.split('id="history"', 1)[1]
    assert "<td>offen</td><td>erledigt</td>" in history  # Status: open → done
    assert OutboxMessage.objects.filter(reason="task_done").count() == 1


def test_comment_with_a_refused_file_keeps_the_text(client, personas, item):
    personas.login(client, "member")
    upload = SimpleUploadedFile("tool.exe", EXE, content_type="application/octet-stream")
    response = client.post(url("outcome-comment", item), {"text": "Mein Tool für alle", "file": upload})
    assert response.status_code == 400
    assert "Mein Tool für alle" in response.content.decode()
    assert TaskComment.objects.count() == 0


def test_empty_comment_is_a_form_error(client, personas, item):
    personas.login(client, "coordinator")
    response = client.post(url("outcome-comment", item), {"text": "  "})
    assert response.status_code == 400 and TaskComment.objects.count() == 0


def test_coordinator_edits_an_item_and_the_history_shows_it(client, personas, item):
    personas.login(client, "coordinator")
    other = f.NetworkRoleFactory(network=personas.network, person__name="Neue Verantwortliche").person
    due = (item.due_date + timedelta(days=7)).isoformat()
    data = {"text": "Marktübersicht bis zum Treffen", "owner_person": other.pk, "due_date": due, "status": "open"}
    assert client.post(url("outcome-edit", item), data).status_code == 302
    item.refresh_from_db()
    assert item.text == "Marktübersicht bis zum Treffen" and item.owner_person == other
    assert OutboxMessage.objects.filter(reason="task_assigned", recipient=other.user.email.lower()).count() == 1
    history = client.get(url("outcome-detail", item)).content.decode().split('id="history"', 1)[1]
    assert "Marktübersicht bis zum Treffen" in history and "Neue Verantwortliche" in history


def test_edit_errors_keep_what_was_typed(client, personas, item):
    personas.login(client, "coordinator")
    org = f.MembershipFactory(network=personas.network).organisation
    data = {"text": "Neuer Text bleibt", "owner_person": item.owner_person_id, "owner_organisation": org.pk}
    response = client.post(url("outcome-edit", item), {**data, "status": "open"})
    assert response.status_code == 400
    assert "Neuer Text bleibt" in response.content.decode()
    item.refresh_from_db()
    assert item.text != "Neuer Text bleibt"


def test_decision_edit_has_no_owner_or_status(client, personas):
    decision = OutcomeFactory(
        event=EventFactory(network=personas.network), kind=Outcome.Kind.DECISION, owner_person=None, due_date=None
    )
    personas.login(client, "coordinator")
    form = client.get(url("outcome-edit", decision)).context["form"]
    assert set(form.fields) == {"text", "working_group"}


# --- From a thread --------------------------------------------------------------------------------------------


def test_thread_actions_are_offered_to_coordinators_only(personas):
    thread = ThreadFactory(network=personas.network)
    thread.network = personas.network
    keys = [a["key"] for a in thread_actions(personas.people["coordinator"].user, thread)]
    assert {"event", "action_item"} <= set(keys)
    assert [a["key"] for a in thread_actions(personas.people["member"].user, thread) if a["key"] in keys[:0]] == []
    member_keys = {a["key"] for a in thread_actions(personas.people["member"].user, thread)}
    assert not {"event", "action_item"} & member_keys


def test_thread_becomes_an_action_item(client, personas):
    thread = ThreadFactory(network=personas.network, title="PV-Kampagne: Flyer drucken lassen")
    personas.login(client, "coordinator")
    create = reverse("events:action-item-create", args=[personas.network.slug])
    form = client.get(create + f"?thread={thread.pk}").context["form"]
    assert form.initial["text"] == "PV-Kampagne: Flyer drucken lassen"
    member = personas.people["member"]
    response = client.post(create, {"thread": thread.pk, "text": "Flyer drucken lassen", "owner_person": member.pk})
    assert response.status_code == 302
    item = Outcome.objects.get(text="Flyer drucken lassen")
    assert item.source_thread == thread and item.event is None and item.network == personas.network
    assert OutboxMessage.objects.filter(reason="task_assigned").count() == 1


def test_a_thread_of_another_network_is_ignored(client, personas):
    foreign = ThreadFactory(network=personas.other, title="Geheimes Thema")
    personas.login(client, "coordinator")
    create = reverse("events:action-item-create", args=[personas.network.slug])
    response = client.get(create + f"?thread={foreign.pk}")
    assert response.status_code == 200 and "Geheimes Thema" not in response.content.decode()
    client.post(create, {"thread": foreign.pk, "text": "Etwas", "owner_person": personas.people["member"].pk})
    assert Outcome.objects.get(text="Etwas").source_thread is None


def test_thread_is_planned_as_an_event(client, personas):
    thread = ThreadFactory(network=personas.network, title="Jahresplanungsworkshop 2027")
    personas.login(client, "coordinator")
    create = reverse("events:event-create", args=[personas.network.slug]) + f"?thread={thread.pk}"
    form = client.get(create).context["form"]
    assert form.initial["title"] == "Jahresplanungsworkshop 2027"
    assert thread.get_absolute_url() in form.initial["description"]
    starts = in_days(20)
    data = {
        "title": "Jahresplanungsworkshop 2027",
        "kind": "workshop",
        "format": "online",
        "online_url": "https://meet.example.org/planung",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "network",
        "description": form.initial["description"],
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    response = client.post(create, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Jahresplanungsworkshop 2027")
    assert event.source_thread == thread


def test_event_form_offers_the_networks_working_groups(client, personas):
    mine = f.WorkingGroupFactory(network=personas.network, name="AG Wärme")
    f.WorkingGroupFactory(network=personas.other, name="AG Fremd")
    personas.login(client, "coordinator")
    response = client.get(reverse("events:event-create", args=[personas.network.slug]))
    assert list(response.context["form"].fields["working_group"].queryset) == [mine]
    assert 'name="working_group"' in response.content.decode()
    create = reverse("events:action-item-create", args=[personas.network.slug])
    assert client.get(f"{create}?gruppe={mine.pk}").context["form"].initial["working_group"] == mine.pk


# --- Outcomes without event in every list ---------------------------------------------------------------------


def test_outcome_without_event_in_lists(client, personas, item):
    personas.login(client, "member")
    page = client.get(reverse("events:action-items", args=[personas.network.slug])).content.decode()
    assert item.text in page and url("outcome-detail", item) in page
    dashboard = client.get(reverse("networks:dashboard")).content.decode()
    assert item.text in dashboard
    request = RequestFactory().get("/")
    request.user = personas.people["member"].user
    assert network_space_context(request, personas.network)["open_count"] == 1
    organisation = personas.people["member"].organisation
    f.MembershipFactory(network=personas.network, organisation=organisation)
    personas.login(client, "coordinator")
    health = client.get(reverse("monitoring:health-detail", args=[personas.network.slug, organisation.slug]))
    assert health.status_code == 200 and item.text in health.content.decode()


def test_action_item_list_queries_are_flat(client, personas, django_assert_num_queries):
    member = personas.people["member"]
    thread = ThreadFactory(network=personas.network)
    group = f.WorkingGroupFactory(network=personas.network)

    def grow(n):
        for i in range(n):
            OutcomeFactory(event=EventFactory(network=personas.network), owner_person=member)
            services.outcome_save(
                outcome=Outcome(
                    network=personas.network,
                    kind="action",
                    text=f"Ohne Termin {i}",
                    owner_person=member,
                    source_thread=thread,
                    working_group=group,
                ),
                by=None,
            )

    personas.login(client, "member")
    list_url = reverse("events:action-items", args=[personas.network.slug])
    grow(2)
    client.get(list_url)
    with django_assert_num_queries(4):  # network, person, count, the page of items (roles from the cache)
        client.get(list_url)
    grow(10)
    with django_assert_num_queries(4):
        client.get(list_url)


def test_outcome_page_queries_are_flat(client, personas, item, django_assert_num_queries):
    coordinator = personas.people["coordinator"]

    def grow(n):
        for i in range(n):
            services.task_comment_add(item=item, author=coordinator, text=f"Kommentar {i}")
            item.text = f"Text {i}"
            services.outcome_save(outcome=item, by=coordinator)

    personas.login(client, "coordinator")
    grow(2)
    client.get(url("outcome-detail", item))
    # network, the item with its network, event, owner, group and thread, person, comments with authors and files,
    # history records, the records before them, the names behind changed keys
    with django_assert_num_queries(7):
        client.get(url("outcome-detail", item))
    grow(10)
    with django_assert_num_queries(7):
        client.get(url("outcome-detail", item))


# --- Working group panel ----------------------------------------------------------------------------------------


def test_working_group_panel_shows_meetings_and_open_items(personas, django_assert_num_queries):
    group = f.WorkingGroupFactory(network=personas.network, name="AG Wärmeplanung")
    member = personas.people["member"]
    request = RequestFactory().get("/")
    request.user = member.user

    def grow(n):
        for i in range(n):
            EventFactory(
                network=personas.network, working_group=group, starts_at=in_days(i + 1), title=f"AG-Treffen {i}"
            )
            past = EventFactory(network=personas.network, working_group=group, starts_at=in_days(-i - 1))
            OutcomeFactory(event=past, owner_person=member, text=f"Aus dem Treffen {i}")
            services.outcome_save(
                outcome=Outcome(
                    network=personas.network,
                    kind="action",
                    text=f"Für die AG {i}",
                    owner_person=member,
                    working_group=group,
                ),
                by=None,
            )

    grow(2)
    EventFactory(network=personas.network, starts_at=in_days(3), title="Netzwerktreffen ohne AG")
    cache.clear()  # the viewer's role is asked for, not remembered from the data building
    with django_assert_num_queries(4):  # the viewer's role, upcoming, past, open items
        context = working_group_context(request, group)
    assert [e.title for e in context["upcoming"]] == ["AG-Treffen 0", "AG-Treffen 1"]
    assert len(context["past"]) == 2
    assert {i.text for i in context["items"]} == {
        "Aus dem Treffen 0",
        "Aus dem Treffen 1",
        "Für die AG 0",
        "Für die AG 1",
    }
    grow(10)
    request.user = type(member.user).objects.get(pk=member.user.pk)  # a new request: no role remembered
    cache.clear()
    with django_assert_num_queries(4):
        working_group_context(request, group)


# --- Admin ------------------------------------------------------------------------------------------------------


def test_admin_keeps_outcomes_in_their_network(client, personas):
    event = EventFactory(network=personas.network)
    personas.login(client, "staff")
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
    add = reverse("admin:events_outcome_add")
    assert client.get(add).status_code == 200
    data = {"network": personas.network.pk, "kind": "decision", "text": "Im Admin festgehalten", "status": "open"}
    assert client.post(add, data).status_code == 302
    assert Outcome.objects.get(text="Im Admin festgehalten").event is None
    other_event = EventFactory(network=personas.other)
    response = client.post(add, {**data, "text": "Falsches Netzwerk", "event": other_event.pk})
    assert response.status_code == 200 and not Outcome.objects.filter(text="Falsches Netzwerk").exists()
