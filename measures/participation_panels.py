"""Participation on networks' extension points: the roadmap page's participation phases, the editors' dashboard
panel (questions without an answer for 14 days, reported comments, confirmed feedback waiting) and the digest
section that flags unanswered questions to the editors (networks.digest.sections)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import Comment, Feedback, Moderation, Roadmap
from measures.services import participation
from networks.models import Membership, OrganisationRole
from networks.panels import Panel

UNANSWERED_SHOWN = 20


def _phases(request, roadmap: Roadmap) -> dict | None:
    phases = participation.phases_of(roadmap)
    if not phases:
        return None
    return {"roadmap": roadmap, "phases": phases, "collecting": participation.collecting_phase(phases)}


def _editor(request, roadmap: Roadmap) -> dict:
    unanswered = participation.unanswered_questions([roadmap])
    reported = Comment.objects.filter(
        Q(measure__roadmap=roadmap) | Q(proposal__roadmap=roadmap), reported_at__isnull=False
    ).count()
    feedback = Feedback.objects.filter(
        measure__roadmap=roadmap, verified_at__isnull=False, status=Moderation.PENDING
    ).count()
    return {
        "roadmap": roadmap,
        "unanswered": list(unanswered[:UNANSWERED_SHOWN]),
        "unanswered_count": unanswered.count(),
        "reported_count": reported,
        "feedback_count": feedback,
        "days": participation.UNANSWERED_DAYS,
    }


ROADMAP_PHASES = Panel("participation-phases", "measures/partials/participation_phases_panel.html", _phases, order=5)
EDITOR_PARTICIPATION = Panel("participation", "measures/partials/participation_editor_panel.html", _editor, order=5)


def unanswered_items(requests) -> dict[int, list]:
    """Questions that turned 14 days old without an official answer in the person's window, for the editors of the
    roadmap's organisation; filed under a network the organisation is a member of (else the person's first one).
    Four queries for the whole batch."""
    from networks.digest import sections

    since = min(r.since for r in requests)
    until = max(r.until for r in requests)
    days = timedelta(days=participation.UNANSWERED_DAYS)
    questions = list(
        participation.unanswered_questions(Roadmap.objects.all(), now=until).filter(created_at__gt=since - days)
    )
    if not questions:
        return {}
    people = {r.person.pk for r in requests}
    edits: dict[int, set[int]] = defaultdict(set)
    for person_id, organisation_id in OrganisationRole.objects.filter(person_id__in=people).values_list(
        "person_id", "organisation_id"
    ):
        edits[person_id].add(organisation_id)
    organisations = {q.subject.roadmap.organisation_id for q in questions}
    member_of: dict[int, set[int]] = defaultdict(set)
    for organisation_id, network_id in (
        Membership.objects.current()
        .filter(organisation_id__in=organisations)
        .values_list("organisation_id", "network_id")
    ):
        member_of[organisation_id].add(network_id)
    out: dict[int, list] = defaultdict(list)
    for r in requests:
        mine = edits.get(r.person.pk)
        if not mine:
            continue
        networks = [n.pk for n in r.networks]
        for question in questions:
            roadmap = question.subject.roadmap
            flagged_at = question.created_at + days
            if roadmap.organisation_id not in mine or not (r.since < flagged_at <= r.until):
                continue
            network = next((n for n in networks if n in member_of[roadmap.organisation_id]), networks[0])
            out[r.person.pk].append(
                sections.Item(
                    network=network,
                    title=question.subject.title,
                    url=question.get_absolute_url(),
                    date=flagged_at,
                    summary=_("Question without an answer for %(days)s days: %(text)s")
                    % {"days": participation.UNANSWERED_DAYS, "text": question.text[:140]},
                    key=f"measures.question:{question.pk}",
                    extra={"badge": _("unanswered"), "alert": True},
                )
            )
    return out


def export(person) -> dict:
    """The person's follows, the date they accepted the participation rules, their proposals' and comments'
    texts (GDPR export; networks.panels.register_personal_data)."""
    from measures.models import Follow, NetiquetteAcceptance, Proposal

    accepted = NetiquetteAcceptance.objects.filter(person=person).values_list("accepted_at", flat=True).first()
    return {
        "follows": [
            {"kind": f.kind, "object_id": f.object_id, "emails": f.frequency, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "participation_rules_accepted_at": accepted.isoformat() if accepted else None,
        "proposals": [
            {"title": p.title, "text": p.text, "status": p.status, "state": p.state, "at": p.created_at.isoformat()}
            for p in Proposal.objects.filter(author=person).order_by("created_at", "pk")
        ],
        "comments": [
            {"text": c.text, "status": c.status, "at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=person).order_by("created_at", "pk")
        ],
    }


def before_delete(person) -> None:
    """Follows and supports end with the account (no more emails); contributions stay without the name."""
    from measures.models import Follow, NetiquetteAcceptance, ProposalSupport

    Follow.objects.filter(person=person).delete()
    NetiquetteAcceptance.objects.filter(person=person).delete()
    ProposalSupport.objects.filter(person=person).delete()


def register() -> None:
    from networks import panels
    from networks.digest import sections

    panels.register_personal_data("measures_participation", export)
    panels.register_account_delete("measures_participation", before_delete)

    panels.register("roadmap", ROADMAP_PHASES)
    panels.register("roadmap_editor", EDITOR_PARTICIPATION)
    sections.register(
        key="measures-unanswered",
        title=gettext_lazy("Questions waiting for an answer"),
        order=25,
        items_batch=unanswered_items,
    )
