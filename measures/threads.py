"""Reads of participation: the comment threads of a measure or proposal (one level of replies) in one query, the
published feedback of a measure, and what the viewer may do there."""

from __future__ import annotations

from dataclasses import dataclass, field

from measures.models import Comment, Feedback, Moderation


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return any(reply.official and reply.is_published for reply in self.replies)


def threads(*, user, editor: bool, measure=None, proposal=None) -> list[Thread]:
    """Visible comments (published; the author's own; all for editors), replies under their parent. One query."""
    lookup = {"measure_id": measure.pk} if measure is not None else {"proposal_id": proposal.pk}
    comments = list(
        Comment.objects.visible_to(user, editor=editor)
        .filter(**lookup)
        .select_related("author__organisation")
        .order_by("created_at", "pk")
    )
    tops = {c.pk: Thread(c) for c in comments if c.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in tops:
            tops[comment.parent_id].replies.append(comment)
    return list(tops.values())


def published_feedback(measure) -> list[Feedback]:
    return list(
        Feedback.objects.filter(measure_id=measure.pk, status=Moderation.PUBLISHED).order_by("created_at", "pk")
    )
