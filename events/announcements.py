"""Events' part of the announcements (networks.announcements): the audiences of an event, the invitation of the
members to an event and its one reminder.

- Audiences (networks.announcements.audiences): "event:<id>:registered" (holding a place), "event:<id>:waiting"
  (the waiting list) and "event:<id>:unanswered" (members of the network without any registration for it: not
  registered, not waiting, not cancelled).
- The invitation is an Announcement with reason "event_invitation" and ``about`` "event:<id>" (unique: one per
  event), sent to "event:<id>:unanswered" with the .ics attached; its outbox key (recipient, "event_invitation",
  invitation, "") makes it once per event and person.
- The reminder: REMINDER_BEFORE before the registration deadline (or the start), once (occasion "reminder"), to
  those who got the invitation by email and still have no registration row, are still members and can be mailed.
  Never to someone who answered; no reminder when the invitation itself went out after that moment.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events import ical
from events.models import Event, Registration
from networks.access import access_network_manage, working_group_readers
from networks.announcements import audiences, services
from networks.announcements.models import INVITATION, Announcement, AnnouncementRecipient
from networks.announcements.tasks import announcement_deliver
from networks.models import NetworkRole, OutboxMessage, Person
from networks.outbox import queue_on_commit

REMINDER_BEFORE = timedelta(days=7)  # before the registration deadline, or the start when there is none
CHOICE_EVENTS = 12  # events the compose form offers: the next ones and those of the last CHOICE_PAST
CHOICE_PAST = timedelta(days=30)
WHAT = ("registered", "waiting", "unanswered")


# --- Audiences ----------------------------------------------------------------------------------------------


def _parse(network, key: str) -> tuple[Event, str] | None:
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != "event" or not parts[1].isdigit() or parts[2] not in WHAT:
        return None
    event = Event.objects.filter(network=network, pk=int(parts[1])).first()
    return (event, parts[2]) if event is not None else None


def _people(network, key: str):
    parsed = _parse(network, key)
    if parsed is None:
        return None
    event, what = parsed
    if what == "unanswered":
        return Person.objects.filter(pk__in=_invitees(event)).exclude(registrations__event=event)
    statuses = Registration.TAKES_A_PLACE if what == "registered" else [Registration.Status.WAITING]
    return Person.objects.filter(registrations__event=event, registrations__status__in=statuses)


def _invitees(event: Event):
    """Who an event's invitation is for: the network's members; a closed working group's meeting only its readers
    (networks.access.working_group_readers, the group rule). A values("pk") QuerySet of Person."""
    group = event.working_group
    if group is not None and not group.is_open:
        return working_group_readers(group).values("pk")
    return NetworkRole.objects.filter(network_id=event.network_id).values("person")


def _working_group(network, key: str):
    """The group of an event's audience or invitation ("event:12", "event:12:registered"): the meeting's group."""
    parts = key.split(":")
    if len(parts) < 2 or parts[0] != "event" or not parts[1].isdigit():
        return None
    event = Event.objects.filter(network=network, pk=int(parts[1])).select_related("working_group").first()
    return event.working_group if event is not None else None


def _describe(event: Event, what: str) -> str:
    when = formats.date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
    words = {
        "registered": _("Registered for “%(title)s” (%(date)s)"),
        "waiting": _("Waiting list of “%(title)s” (%(date)s)"),
        "unanswered": _("Members who have not answered “%(title)s” (%(date)s)"),
    }
    return words[what] % {"title": event.title, "date": when}


def _label(network, key: str) -> str | None:
    parsed = _parse(network, key)
    return _describe(*parsed) if parsed is not None else None


def _choices(network) -> list[tuple[str, list[tuple[str, str]]]]:
    """The next events and those of the last weeks (one query), three audiences each, grouped per event."""
    events = (
        Event.objects.filter(network=network, ends_at__gte=timezone.now() - CHOICE_PAST)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at")[:CHOICE_EVENTS]
    )
    return [
        (
            f"{event.title} ({formats.date_format(timezone.localtime(event.starts_at), 'SHORT_DATE_FORMAT')})",
            [(f"event:{event.pk}:{what}", _describe(event, what)) for what in WHAT],
        )
        for event in events
    ]


def _event_url(event: Event, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + event.get_absolute_url()


def _deadline_text(event: Event) -> str:
    if not event.registration_deadline:
        return ""
    return formats.date_format(timezone.localtime(event.registration_deadline), "DATETIME_FORMAT")


def _mail_context(announcement: Announcement, language: str) -> dict:
    event = Event.objects.filter(network=announcement.network, pk=_event_id(announcement)).first()
    if event is None:
        return {}
    url = _event_url(event, language)
    return {"event": event, "event_url": url, "show_link": False, "deadline": _deadline_text(event)}


def _event_id(announcement: Announcement) -> int | None:
    prefix, _sep, pk = announcement.about.partition(":")
    return int(pk) if prefix == "event" and pk.isdigit() else None


def register() -> None:
    """Called from EventsConfig.ready()."""
    audiences.register(
        audiences.Provider(
            prefix="event",
            choices=_choices,
            people=_people,
            label=_label,
            group=_("Events"),
            mail_context=_mail_context,
            demo=demo,
            working_group=_working_group,
        )
    )


# --- The invitation -----------------------------------------------------------------------------------------


def invitation_of(event: Event) -> Announcement | None:
    """The event's invitation (sent or not), or None."""
    return Announcement.objects.filter(reason=INVITATION, about=f"event:{event.pk}").first()


def _ics(event: Event) -> dict:
    return {
        "filename": "termin.ics",
        "mimetype": "text/calendar; charset=utf-8; method=PUBLISH",
        "content": ical.event_ics(event, show_link=False).decode(),
    }


def _body(event: Event) -> str:
    """The invitation's text for the archive and the search (each email shows the event in its own language)."""
    when = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
    lines = [
        _("The coordination invites the members to **%(title)s**.") % {"title": event.title},
        "",
        "- " + _("When: %(when)s") % {"when": when},
    ]
    if event.venue:
        lines.append("- " + _("Where: %(venue)s") % {"venue": ", ".join(p for p in (event.venue, event.address) if p)})
    if event.registration_deadline:
        lines.append("- " + _("Registration until: %(deadline)s") % {"deadline": _deadline_text(event)})
    link = _event_url(event, translation.get_language() or "de")
    lines += ["", f"[{_('Register on the event page')}]({link})"]
    return "\n".join(lines)


def invitation_send(*, event: Event, by: Person | None) -> int:
    """Invite the network's members who have not answered yet (once per event). Returns how many it reached now:
    0 when the event was already invited, is cancelled or over."""
    if event.is_cancelled or event.has_started:
        return 0
    with transaction.atomic():
        invitation, _created = Announcement.objects.get_or_create(
            reason=INVITATION,
            about=f"event:{event.pk}",
            defaults={
                "network": event.network,
                "author": by,
                "audience": f"event:{event.pk}:unanswered",
                "subject": (_("Invitation: %(title)s") % {"title": event.title})[:200],
                "body": _body(event),
                "extra_attachments": [_ics(event)],
            },
        )
        if invitation.is_sent:
            return 0
        try:
            return services.announcement_send(announcement=invitation, by=by)
        except ValidationError:  # nobody to invite (e.g. the network has no one who can be mailed)
            return 0


@login_required
@require_POST
def event_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The event page's "invite the members" button (coordination)."""
    from networks.pages import person_of

    network = access_network_manage(request.user, slug)
    event = get_object_or_404(Event.objects.select_related("network"), network=network, pk=pk)
    if invitation_of(event) is not None and invitation_of(event).is_sent:
        messages.info(request, _("The members have been invited to this event already."))
    else:
        told = invitation_send(event=event, by=person_of(request))
        if told:
            messages.success(request, invited_message(told))
        else:
            messages.error(request, _("Nobody could be invited: the event is over or cancelled, or nobody is left."))
    return redirect(event)


def invited_message(count: int) -> str:
    return ngettext(
        "The invitation has been sent to %(count)s member.", "The invitation has been sent to %(count)s members.", count
    ) % {"count": count}


# --- The reminder -------------------------------------------------------------------------------------------


def _reminder_moment(event: Event):
    return (event.registration_deadline or event.starts_at) - REMINDER_BEFORE


def _due(now) -> list[tuple[Announcement, Event]]:
    """Sent invitations whose reminder moment has come, of events still open for registration."""
    soon = Event.objects.filter(
        Q(registration_deadline__isnull=True) | Q(registration_deadline__gt=now),
        starts_at__gt=now,
    ).exclude(status=Event.Status.CANCELLED)
    events = {
        event.pk: event
        for event in soon.filter(
            Q(registration_deadline__lte=now + REMINDER_BEFORE)
            | Q(registration_deadline__isnull=True, starts_at__lte=now + REMINDER_BEFORE)
        ).select_related("network")
    }
    invitations = (
        Announcement.objects.sent()
        .filter(reason=INVITATION, about__in=[f"event:{pk}" for pk in events])
        .select_related("network", "author__user")
    )
    return [
        (invitation, events[_event_id(invitation)])
        for invitation in invitations
        if invitation.sent_at < _reminder_moment(events[_event_id(invitation)])
    ]


def invitation_remind(*, invitation: Announcement, event: Event) -> int:
    """The one reminder of one invitation; returns how many emails it wrote now."""
    members = _invitees(event)
    people = [
        person
        for person in Person.objects.filter(
            pk__in=AnnouncementRecipient.objects.filter(
                announcement=invitation, via=AnnouncementRecipient.Via.EMAIL
            ).values("person")
        )
        .filter(pk__in=members)
        .exclude(registrations__event=event)
        .select_related("user")
        .order_by("pk")
        if person.can_be_mailed
    ]
    attachments = [_ics(event)]
    headers = services.headers_of(invitation)
    rendered = {}
    rows = []
    for person in people:
        if person.language not in rendered:
            extra = {"reminder": True, "deadline": _deadline_text(event)}
            rendered[person.language] = services.render(
                invitation, language=person.language, move_link=False, extra=extra
            )
        message = rendered[person.language]
        rows.append(
            OutboxMessage(
                recipient=person.user.email.strip().lower(),
                reason=INVITATION,
                object_type=services.OBJECT_TYPE,
                object_id=str(invitation.pk),
                occasion="reminder",
                language=person.language,
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                attachments=attachments,
                headers=headers,
            )
        )
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def invitation_reminders_send(*, now=None) -> int:
    """Every due reminder, each once (the outbox key's occasion "reminder"); safe to run any number of times."""
    now = now or timezone.now()
    written = 0
    for invitation, event in _due(now):
        reminded = OutboxMessage.objects.filter(
            reason=INVITATION, object_type=services.OBJECT_TYPE, object_id=str(invitation.pk), occasion="reminder"
        )
        if reminded.exists():
            continue
        with transaction.atomic():
            written += invitation_remind(invitation=invitation, event=event)
            queue_on_commit(announcement_deliver, invitation.pk)
    return written


@shared_task(acks_late=True)
def invitation_reminders_task() -> int:
    return invitation_reminders_send()


# --- The demo (networks.announcements.demo calls it through the provider) --------------------------------------

KEK_MEETING = "KEK-Netzwerktreffen: Klimaschutzziele der Mitgliedsorganisationen"
KEK_SUBJECT = "Unser nächstes Netzwerktreffen: Klimaschutzziele der Mitgliedsorganisationen"
WORKSHOP_TITLE = "Jahresplanungsworkshop 2027 des Klima.Taten.Teams"
WORKSHOP_DESCRIPTION = """\
Einmal im Jahr planen wir gemeinsam, was das Klima.Taten.Team sich vornimmt: **Kampagnen** (Photovoltaik,
Wärme, Energiesparen), **Klima.Taten.Talks** und die **Themen unserer Treffen**.

Bringen Sie gern mit, was in Ihrer Kommune ansteht – und wo Sie Unterstützung aus dem Netzwerk brauchen.
"""
WORKSHOP_AGENDA = [
    ("09:30", "Ankommen und Rückblick auf das Jahr", ""),
    ("10:15", "Kampagnen 2027: Photovoltaik, Wärme, Energiesparen", "Arbeit in Kleingruppen"),
    ("12:30", "Mittagspause", ""),
    ("13:15", "Themen und Termine der Klima.Taten.Talks", ""),
    ("14:45", "Verabredungen und Verantwortliche", ""),
]


def _kek_body(meeting: Event) -> str:
    when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    link = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    return (
        "Liebe Mitglieder des KEK,\n\n"
        f"unser nächstes Netzwerktreffen findet am **{when}** im Umweltamt der Stadt Dortmund statt, "
        "wer nicht vor Ort sein kann, ist online dabei.\n\n"
        "Die Mitgliedsorganisationen stellen ihre Klimaschutzziele vor – je zehn Minuten, gern mit zwei, drei "
        "Folien. DEW21 gibt einen Impuls zu Fernwärme und kommunaler Wärmeplanung.\n\n"
        f"[Zur Anmeldung und Tagesordnung]({link})\n\n"
        "Viele Grüße\nIhr Netzwerkmanagement"
    )


def _workshop(network, by: Person | None) -> Event:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from events.models import Kind
    from events.services import event_create
    from networks.models import Topic

    found = Event.objects.filter(network=network, title=WORKSHOP_TITLE).first()
    if found is not None:
        return found
    day = timezone.localdate() + timedelta(days=45)
    berlin = ZoneInfo(settings.TIME_ZONE)
    event = Event(
        network=network,
        title=WORKSHOP_TITLE,
        kind=Kind.WORKSHOP,
        format="on_site",
        venue="Kreisverwaltung Kusel",
        room="Sitzungssaal",
        street="Trierer Straße 49–51",
        postcode="66869",
        town="Kusel",
        capacity=30,
        visibility="network",
        description=WORKSHOP_DESCRIPTION,
        starts_at=datetime.combine(day, time(9, 30), berlin),
        ends_at=datetime.combine(day, time(15, 30), berlin),
        registration_deadline=datetime.combine(day - timedelta(days=21), time(18), berlin),
    )
    agenda = [{"time": time.fromisoformat(t), "title": title, "note": note} for t, title, note in WORKSHOP_AGENDA]
    topics = Topic.objects.filter(slug__in=["photovoltaik", "kommunale-waermeplanung"])
    return event_create(event=event, topics=topics, agenda=agenda, by=by)


def demo(*, stdout=None) -> None:
    """The KEK announces its next meeting (with the agenda from the library, if there is one); the
    Klima.Taten.Team invites its members to the annual planning workshop."""
    from networks.announcements.demo import send
    from networks.library.models import Document
    from networks.models import Network

    kek = Network.objects.filter(slug="kek-dortmund").first()
    meeting = Event.objects.filter(network=kek, title=KEK_MEETING).first() if kek else None
    if meeting is not None:
        agenda = Document.objects.live().filter(network=kek, title__icontains="Tagesordnung").order_by("-created_at")
        send(
            network=kek,
            author_email="kek.koordination@example.org",
            subject=KEK_SUBJECT,
            body=_kek_body(meeting),
            documents=agenda[:1],
        )
    ktt = Network.objects.filter(slug="klima-taten-team-westpfalz").first()
    if ktt is not None:
        coordinator = Person.objects.filter(user__email="ktt.koordination@example.org").first()
        invitation_send(event=_workshop(ktt, coordinator), by=coordinator)
