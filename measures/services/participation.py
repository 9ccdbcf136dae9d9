"""Citizen proposals and comments with moderation, support, proposals turned into measures, pledges."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Comment, Measure, Moderation, Pledge, PledgeReport, Proposal, ProposalSupport, Roadmap
from measures.services.roadmap import measure_save
from networks.mail import mail_wanted
from networks.models import Person
from networks.outbox import outbox_enqueue_template

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


def proposal_submit(*, roadmap: Roadmap, author: Person, title: str, text: str, sector: str) -> Proposal:
    if not roadmap.published:
        raise ValidationError(_("This roadmap does not take proposals."))
    _check_rate(author)
    proposal = Proposal(roadmap=roadmap, author=author, title=title.strip(), text=text.strip(), sector=sector)
    proposal.full_clean()
    proposal.save()
    return proposal


def comment_submit(*, measure: Measure, author: Person, text: str) -> Comment:
    if not (measure.published and measure.roadmap.published):
        raise ValidationError(_("Comments are possible once the measure has been published."))
    _check_rate(author)
    comment = Comment(measure=measure, author=author, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment


def _moderate(item, *, publish: bool, reason: str, by: Person | None, kind: str, roadmap: Roadmap):
    reason = reason.strip()
    if not publish and not reason:
        raise ValidationError({"reason": _("Please give a reason for rejecting; the author will read it.")})
    with transaction.atomic():
        item.status = Moderation.PUBLISHED if publish else Moderation.REJECTED
        item.rejection_reason = "" if publish else reason[:500]
        item.moderated_by, item.moderated_at = by, timezone.now()
        item.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
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
    return _moderate(comment, publish=publish, reason=reason, by=by, kind="comment", roadmap=comment.measure.roadmap)


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
    return measure_save(measure=measure, by=by)


def pledge_save(*, pledge: Pledge) -> Pledge:
    pledge.full_clean()
    pledge.save()
    return pledge


def pledge_report_save(*, report: PledgeReport) -> PledgeReport:
    report.full_clean()
    report.save()
    return report
