"""Feedback on a measure without an account: the address is verified by a link before the editors see it, then
it is moderated like a comment. The view rate-limits submissions (allauth's rate limits, networks' settings)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures.models import Feedback, Measure, Moderation
from networks.models import Person
from networks.outbox import outbox_enqueue_template

TOKEN_SALT = "measures.feedback.verify"  # noqa: S105 (a signing salt, no secret)
VERIFY_MAX_AGE = timedelta(days=7)
UNVERIFIED_KEPT = timedelta(days=7)  # unverified feedback is deleted after this (privacy page)


def feedback_token(feedback: Feedback) -> str:
    return signing.dumps({"f": feedback.pk, "e": feedback.email}, salt=TOKEN_SALT)


def feedback_submit(*, measure: Measure, name: str, email: str, text: str, netiquette: bool, language: str) -> Feedback:
    if not (measure.published and measure.roadmap.published):
        raise ValidationError(_("Feedback is possible once the measure has been published."))
    if not netiquette:
        raise ValidationError({"netiquette": _("Please accept the participation rules.")})
    feedback = Feedback(
        measure=measure, name=name.strip(), email=email.strip(), text=text.strip(), netiquette_at=timezone.now()
    )
    feedback.full_clean()
    with transaction.atomic():
        feedback.save()
        with translation.override(language):
            link = settings.SITE_URL.rstrip("/") + _verify_path(feedback)
        outbox_enqueue_template(
            recipient=feedback.email,
            reason="feedback_verify",
            template="feedback_verify",
            context={"feedback": feedback, "measure": measure, "link": link, "person": None},
            language=language,
            obj=feedback,
        )
    return feedback


def _verify_path(feedback: Feedback) -> str:
    from django.urls import reverse

    return reverse("measures:feedback-verify", args=[feedback_token(feedback)])


def feedback_read(token: str) -> Feedback | None:
    """The feedback a verification link names (None when forged, expired or gone)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        return None
    return Feedback.objects.select_related("measure__roadmap").filter(pk=data["f"], email=data.get("e")).first()


def feedback_verify(*, feedback: Feedback) -> bool:
    """The address is confirmed: the feedback goes into the editors' moderation queue. Returns whether this call
    verified it (a second click changes nothing)."""
    return bool(Feedback.objects.filter(pk=feedback.pk, verified_at__isnull=True).update(verified_at=timezone.now()))


def feedback_moderate(*, feedback: Feedback, publish: bool, reason: str = "", by: Person | None) -> Feedback:
    reason = reason.strip()
    if feedback.verified_at is None:
        raise ValidationError(_("This feedback has not been confirmed by its author yet."))
    if not publish and not reason:
        raise ValidationError({"reason": _("Please give a reason for rejecting; the author will read it.")})
    feedback.status = Moderation.PUBLISHED if publish else Moderation.REJECTED
    feedback.rejection_reason = "" if publish else reason[:500]
    feedback.moderated_by, feedback.moderated_at = by, timezone.now()
    feedback.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    return feedback


def feedback_purge_unverified(*, now=None) -> int:
    """Unverified feedback is deleted after a week (nobody confirmed the address)."""
    cutoff = (now or timezone.now()) - UNVERIFIED_KEPT
    return Feedback.objects.filter(verified_at__isnull=True, created_at__lt=cutoff).delete()[0]
