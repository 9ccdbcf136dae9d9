"""Registration and waiting list, participant list, exports, attendance, office-hour questions and the FAQ."""

import csv
import io
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from events.models import Event, Kind, Question, Registration, Visibility
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, QuestionFactory, RegistrationFactory, in_days
from tests.helpers import de, messages_of
from tests.networks import factories as nf

SIGNED_IN = ["citizen", "other_network", "member", "coordinator", "editor", "staff"]


def url(name: str, event: Event) -> str:
    return reverse(f"events:{name}", args=[event.network.slug, event.pk])


@pytest.fixture
def network_event(personas):
    return EventFactory(network=personas.network, title="Netzwerktreffen Wärmeplanung")


@pytest.fixture
def public_event(personas):
    return EventFactory(network=personas.network, title="Bürgerforum Klima", visibility=Visibility.PUBLIC)


@pytest.fixture
def past_event(personas):
    return EventFactory(network=personas.network, starts_at=in_days(-3), title="Vergangenes Treffen")


@pytest.fixture
def office_hour(personas):
    return EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, title="Klima.Taten.Talk")


def _member(network, name: str):
    return nf.NetworkRoleFactory(network=network, person__name=name).person


# --- Register and cancel: permission matrix ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "registered"),
    [
        ("anonymous", 302, False),
        ("citizen", 404, False),
        ("other_network", 404, False),
        ("member", 302, True),
        ("coordinator", 302, True),
        ("editor", 404, False),
        ("staff", 302, True),
    ],
)
def test_register_for_a_network_event(client, personas, network_event, persona, status, registered):
    personas.login(client, persona)
    response = client.post(url("register", network_event))
    assert response.status_code == status
    assert Registration.objects.filter(event=network_event).exists() is registered
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    elif registered:
        assert response["Location"] == network_event.get_absolute_url()


@pytest.mark.parametrize("persona", ["anonymous", *SIGNED_IN])
def test_register_for_a_public_event(client, personas, public_event, persona):
    """Any signed-in person may register for a public event of a public network."""
    personas.login(client, persona)
    response = client.post(url("register", public_event))
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
        assert not Registration.objects.exists()
    else:
        assert response["Location"] == public_event.get_absolute_url()
        registration = Registration.objects.get(event=public_event)
        assert registration.person == personas.people[persona]
        assert registration.status == Registration.Status.REGISTERED


def test_public_event_of_a_private_network_is_hidden_from_outsiders(client, personas):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    personas.login(client, "citizen")
    assert client.post(url("register", event)).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "cancelled"),
    [
        ("anonymous", 302, False),
        ("citizen", 404, False),
        ("other_network", 404, False),
        ("member", 302, True),
        ("coordinator", 302, True),
        ("editor", 404, False),
        ("staff", 302, True),
    ],
)
def test_unregister_from_a_network_event(client, personas, network_event, persona, status, cancelled):
    person = personas.people.get(persona) or nf.PersonFactory()
    registration = RegistrationFactory(event=network_event, person=person)
    personas.login(client, persona)
    response = client.post(url("unregister", network_event))
    assert response.status_code == status
    registration.refresh_from_db()
    expected = Registration.Status.CANCELLED if cancelled else Registration.Status.REGISTERED
    assert registration.status == expected


def test_unregister_without_a_registration_says_so(client, personas, network_event):
    personas.login(client, "member")
    response = client.post(url("unregister", network_event))
    assert response.status_code == 302
    assert de("You are not registered for this event.") in messages_of(response)


@pytest.mark.parametrize("name", ["register", "unregister", "attendance", "question-create"])
def test_post_only_views_refuse_get(client, personas, office_hour, name):
    personas.login(client, "coordinator")
    assert client.get(url(name, office_hour)).status_code == 405
    assert not Registration.objects.exists() and not Question.objects.exists()


def test_get_only_views_refuse_post(client, personas, network_event):
    personas.login(client, "coordinator")
    for target in [
        url("participant-list", network_event),
        url("participant-csv", network_event),
        url("participant-xlsx", network_event),
        reverse("events:faq", args=[personas.network.slug]),
    ]:
        assert client.post(target).status_code == 405, target


# --- Register: messages, waiting list, closed registration ---------------------------------------


def test_registering_says_whether_a_place_or_a_waiting_list_place_was_given(client, personas):
    event = EventFactory(network=personas.network, capacity=1, title="Kleiner Workshop")
    personas.login(client, "member")
    response = client.post(url("register", event))
    assert messages_of(response) == [
        de("You are registered for “%(title)s”. A confirmation is on its way by email.", title=event.title)
    ]
    client = Client()  # a fresh session: no messages left over
    personas.login(client, "coordinator")
    response = client.post(url("register", event))
    text = de(
        "“%(title)s” is fully booked. You are number %(position)s on the waiting list; "
        "we will email you when a place becomes free.",
        title=event.title,
        position=1,
    )
    assert messages_of(response) == [text]
    assert Registration.objects.get(person=personas.people["coordinator"]).status == Registration.Status.WAITING


def test_waiting_list_moves_up_on_cancellation_and_tells_the_first_waiting_person(client, personas):
    event = EventFactory(network=personas.network, capacity=2, title="Praxisworkshop PV")
    first, second, third = (_member(personas.network, name) for name in ["Erste", "Zweite", "Dritte"])
    for person in (first, second, third):
        client.force_login(person.user)
        assert client.post(url("register", event)).status_code == 302
    statuses = dict(Registration.objects.filter(event=event).values_list("person__name", "status"))
    assert statuses == {"Erste": "registered", "Zweite": "registered", "Dritte": "waiting"}
    fourth = _member(personas.network, "Vierte")
    client = Client()
    client.force_login(fourth.user)
    response = client.post(url("register", event))
    assert messages_of(response) == [
        de(
            "“%(title)s” is fully booked. You are number %(position)s on the waiting list; "
            "we will email you when a place becomes free.",
            title=event.title,
            position=2,
        )
    ]

    client = Client()
    client.force_login(first.user)
    response = client.post(url("unregister", event))
    assert response.status_code == 302
    assert messages_of(response) == [de("You have cancelled your registration for “%(title)s”.", title=event.title)]
    statuses = dict(Registration.objects.filter(event=event).values_list("person__name", "status"))
    assert statuses == {"Erste": "cancelled", "Zweite": "registered", "Dritte": "registered", "Vierte": "waiting"}
    promoted = OutboxMessage.objects.filter(reason="event_promoted")
    assert list(promoted.values_list("recipient", flat=True)) == [third.user.email]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"registration_deadline": timezone.now() - timedelta(hours=1)},
            "The registration deadline for this event has passed.",
        ),
        (
            {"starts_at": in_days(-2), "ends_at": in_days(-2) + timedelta(hours=2)},
            "This event has already started or is over; registration is closed.",
        ),
        ({"status": Event.Status.CANCELLED}, "This event has been cancelled; registration is no longer possible."),
    ],
)
def test_closed_registration_gives_a_clear_message_and_writes_nothing(client, personas, changes, message):
    event = EventFactory(network=personas.network, **changes)
    personas.login(client, "member")
    response = client.post(url("register", event))
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert messages_of(response) == [de(message)]
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_cancelling_after_the_start_is_refused(client, personas, past_event):
    registration = RegistrationFactory(event=past_event, person=personas.people["member"])
    personas.login(client, "member")
    response = client.post(url("unregister", past_event))
    assert messages_of(response) == [de("This event has already started or is over; registration is closed.")]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_double_registration_is_idempotent(client, personas, network_event):
    personas.login(client, "member")
    client.post(url("register", network_event))
    response = client.post(url("register", network_event))
    assert messages_of(response)[-1:] == [de("You are already registered for “%(title)s”.", title=network_event.title)]
    assert Registration.objects.filter(event=network_event).count() == 1
    assert OutboxMessage.objects.filter(reason="event_confirmation").count() == 1


def test_registering_again_after_cancelling_queues_anew(client, personas, network_event):
    personas.login(client, "member")
    client.post(url("register", network_event))
    client.post(url("unregister", network_event))
    client.post(url("register", network_event))
    registration = Registration.objects.get(event=network_event)
    assert registration.status == Registration.Status.REGISTERED


def test_account_without_a_profile_gets_a_message_not_an_error(client, personas, public_event):
    user = nf.UserFactory()
    client.force_login(user)
    response = client.post(url("register", public_event))
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert messages_of(response)


# --- IDOR: an object of another network in this network's URL --------------------------------------


def test_event_of_another_network_in_this_networks_url_is_404(client, personas):
    foreign = EventFactory(network=personas.other, kind=Kind.OFFICE_HOUR, visibility=Visibility.PUBLIC)
    RegistrationFactory(event=foreign, person=personas.people["other_network"])
    question = QuestionFactory(event=foreign)
    personas.login(client, "coordinator")
    slug = personas.network.slug
    for name, method in [
        ("register", "post"),
        ("unregister", "post"),
        ("participant-list", "get"),
        ("participant-csv", "get"),
        ("participant-xlsx", "get"),
        ("attendance", "post"),
        ("question-create", "post"),
    ]:
        target = reverse(f"events:{name}", args=[slug, foreign.pk])
        assert getattr(client, method)(target, {"text": "Frage", "attended": ["1"]}).status_code == 404, name
    target = reverse("events:question-answer", args=[slug, question.pk])
    assert client.post(target, {"answer": "Gekapert"}).status_code == 404
    question.refresh_from_db()
    assert question.answer == "" and Registration.objects.filter(event=foreign).count() == 1
    assert Question.objects.count() == 1


# --- Participant list, exports, attendance ---------------------------------------------------------

COORDINATION_ONLY = [
    ("anonymous", 302),
    ("citizen", 404),
    ("other_network", 404),
    ("member", 403),
    ("coordinator", 200),
    ("editor", 404),
    ("staff", 200),
]
COORDINATION_ONLY_PUBLIC = [
    ("anonymous", 302),
    ("citizen", 403),
    ("other_network", 403),
    ("member", 403),
    ("coordinator", 200),
    ("editor", 403),
    ("staff", 200),
]


@pytest.mark.parametrize("name", ["participant-list", "participant-csv", "participant-xlsx"])
@pytest.mark.parametrize(("persona", "status"), COORDINATION_ONLY)
def test_participants_and_exports_of_a_network_event(client, personas, network_event, name, persona, status):
    RegistrationFactory(event=network_event, person=personas.people["member"])
    personas.login(client, persona)
    response = client.get(url(name, network_event))
    assert response.status_code == status
    if status == 200 and name == "participant-list":
        assert personas.people["member"].user.email in response.content.decode()


@pytest.mark.parametrize("name", ["participant-list", "participant-csv", "participant-xlsx"])
@pytest.mark.parametrize(("persona", "status"), COORDINATION_ONLY_PUBLIC)
def test_participants_and_exports_of_a_public_event(client, personas, public_event, name, persona, status):
    personas.login(client, persona)
    assert client.get(url(name, public_event)).status_code == status


@pytest.mark.parametrize(("persona", "status"), [(p, 302 if s == 200 else s) for p, s in COORDINATION_ONLY])
def test_attendance_permissions(client, personas, past_event, persona, status):
    registration = RegistrationFactory(event=past_event, person=personas.people["member"])
    personas.login(client, persona)
    response = client.post(url("attendance", past_event), {"attended": [registration.pk]})
    assert response.status_code == status
    registration.refresh_from_db()
    attended = persona in ("coordinator", "staff")
    assert (registration.status == Registration.Status.ATTENDED) is attended


def test_participant_list_shows_statuses_counts_and_waiting_positions(client, personas, network_event):
    base = timezone.now() - timedelta(days=1)
    for i, status in enumerate(["registered", "registered", "waiting", "waiting", "cancelled"]):
        RegistrationFactory(
            event=network_event, person__name=f"Teilnehmerin {i}", status=status, queued_at=base + timedelta(hours=i)
        )
    personas.login(client, "coordinator")
    response = client.get(url("participant-list", network_event))
    registrations = response.context["registrations"]
    assert [r.person.name for r in registrations] == [f"Teilnehmerin {i}" for i in range(5)]
    assert [r.waiting_position for r in registrations] == [None, None, 1, 2, None]
    assert response.context["holding"] == 2
    assert {value: count for _label, count, value in response.context["counts"]} == {
        "registered": 2,
        "waiting": 2,
        "cancelled": 1,
        "attended": 0,
    }
    page = response.content.decode()
    assert url("participant-csv", network_event) in page and url("participant-xlsx", network_event) in page
    assert url("attendance", network_event) not in page  # no attendance form before the event


def _grow_registrations(event, n):
    for _ in range(n):
        RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITING)


def test_participant_list_queries_are_flat(client, personas, past_event, django_assert_num_queries):
    personas.login(client, "coordinator")
    target = url("participant-list", past_event)
    # session and account from the cache (no query); network, role, event, registrations with person, organisation and
    # user; the network's people for the walk-in form's drop-down (a past event takes walk-ins)
    _grow_registrations(past_event, 2)
    with django_assert_num_queries(5):
        assert client.get(target).status_code == 200
    _grow_registrations(past_event, 10)
    with django_assert_num_queries(5):
        response = client.get(target)
    assert len(response.context["registrations"]) == 14
    assert response.content.decode().count('name="attended"') == 12


def test_exports_read_back(client, personas, past_event):
    malicious = RegistrationFactory(
        event=past_event,
        person__name='=HYPERLINK("https://evil.example","Klick")',
        person__organisation__name="+Stadtwerke",
        status=Registration.Status.ATTENDED,
        queued_at=timezone.now() - timedelta(days=10),
    )
    plain = RegistrationFactory(
        event=past_event, person__name="Jürgen Müller", person__organisation__name="Gemeinde Öhringen"
    )
    RegistrationFactory(event=past_event, person__name="Wartende", status=Registration.Status.WAITING)
    personas.login(client, "coordinator")
    with translation.override("de"):
        expected_header = [
            gettext(h)
            for h in ["Name", "Organisation", "Email", "Status", "Registered at", "Waiting-list position", "Attended"]
        ]
        yes, no = gettext("yes"), gettext("no")

    response = client.get(url("participant-csv", past_event))
    day = timezone.localtime(past_event.starts_at).date().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="teilnehmende-vergangenes-treffen-{day}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == expected_header
    assert rows[1][:3] == ["'" + malicious.person.name, "'+Stadtwerke", malicious.person.user.email]
    assert rows[1][6] == yes
    assert rows[2][:2] == ["Jürgen Müller", "Gemeinde Öhringen"] and rows[2][6] == no
    assert rows[2][4] == timezone.localtime(plain.queued_at).strftime("%d.%m.%Y %H:%M")
    assert rows[3][0] == "Wartende" and rows[3][5] == "1" and rows[3][6] == ""
    assert len(rows) == 4

    from openpyxl import load_workbook

    response = client.get(url("participant-xlsx", past_event))
    assert response["Content-Disposition"] == f'attachment; filename="teilnehmende-vergangenes-treffen-{day}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == past_event.title and sheet["A1"].font.b
    assert str(timezone.localtime(past_event.starts_at).year) in sheet["A2"].value
    header = [cell.value for cell in sheet[4]]
    assert header == expected_header and all(cell.font.b for cell in sheet[4])
    first = list(sheet[5])
    assert first[0].value == malicious.person.name and first[0].data_type == "s"  # text, never a formula
    assert first[4].value == timezone.localtime(malicious.queued_at).replace(tzinfo=None, second=0, microsecond=0)
    assert sheet["A7"].value == "Wartende"
    assert sheet["F7"].value == 1
    assert sheet.column_dimensions["A"].width > 10


def test_attendance_is_recorded_after_the_event(client, personas, past_event):
    came = RegistrationFactory(event=past_event, person__name="Anwesend")
    missed = RegistrationFactory(event=past_event, person__name="Gefehlt", status=Registration.Status.ATTENDED)
    personas.login(client, "coordinator")
    page = client.get(url("participant-list", past_event)).content.decode()
    assert url("attendance", past_event) in page
    response = client.post(url("attendance", past_event), {"attended": [came.pk]})
    assert response["Location"] == url("participant-list", past_event)
    came.refresh_from_db()
    missed.refresh_from_db()
    assert came.status == Registration.Status.ATTENDED and missed.status == Registration.Status.REGISTERED


def test_attendance_before_the_event_is_refused_with_a_message(client, personas, network_event):
    registration = RegistrationFactory(event=network_event)
    personas.login(client, "coordinator")
    response = client.post(url("attendance", network_event), {"attended": [registration.pk]})
    assert response.status_code == 302
    assert messages_of(response) == [de("Attendance can be recorded once the event has started.")]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


@pytest.mark.parametrize("value", ["abc", "999999", "W"])
def test_attendance_rejects_unknown_registrations(client, personas, past_event, value):
    registration = RegistrationFactory(event=past_event)
    waiting = RegistrationFactory(event=past_event, status=Registration.Status.WAITING)
    personas.login(client, "coordinator")
    value = str(waiting.pk) if value == "W" else value
    response = client.post(url("attendance", past_event), {"attended": [registration.pk, value]})
    assert response.status_code == 302
    assert messages_of(response) == [de("Only registered participants can be marked as attended.")]
    assert set(Registration.objects.values_list("status", flat=True)) == {"registered", "waiting"}


# --- Office hours: questions -------------------------------------------------------------------------

MEMBERS_ONLY_ACTION = [
    ("anonymous", 302, False),
    ("citizen", 404, False),
    ("other_network", 404, False),
    ("member", 302, True),
    ("coordinator", 302, True),
    ("editor", 404, False),
    ("staff", 302, True),
]


@pytest.mark.parametrize(("persona", "status", "created"), MEMBERS_ONLY_ACTION)
def test_question_create_permissions(client, personas, office_hour, persona, status, created):
    personas.login(client, persona)
    response = client.post(url("question-create", office_hour), {"text": "Wie finanzieren Sie die Wärmeplanung?"})
    assert response.status_code == status
    assert Question.objects.exists() is created
    if created:
        assert response["Location"] == office_hour.get_absolute_url() + "#questions"


def test_question_on_a_public_office_hour_is_refused_to_outsiders(client, personas):
    event = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, visibility=Visibility.PUBLIC)
    personas.login(client, "citizen")
    assert client.post(url("question-create", event), {"text": "Frage"}).status_code == 403
    assert not Question.objects.exists()


def test_question_is_saved_with_topic_and_anonymity(client, personas, office_hour):
    topic = nf.TopicFactory(name="Kommunale Wärmeplanung")
    personas.login(client, "member")
    client.post(
        url("question-create", office_hour),
        {"text": "  Frage zur Wärmeplanung  ", "topic": topic.pk, "anonymous": "on"},
    )
    question = Question.objects.get()
    assert (question.text, question.topic, question.anonymous) == ("Frage zur Wärmeplanung", topic, True)
    assert question.author == personas.people["member"] and question.network == personas.network


def test_questions_only_for_office_hours(client, personas, network_event):
    personas.login(client, "member")
    assert client.post(url("question-create", network_event), {"text": "Frage"}).status_code == 404
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "data", [{"text": ""}, {"text": "x" * 2001}, {"text": "Frage", "topic": "99999"}, {"text": "Frage", "topic": "x"}]
)
def test_bad_questions_get_a_message_and_write_nothing(client, personas, office_hour, data):
    personas.login(client, "member")
    response = client.post(url("question-create", office_hour), data)
    assert response.status_code == 302
    assert messages_of(response)[0].startswith(de("Your question could not be saved."))
    assert not Question.objects.exists()


def test_questions_for_a_past_or_cancelled_office_hour_are_refused(client, personas):
    past = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, starts_at=in_days(-1))
    cancelled = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, status=Event.Status.CANCELLED)
    for event in (past, cancelled):
        client = Client()
        personas.login(client, "member")
        response = client.post(url("question-create", event), {"text": "Zu spät"})
        assert messages_of(response) == [de("This office hour is over or cancelled; questions are closed.")]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("other_network", 404),
        ("member", 403),
        ("coordinator", 200),
        ("editor", 404),
        ("staff", 200),
    ],
)
def test_question_answer_permissions(client, personas, office_hour, persona, status):
    question = QuestionFactory(event=office_hour)
    personas.login(client, persona)
    target = reverse("events:question-answer", args=[personas.network.slug, question.pk])
    assert client.get(target).status_code == status
    response = client.post(target, {"answer": "Über die Kommunalrichtlinie."})
    assert response.status_code == (302 if status == 200 else status)
    question.refresh_from_db()
    assert question.is_answered is (status == 200)


def test_answering_a_question(client, personas, office_hour):
    question = QuestionFactory(event=office_hour, author=personas.people["member"], anonymous=True)
    personas.login(client, "coordinator")
    target = reverse("events:question-answer", args=[personas.network.slug, question.pk])
    page = client.get(target).content.decode()
    assert "Mitglied" in page  # the coordination sees who asked anonymously
    response = client.post(target, {"answer": "  "})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(target, {"answer": "Über die Kommunalrichtlinie der NKI."})
    assert response["Location"] == office_hour.get_absolute_url() + "#questions"
    question.refresh_from_db()
    assert question.answer == "Über die Kommunalrichtlinie der NKI."
    assert question.answered_by == personas.people["coordinator"] and question.answered_at is not None


# --- The partials the event page includes -------------------------------------------------------------


def _render(template, personas, persona, event, **extra):
    request = RequestFactory().get(event.get_absolute_url())
    from django.contrib.auth.models import AnonymousUser

    request.user = personas.user(persona) or AnonymousUser()
    event = Event.objects.with_counts().select_related("network").get(pk=event.pk)
    context = {
        "network": event.network,
        "is_member": persona in ("member", "coordinator", "staff"),
        "can_manage": persona in ("coordinator", "staff"),
        "event": event,
        "registration": None,
        "can_register": persona != "anonymous",
        "waiting_position": None,
        "show_link": False,
        "questions": [],
        "all_topics": [],
        **extra,
    }
    return render_to_string(template, context, request=request)


BOX = "events/partials/registration_box.html"


def test_box_for_anonymous_users_links_to_the_login_and_back(personas, public_event):
    html = _render(BOX, personas, "anonymous", public_event)
    assert f'href="{reverse("account_login")}?next={public_event.get_absolute_url()}"' in html
    assert url("register", public_event) not in html


def test_box_offers_registration_with_free_places(personas):
    event = EventFactory(network=personas.network, capacity=10)
    RegistrationFactory.create_batch(3, event=event)
    html = _render(BOX, personas, "member", event)
    assert url("register", event) in html and url("unregister", event) not in html
    with translation.override("de"):
        free = ngettext("%(left)s of %(capacity)s place free", "%(left)s of %(capacity)s places free", 7)
    assert free % {"left": 7, "capacity": 10} in html


def test_box_shows_a_full_event_and_the_waiting_position(personas):
    event = EventFactory(network=personas.network, capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITING)
    mine = RegistrationFactory(event=event, person=personas.people["member"], status=Registration.Status.WAITING)
    html = _render(BOX, personas, "member", event)
    assert de("Fully booked – waiting list open") in html
    assert de("Join the waiting list") in html
    html = _render(BOX, personas, "member", event, registration=mine, waiting_position=2)
    assert de("You are number %(position)s on the waiting list.", position=2) in html
    assert url("unregister", event) in html and url("register", event) not in html


def test_box_for_registered_and_cancelled_people(personas, network_event):
    mine = RegistrationFactory(event=network_event, person=personas.people["member"])
    html = _render(BOX, personas, "member", network_event, registration=mine)
    assert de("You are registered.") in html and url("unregister", network_event) in html
    mine.status = Registration.Status.CANCELLED
    html = _render(BOX, personas, "member", network_event, registration=mine)
    assert de("You have cancelled your registration.") in html and url("register", network_event) in html


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": Event.Status.CANCELLED}, "This event has been cancelled; registration is no longer possible."),
        (
            {"starts_at": in_days(-3), "ends_at": in_days(-3) + timedelta(hours=1)},
            "This event is over; registration is closed.",
        ),
        (
            {"starts_at": timezone.now() - timedelta(minutes=30), "ends_at": timezone.now() + timedelta(hours=1)},
            "This event has already started; registration is closed.",
        ),
    ],
)
def test_box_explains_why_registration_is_closed(personas, changes, reason):
    event = EventFactory(network=personas.network, **changes)
    mine = RegistrationFactory(event=event, person=personas.people["member"])
    html = _render(BOX, personas, "member", event, registration=mine)
    assert de(reason) in html
    assert url("register", event) not in html and url("unregister", event) not in html


def test_box_explains_a_passed_deadline(personas):
    deadline = timezone.now() - timedelta(hours=2)
    event = EventFactory(network=personas.network, registration_deadline=deadline)
    html = _render(BOX, personas, "member", event)
    assert url("register", event) not in html
    before_the_date = de("The registration deadline (%(deadline)s) has passed; registration is closed.").split("%(")[0]
    assert before_the_date and before_the_date in html


QUESTIONS = "events/partials/questions.html"


def test_anonymous_questions_show_the_name_only_to_the_coordination_and_the_author(personas, office_hour):
    asker = personas.people["member"]
    asker.name = "Fragende Klimaschutzmanagerin"
    asker.save(update_fields=["name"])
    question = QuestionFactory(event=office_hour, author=asker, anonymous=True, text="Anonyme Frage")
    other = _member(personas.network, "Neugierige Kollegin")
    questions = list(Question.objects.filter(pk=question.pk).select_related("author"))
    for persona, sees_name in [("member", True), ("coordinator", True), ("staff", True)]:
        html = _render(QUESTIONS, personas, persona, office_hour, questions=questions)
        assert "Anonyme Frage" in html
        assert (asker.name in html) is sees_name, persona
    personas.people["colleague"] = other
    html = _render(QUESTIONS, personas, "colleague", office_hour, questions=questions, is_member=True)
    assert "Anonyme Frage" in html and asker.name not in html and de("Anonymous") in html


def test_questions_partial_has_the_form_before_the_office_hour_only(personas, office_hour):
    topic = nf.TopicFactory(name="Mobilität")
    html = _render(QUESTIONS, personas, "member", office_hour, all_topics=[topic])
    assert url("question-create", office_hour) in html and "Mobilität" in html
    assert 'name="anonymous"' in html
    past = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, starts_at=in_days(-1))
    assert url("question-create", past) not in _render(QUESTIONS, personas, "member", past)
    assert _render(QUESTIONS, personas, "citizen", office_hour, is_member=False).strip() == ""


# --- FAQ -------------------------------------------------------------------------------------------------


def test_faq_of_a_private_network_is_404_for_outsiders(client, personas):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    personas.login(client, "other_network")
    assert client.get(reverse("events:faq", args=[personas.network.slug])).status_code == 404


def _answered(event, text, answer, **kwargs):
    return QuestionFactory(event=event, text=text, answer=answer, answered_at=timezone.now(), **kwargs)


def test_faq_lists_answered_questions_newest_first_and_searches(client, personas, office_hour):
    topic = nf.TopicFactory(name="Photovoltaik")
    old = _answered(office_hour, "Wie fördern wir PV?", "Mit dem Solarkataster.", topic=topic)
    Question.objects.filter(pk=old.pk).update(answered_at=timezone.now() - timedelta(days=3))
    new = _answered(office_hour, "Wer prüft Wärmepläne?", "Die Kommunalaufsicht.")
    QuestionFactory(event=office_hour, text="Noch offen")
    foreign = EventFactory(network=personas.other, kind=Kind.OFFICE_HOUR)
    _answered(foreign, "Fremde Frage", "Fremde Antwort")
    personas.login(client, "member")
    target = reverse("events:faq", args=[personas.network.slug])

    response = client.get(target)
    assert list(response.context["page"].object_list) == [new, old]
    page = response.content.decode()
    assert "Noch offen" not in page and "Fremde Frage" not in page
    assert office_hour.get_absolute_url() in page
    assert "open_questions" not in response.context  # members do not get the coordination's list
    assert list(client.get(target, {"q": "solarkataster"}).context["page"].object_list) == [old]
    assert list(client.get(target, {"q": "wärmepläne"}).context["page"].object_list) == [new]
    assert list(client.get(target, {"topic": topic.pk}).context["page"].object_list) == [old]
    assert client.get(target, {"topic": "abc", "page": "x"}).status_code == 200


def test_faq_lists_open_questions_of_upcoming_office_hours_for_the_coordination(client, personas, office_hour):
    open_question = QuestionFactory(event=office_hour, text="Offene Frage", anonymous=True)
    past = EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, starts_at=in_days(-5))
    QuestionFactory(event=past, text="Vergessene Frage")
    personas.login(client, "coordinator")
    response = client.get(reverse("events:faq", args=[personas.network.slug]))
    assert list(response.context["open_questions"]) == [open_question]
    page = response.content.decode()
    answer_url = reverse("events:question-answer", args=[personas.network.slug, open_question.pk])
    assert answer_url in page and open_question.author.name in page


def test_faq_hides_anonymous_askers_from_other_members(client, personas, office_hour):
    _answered(office_hour, "Anonym gefragt", "Antwort", author=personas.people["coordinator"], anonymous=True)
    personas.login(client, "member")
    page = client.get(reverse("events:faq", args=[personas.network.slug])).content.decode()
    assert "Anonym gefragt" in page and "Koordinatorin" not in page.split("<main")[1]


def test_faq_queries_are_flat(client, personas, office_hour, django_assert_num_queries):
    topic = nf.TopicFactory()
    personas.login(client, "coordinator")
    target = reverse("events:faq", args=[personas.network.slug])

    def grow(n):
        for i in range(n):
            _answered(office_hour, f"Frage {i}", f"Antwort {i}", topic=topic, author=nf.PersonFactory())
            QuestionFactory(event=office_hour, topic=topic)

    # session and account from the cache (no query); network, role, topics for the filter, count, the page's rows
    # (questions and answers taken from discussions, networks.channel.selectors.faq_rows), its questions, open
    # questions (the page's discussion answers: one more query when there are any)
    grow(2)
    with django_assert_num_queries(6):
        assert client.get(target).status_code == 200
    grow(10)
    with django_assert_num_queries(6):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 12


def test_faq_is_linked_for_members_only(personas, office_hour):
    assert reverse("events:faq", args=[personas.network.slug]) in _render(QUESTIONS, personas, "member", office_hour)
