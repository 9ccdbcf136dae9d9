"""What events contributes to the one search (networks.search): events, minutes, decisions and tasks, the
office hours' FAQ and event documents (with the text the library extracted from them).

Scopes follow events.access: a public event of a public network is public (so are its published minutes and its
documents, as its page shows them), every other event is for the network's members; unpublished minutes are
for the coordination; outcomes (events.access.access_outcome) and the FAQ (events.views.faq) for members.
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.signals import pre_delete
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from events.models import AgendaItem, Document, Event, Outcome, Question
from networks.channel.models import FaqEntry
from networks.library.models import FileText
from networks.models import WorkingGroup
from networks.search import scopes
from networks.search.registry import Dependency, SearchDocument, Source, register, schedule


def _lines(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _closed(group):
    return group is not None and not group.is_open


def event_scopes(event: Event) -> frozenset[str]:
    """A closed working group's meeting (also a public one) for the group's readers (events.access.can_see)."""
    if _closed(event.working_group):
        return scopes.internal(event.network_id, event.working_group)
    if event.is_public and event.network.is_public:
        return frozenset({scopes.PUBLIC})
    return frozenset({scopes.members(event.network_id)})


def outcome_scopes(outcome: Outcome) -> frozenset[str]:
    """The network's members; an outcome of a closed group or of its meeting for the group's readers
    (events.access.can_see_outcome). Both groups closed (rare): who may read the outcome's own group and is a
    coordinator reads both, so the coordination and the outcome's group."""
    group = outcome.working_group if _closed(outcome.working_group) else None
    if group is None and outcome.event_id and _closed(outcome.event.working_group):
        group = outcome.event.working_group
    return scopes.internal(outcome.network_id, group)


def event_document(event: Event) -> SearchDocument:
    return SearchDocument(
        title=event.title,
        body=_lines(
            event.get_kind_display(),
            event.get_format_display(),
            event.venue,
            event.address,
            event.description,
            *(item.title for item in event.agenda.all()),
        ),
        url=event.get_absolute_url(),
        network_id=event.network_id,
        scopes=event_scopes(event),
        date=event.starts_at,
    )


def minutes_document(event: Event) -> SearchDocument | None:
    if not event.minutes.strip():
        return None
    published = event.minutes_published_at is not None
    return SearchDocument(
        title=_("Minutes: %(event)s") % {"event": event.title},
        body=event.minutes,
        url=event.get_absolute_url() + "#minutes",
        network_id=event.network_id,
        scopes=event_scopes(event) if published else frozenset({scopes.coordinators(event.network_id)}),
        date=event.minutes_published_at or event.starts_at,
    )


def _outcome_url(outcome: Outcome) -> str:
    try:
        return outcome.get_absolute_url()
    except NoReverseMatch:  # before the outcome pages existed: the network's action items
        return reverse("events:action-items", args=[outcome.network.slug]) + f"?item={outcome.pk}"


def outcome_document(outcome: Outcome) -> SearchDocument:
    owner = outcome.owner_person or outcome.owner_organisation
    return SearchDocument(
        title=outcome.text[:200],
        body=_lines(
            outcome.get_kind_display(),
            outcome.text if len(outcome.text) > 200 else "",
            outcome.event.title if outcome.event_id else "",
            owner.name if owner else "",
        ),
        url=_outcome_url(outcome),
        network_id=outcome.network_id,
        scopes=outcome_scopes(outcome),
        date=outcome.created_at,
    )


def question_document(question: Question) -> SearchDocument | None:
    if question.answered_at is None or question.removed_at is not None:
        return None  # the FAQ lists answered questions only
    words = " ".join(question.text.split())[:90].rsplit(" ", 1)[0]
    return SearchDocument(
        title=question.text[:200],
        body=_lines(question.text if len(question.text) > 200 else "", question.answer, question.event.title),
        url=reverse("events:faq", args=[question.network.slug]) + "?" + f"q={_quote(words)}",
        network_id=question.network_id,
        scopes=frozenset({scopes.members(question.network_id)}),
        date=question.answered_at,
    )


def faq_entry_document(entry) -> SearchDocument:
    """An answer taken from a discussion into the FAQ (networks.channel.FaqEntry), listed on the same FAQ page."""
    words = " ".join(entry.question.split())[:90].rsplit(" ", 1)[0]
    return SearchDocument(
        title=entry.question[:200],
        body=entry.answer,
        url=reverse("events:faq", args=[entry.network.slug]) + "?" + f"q={_quote(words)}",
        network_id=entry.network_id,
        scopes=frozenset({scopes.members(entry.network_id)}),
        date=entry.created_at,
    )


def _quote(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


def document_document(document: Document) -> SearchDocument:
    event = document.event
    return SearchDocument(
        title=document.title,
        body=_lines(document.get_kind_display(), event.title, document.search_text or ""),
        url=document.get_absolute_url(),
        network_id=event.network_id,
        scopes=event_scopes(event),
        date=document.created_at,
    )


def _documents():
    text = FileText.objects.filter(storage_name=OuterRef("file")).values("text")[:1]
    return Document.objects.select_related("event__network", "event__working_group").annotate(
        search_text=Subquery(text)
    )


def _group_deleted(sender, instance, **kwargs) -> None:
    """A deleted working group's meetings and tasks move to the whole network (working_group: SET_NULL): their
    scopes change, so they are reindexed when the deletion commits (taken here, before the group is gone)."""
    events = list(Event.objects.filter(working_group=instance).values_list("pk", flat=True))
    outcomes = Outcome.objects.filter(Q(working_group=instance) | Q(event_id__in=events)).values_list("pk", flat=True)
    schedule("event", events)
    schedule("minutes", events)
    schedule("outcome", list(outcomes))
    schedule("event_document", list(Document.objects.filter(event_id__in=events).values_list("pk", flat=True)))


def register_sources() -> None:
    pre_delete.connect(_group_deleted, sender=WorkingGroup, weak=False, dispatch_uid="events:group-deleted")
    register(
        Source(
            kind="event",
            label=_("Events"),
            model=Event,
            document=event_document,
            queryset=lambda: Event.objects.select_related("network", "working_group").prefetch_related(
                Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "pk"))
            ),
            dependencies=(
                Dependency(AgendaItem, lambda item: [Event(pk=item.event_id)]),
                Dependency("networks.Network", lambda network: network.events.all()),
                Dependency(WorkingGroup, lambda group: group.events.all() if group.openness_changed else []),
            ),
            order=30,
        )
    )
    register(
        Source(
            kind="minutes",
            label=_("Minutes"),
            model=Event,
            document=minutes_document,
            queryset=lambda: Event.objects.select_related("network", "working_group"),
            dependencies=(
                Dependency("networks.Network", lambda network: network.events.all()),
                Dependency(WorkingGroup, lambda group: group.events.all() if group.openness_changed else []),
            ),
            order=35,
        )
    )
    register(
        Source(
            kind="outcome",
            label=_("Decisions and tasks"),
            model=Outcome,
            document=outcome_document,
            queryset=lambda: Outcome.objects.select_related(
                "network", "event__working_group", "owner_person", "owner_organisation", "working_group"
            ),
            dependencies=(
                Dependency(
                    WorkingGroup,
                    lambda group: Outcome.objects.of_working_group(group) if group.openness_changed else [],
                ),
            ),
            order=40,
        )
    )
    register(
        Source(
            kind="faq",
            label=_("FAQ"),
            model=Question,
            document=question_document,
            queryset=lambda: Question.objects.select_related("network", "event"),
            order=45,
        )
    )
    register(
        Source(
            kind="faq_entry",
            label=_("FAQ from discussions"),
            model=FaqEntry,
            document=faq_entry_document,
            queryset=lambda: FaqEntry.objects.select_related("network"),
            order=46,
        )
    )
    register(
        Source(
            kind="event_document",
            label=_("Event documents"),
            model=Document,
            document=document_document,
            queryset=_documents,
            dependencies=(
                Dependency(FileText, lambda row: Document.objects.filter(file=row.storage_name)),
                Dependency(Event, lambda event: event.documents.all()),
                Dependency(
                    WorkingGroup,
                    lambda group: Document.objects.filter(event__working_group=group) if group.openness_changed else [],
                ),
            ),
            order=55,
        )
    )
