"""Citizen proposals and comments with moderation, support, proposals turned into measures, pledges; the editors'
official answers and the proposals' states, replies (one level), reports, netiquette, participation phases."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import (
    Comment,
    FollowEvent,
    Measure,
    Moderation,
    NetiquetteAcceptance,
    ParticipationPhase,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalState,
    ProposalSupport,
    Roadmap,
)
from measures.services.roadmap import measure_save
from networks.access import is_editor
from networks.mail import mail_wanted
from networks.models import Person
from networks.outbox import outbox_enqueue_template

UNANSWERED_DAYS = 14  # a question without an official answer for this long is flagged to the editors


# --- Netiquette and phases ----------------------------------------------------------------------


def netiquette_accepted(person: Person | None) -> bool:
    return person is not None and NetiquetteAcceptance.objects.filter(person=person).exists()


def _netiquette(person: Person, accepted: bool) -> None:
    """The participation rules are accepted once, at the first contribution (stored with the date)."""
    if NetiquetteAcceptance.objects.filter(person=person).exists():
        return
    if not accepted:
        raise ValidationError({"netiquette": _("Please accept the participation rules.")})
    NetiquetteAcceptance.objects.get_or_create(person=person)


def phases_of(roadmap: Roadmap) -> list[ParticipationPhase]:
    return list(roadmap.participation_phases.all())


def collecting_phase(phases: list[ParticipationPhase], today=None) -> ParticipationPhase | None:
    today = today or timezone.localdate()
    return next((p for p in phases if p.collecting and p.starts <= today <= p.ends), None)


def takes_proposals(roadmap: Roadmap, phases: list[ParticipationPhase] | None = None) -> bool:
    """A published roadmap takes proposals; while it has phases, only during a collecting one."""
    if not roadmap.published:
        return False
    phases = phases_of(roadmap) if phases is None else phases
    return not phases or collecting_phase(phases) is not None


def phase_save(*, phase: ParticipationPhase) -> ParticipationPhase:
    phase.full_clean()
    phase.save()
    return phase


RATE_LIMIT = 5  # proposals and comments together, per person and hour
RATE_WINDOW = timedelta(hours=1)


def _check_rate(person: Person) -> None:
    since = timezone.now() - RATE_WINDOW
    recent = (
        Proposal.objects.filter(author=person, created_at__gte=since).count()
        + Comment.objects.filter(author=person, created_at__gte=since).count()
    )
    if recent >= RATE_LIMIT:
        raise ValidationError(
            _("You have written %(count)s contributions in the last hour. Please wait a little before the next one.")
            % {"count": recent},
            code="rate_limited",
        )


def proposal_submit(
    *, roadmap: Roadmap, author: Person, title: str, text: str, sector: str, netiquette: bool = False
) -> Proposal:
    """A citizen's proposal, waiting for moderation; its author follows it (immediately) from here on."""
    from measures.services.follows import follow

    if not roadmap.published:
        raise ValidationError(_("This roadmap does not take proposals."))
    if not takes_proposals(roadmap):
        raise ValidationError(_("Proposals are collected only during a participation phase."))
    _check_rate(author)
    proposal = Proposal(roadmap=roadmap, author=author, title=title.strip(), text=text.strip(), sector=sector)
    proposal.full_clean()
    with transaction.atomic():
        _netiquette(author, netiquette)
        proposal.save()
        follow(person=author, obj=proposal)
    return proposal


def comment_submit(
    *,
    measure: Measure | None = None,
    proposal: Proposal | None = None,
    author: Person,
    text: str,
    parent: Comment | None = None,
    netiquette: bool = False,
) -> Comment:
    """A comment on a measure or a published proposal, or a reply (one level: a reply to a reply answers its
    parent). An editor's reply is an official answer, published at once; everyone else's waits for moderation."""
    if (measure is None) == (proposal is None):
        raise ValueError("a comment belongs to a measure or a proposal")
    if measure is not None:
        roadmap = measure.roadmap
        if not (measure.published and roadmap.published):
            raise ValidationError(_("Comments are possible once the measure has been published."))
    else:
        roadmap = proposal.roadmap
        if not (proposal.is_published and roadmap.published):
            raise ValidationError(_("Comments are possible once the proposal has been published."))
    if parent is not None:
        parent = parent.parent if parent.parent_id else parent
        if (parent.measure_id, parent.proposal_id) != (getattr(measure, "pk", None), getattr(proposal, "pk", None)):
            raise ValidationError(_("This reply does not belong here."))
        if not parent.is_published:
            raise ValidationError(_("Only published comments can be answered."))
    official = is_editor(author.user, roadmap.organisation) if author.user_id else False
    if not official:
        _check_rate(author)
    comment = Comment(measure=measure, proposal=proposal, parent=parent, author=author, text=text.strip())
    comment.official = official
    if official:
        comment.status, comment.moderated_by, comment.moderated_at = Moderation.PUBLISHED, author, timezone.now()
    comment.full_clean()
    with transaction.atomic():
        if not official:
            _netiquette(author, netiquette)
        comment.save()
        if official and parent is not None:
            FollowEvent.objects.create(
                kind=FollowEvent.Kind.ANSWER,
                roadmap=roadmap,
                measure=measure,
                proposal=proposal,
                summary=comment.text[:300],
            )
    return comment


def comment_report(*, comment: Comment, reason: str) -> bool:
    """Anyone signed in may report a published comment; it goes to the editors' moderation queue (reported ones
    first). Returns whether this call reported it (a comment already waiting is not reported again)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please say briefly what is wrong with this comment.")})
    if not comment.is_published:
        raise ValidationError(_("Only published comments can be reported."))
    return bool(
        Comment.objects.filter(pk=comment.pk, reported_at__isnull=True).update(
            reported_at=timezone.now(), report_reason=reason[:500]
        )
    )


def comment_report_dismiss(*, comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(reported_at=None, report_reason="")


def proposal_answer(
    *,
    proposal: Proposal,
    state: str,
    answer: str,
    by: Person | None,
    merged_into_proposal: Proposal | None = None,
    merged_into_measure: Measure | None = None,
) -> Proposal:
    """The editors' official answer and the proposal's state; followers are told (an answer, or a new state)."""
    if not proposal.is_published:
        raise ValidationError(_("Only published proposals can be answered."))
    if state not in ProposalState.values:
        raise ValidationError({"state": _("Unknown state.")})
    answer = answer.strip()
    if state == ProposalState.MERGED and merged_into_proposal is None and merged_into_measure is None:
        raise ValidationError({"merged_into_measure": _("Please say into which proposal or measure it was merged.")})
    if merged_into_proposal is not None and merged_into_proposal.pk == proposal.pk:
        raise ValidationError({"merged_into_proposal": _("A proposal cannot be merged into itself.")})
    if state in (ProposalState.NOT_TAKEN_UP, ProposalState.MERGED) and not answer:
        raise ValidationError({"answer": _("Please explain the decision in an official answer.")})
    old_state, old_answer = proposal.state, proposal.answer
    proposal.state = state
    proposal.merged_into_proposal = merged_into_proposal if state == ProposalState.MERGED else None
    proposal.merged_into_measure = merged_into_measure if state == ProposalState.MERGED else None
    proposal.answer = answer
    if answer != old_answer:
        proposal.answered_by, proposal.answered_at = by, timezone.now()
        proposal.answer_organisation = proposal.roadmap.organisation
    proposal.full_clean()
    with transaction.atomic():
        if by is not None and by.user_id:
            proposal._history_user = by.user
        proposal.save()
        if answer != old_answer and answer:
            kind, summary = FollowEvent.Kind.ANSWER, answer
        elif state != old_state:
            kind, summary = FollowEvent.Kind.STATE, str(proposal.get_state_display())
        else:
            return proposal
        FollowEvent.objects.create(kind=kind, roadmap=proposal.roadmap, proposal=proposal, summary=summary[:300])
    return proposal


def support_withdraw(*, proposal: Proposal, person: Person) -> bool:
    return ProposalSupport.objects.filter(proposal=proposal, person=person).delete()[0] > 0


def unanswered_questions(roadmaps, *, now=None):
    """Published top-level comments by citizens on the roadmaps' measures and proposals, older than
    UNANSWERED_DAYS, without a published official reply: flagged to the editors."""
    from django.db.models import Exists, OuterRef, Q

    cutoff = (now or timezone.now()) - timedelta(days=UNANSWERED_DAYS)
    answered = Comment.objects.filter(parent=OuterRef("pk"), official=True, status=Moderation.PUBLISHED)
    return (
        Comment.objects.filter(Q(measure__roadmap__in=roadmaps) | Q(proposal__roadmap__in=roadmaps))
        .filter(parent__isnull=True, official=False, status=Moderation.PUBLISHED, created_at__lte=cutoff)
        .exclude(Exists(answered))
        .select_related("measure__roadmap", "proposal__roadmap", "author")
        .order_by("created_at", "pk")
    )


def _moderate(item, *, publish: bool, reason: str, by: Person | None, kind: str, roadmap: Roadmap):
    reason = reason.strip()
    if not publish and not reason:
        raise ValidationError({"reason": _("Please give a reason for rejecting; the author will read it.")})
    with transaction.atomic():
        item.status = Moderation.PUBLISHED if publish else Moderation.REJECTED
        item.rejection_reason = "" if publish else reason[:500]
        item.moderated_by, item.moderated_at = by, timezone.now()
        fields = ["status", "rejection_reason", "moderated_by", "moderated_at"]
        if kind == "comment":  # a decision settles a report
            item.reported_at, item.report_reason = None, ""
            fields += ["reported_at", "report_reason"]
        item.save(update_fields=fields)
        author = item.author
        if mail_wanted(author, f"{kind}_moderated"):  # may be mailed and has not switched it off (networks.mail)
            outbox_enqueue_template(
                recipient=author.user.email,
                reason=f"{kind}_moderated",
                template=f"{kind}_moderated",
                context={"item": item, "roadmap": roadmap, "person": author, "published": publish},
                language=author.language,
                obj=item,
                occasion=item.status,
            )
    return item


def proposal_moderate(*, proposal: Proposal, publish: bool, reason: str = "", by: Person | None) -> Proposal:
    """Publish, or reject with a reason; the author is told by email (once per decision)."""
    return _moderate(proposal, publish=publish, reason=reason, by=by, kind="proposal", roadmap=proposal.roadmap)


def comment_moderate(*, comment: Comment, publish: bool, reason: str = "", by: Person | None) -> Comment:
    return _moderate(comment, publish=publish, reason=reason, by=by, kind="comment", roadmap=comment.subject.roadmap)


def proposal_support(*, proposal: Proposal, person: Person) -> bool:
    """Support a published proposal; once per person. Returns whether this call added the support."""
    if not proposal.is_published:
        raise ValidationError(_("Only published proposals can be supported."))
    try:
        with transaction.atomic():
            ProposalSupport.objects.create(proposal=proposal, person=person)
    except IntegrityError:
        return False
    return True


def proposal_to_measure(*, proposal: Proposal, code: str, by: Person | None) -> Measure:
    """A published proposal becomes a measure (unpublished, for the editors to complete) that keeps its origin."""
    if not proposal.is_published:
        raise ValidationError(_("Only published proposals can become measures."))
    measure = Measure(
        roadmap=proposal.roadmap,
        code=code,
        title=proposal.title,
        description=proposal.text,
        sector=proposal.sector,
        origin=Measure.Origin.PROPOSAL,
        origin_proposal=proposal,
        status=Measure.Status.NOT_STARTED,
    )
    with transaction.atomic():
        measure = measure_save(measure=measure, by=by)
        if proposal.state != ProposalState.ACCEPTED:
            proposal.state = ProposalState.ACCEPTED
            proposal.save(update_fields=["state"])
            FollowEvent.objects.create(
                kind=FollowEvent.Kind.STATE,
                roadmap=proposal.roadmap,
                proposal=proposal,
                summary=str(proposal.get_state_display()),
            )
    return measure


def pledge_save(*, pledge: Pledge) -> Pledge:
    pledge.full_clean()
    pledge.save()
    return pledge


def pledge_report_save(*, report: PledgeReport) -> PledgeReport:
    report.full_clean()
    report.save()
    return report
