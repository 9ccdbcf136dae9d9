"""Citizen participation (proposals, support, comments, the editors' moderation queue) and the pledges
of a network's member organisations."""

from __future__ import annotations

from decimal import Decimal

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from measures import access, services
from measures.forms.participation import (
    CommentForm,
    FeedbackForm,
    FollowForm,
    ModerationForm,
    PhaseForm,
    PledgeForm,
    PledgeReportForm,
    ProposalAnswerForm,
    ProposalFilter,
    ProposalForm,
    ProposalToMeasureForm,
    ReportForm,
)
from measures.models import (
    Comment,
    Feedback,
    Follow,
    FollowKind,
    Measure,
    Moderation,
    ParticipationPhase,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalSupport,
    Roadmap,
)
from measures.public import PublicMeasure
from measures.services import feedback as feedback_services
from measures.services import follows as follow_services
from measures.services import participation as participation_services
from networks import access as network_access
from networks.filtering import ignore_unknown
from networks.markdown import plain_start
from networks.models import Network, Organisation, OrganisationRole, Person
from networks.pages import network_context, page_of, person_of

PAGE_SIZE = 25
QUEUE_SIZE = 50  # pending items shown at once, oldest first
RECENT = 10  # recently moderated items shown below the queue
# A refused comment's text, kept in the session for the measure page's form (read there once): nothing typed is lost.
COMMENT_DRAFT = "measures:comment-draft"
COMMENT_DRAFT_MAX = 20_000  # characters kept; the form accepts 4,000
# The refused comment's errors by field and the comment it answered (read once by the comment section).
COMMENT_ERRORS = "measures:comment-errors"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: on the field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _participant(request: HttpRequest) -> tuple[Person | None, str]:
    """The person who may take part (verified email, a profile), or why not."""
    if not access.has_verified_email(request.user):
        return None, _("Please confirm your email address first: open the link in the email we sent you.")
    person = person_of(request)
    if person is None:
        return None, _("Your account has no profile yet. Please complete your profile first.")
    return person, ""


# --- Proposals ----------------------------------------------------------------------------------


def _proposal_page(request: HttpRequest, roadmap: Roadmap, form, *, problem: str = "", status: int = 200):
    phases = participation_services.phases_of(roadmap)
    context = {
        "roadmap": roadmap,
        "form": form,
        "problem": problem,
        "phases": phases,
        "collecting": participation_services.collecting_phase(phases),
        "takes_proposals": participation_services.takes_proposals(roadmap, phases),
    }
    return render(request, "measures/proposal_form.html", context, status=status)


def _own_unpublished(user, roadmap: Roadmap) -> list[Proposal]:
    """The signed-in author's pending and rejected proposals: only they (and the editors) see them."""
    if not user.is_authenticated:
        return []
    mine = Proposal.objects.filter(roadmap=roadmap, author__user=user).exclude(status=Moderation.PUBLISHED)
    return list(mine.order_by("-created_at", "-pk"))


@require_safe
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    user = request.user
    proposals = (
        Proposal.objects.published()
        .filter(roadmap=roadmap)
        .select_related("merged_into_proposal", "merged_into_measure")
        .annotate(support_count=Count("supports"))
        .order_by("-created_at", "-pk")
    )
    if user.is_authenticated:
        mine = ProposalSupport.objects.filter(proposal=OuterRef("pk"), person__user=user)
        proposals = proposals.annotate(supported=Exists(mine))
    search = ProposalFilter(request.GET, queryset=proposals)
    notes = ignore_unknown(search)  # an unknown value is ignored with a note, as in every list
    can_moderate = access.can_edit(user, roadmap)
    verified = access.has_verified_email(user)
    pending = Proposal.objects.filter(roadmap=roadmap, status=Moderation.PENDING)
    page = page_of(request, search.qs, PAGE_SIZE)
    page.object_list = list(page.object_list)
    for proposal in page.object_list:
        proposal.excerpt = plain_start(proposal.text_html)  # plain text, escaped once by the template
    phases = participation_services.phases_of(roadmap)
    takes = participation_services.takes_proposals(roadmap, phases)
    person = person_of(request) if verified else None
    context = {
        "roadmap": roadmap,
        "filter": search,
        "filter_notes": notes,
        "page": page,
        "own": _own_unpublished(user, roadmap),
        "can_moderate": can_moderate,
        "pending_count": pending.count() if can_moderate else 0,
        "verified": verified,
        "phases": phases,
        "collecting": participation_services.collecting_phase(phases),
        "takes_proposals": takes,
        "form": ProposalForm(netiquette=not services.netiquette_accepted(person)) if verified and takes else None,
    }
    return render(request, "measures/proposal_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    person, problem = _participant(request)
    if problem:
        return _proposal_page(request, roadmap, None, problem=problem, status=403)
    form = ProposalForm(request.POST or None, netiquette=not services.netiquette_accepted(person))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(roadmap=roadmap, author=person, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your proposal waits for approval by the editorial team. "
                    "Until then only you can see it; we will tell you by email when it has been reviewed."
                ),
            )
            return redirect(proposal.get_absolute_url() + "#main")  # the form's #proposal-form would stay
    return _proposal_page(request, roadmap, form, status=400 if request.method == "POST" else 200)


@require_safe
def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    can_moderate = access.can_edit(request.user, roadmap)
    person = person_of(request)
    if can_moderate:
        measures = list(proposal.measures.order_by("code"))
    else:
        measures = [PublicMeasure(m) for m in proposal.measures.public().select_related("roadmap").order_by("code")]
    merged_measure = proposal.merged_into_measure
    if merged_measure is not None and not can_moderate and not (merged_measure.published and roadmap.published):
        merged_measure = None
    merged_proposal = proposal.merged_into_proposal
    if merged_proposal is not None and not (merged_proposal.is_published or can_moderate):
        merged_proposal = None
    context = {
        "roadmap": roadmap,
        "proposal": proposal,
        "support_count": proposal.supports.count(),
        "supported": person is not None and proposal.supports.filter(person=person).exists(),
        "is_author": person is not None and proposal.author_id == person.pk,
        "verified": access.has_verified_email(request.user),
        "measures": measures,
        "merged_measure": merged_measure,
        "merged_proposal": merged_proposal,
        "can_moderate": can_moderate,
        "to_measure_form": ProposalToMeasureForm() if can_moderate and proposal.is_published else None,
        "answer_form": ProposalAnswerForm(proposal=proposal) if can_moderate and proposal.is_published else None,
    }
    return render(request, "measures/proposal_detail.html", context)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The editors' state and official answer; followers (the author among them) are told by email."""
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal_moderate(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    form = ProposalAnswerForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_answer(proposal=proposal, by=person_of(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The state and the answer have been saved; followers are told by email."))
            return redirect(proposal.get_absolute_url() + "#answer")
    proposal.refresh_from_db()
    context = {"roadmap": roadmap, "proposal": proposal, "form": form}
    return render(request, "measures/proposal_answer.html", context, status=400)


@login_required
@require_POST
def proposal_unsupport(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    person = person_of(request)
    if person is not None and services.support_withdraw(proposal=proposal, person=person):
        messages.success(request, _("You no longer support this proposal."))
    else:
        messages.info(request, _("You did not support this proposal."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    person, problem = _participant(request)
    if problem:
        messages.error(request, problem)
        return redirect(proposal)
    try:
        added = services.proposal_support(proposal=proposal, person=person)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(proposal)
    if added:
        messages.success(request, _("Thank you for supporting this proposal."))
    else:
        messages.info(request, _("You already support this proposal; each person can support it once."))
    return redirect(proposal)


# --- Comments on measures -----------------------------------------------------------------------


def _comment(request: HttpRequest, roadmap: Roadmap, *, measure=None, proposal=None) -> HttpResponse:
    """Shared by comments on measures and on proposals. A refused comment keeps its text and its errors by field
    in the session (read once by the comment section), and the browser lands on the form it came from."""
    subject = measure if measure is not None else proposal
    person, problem = _participant(request)
    form = CommentForm(request.POST, netiquette=person is not None and not services.netiquette_accepted(person))
    parent_pk = request.POST.get("parent", "")
    anchor = f"#reply-{parent_pk}" if parent_pk.isdigit() else "#comment-form"
    errors: dict[str, list[str]] = {}
    if not problem and not form.is_valid():
        errors = {field: [str(m) for m in messages_] for field, messages_ in form.errors.items()}
        problem = " ".join([_("Your comment could not be saved."), *_form_errors(form)])
    if not problem:
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], measure=measure, proposal=proposal).first()
            if parent is None:
                raise Http404
        try:
            comment = services.comment_submit(
                measure=measure,
                proposal=proposal,
                author=person,
                text=form.cleaned_data["text"],
                parent=parent,
                netiquette=form.cleaned_data.get("netiquette", False),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {field: [str(m) for m in e.messages] for field, e in error.error_dict.items()}
            else:
                errors = {"__all__": list(error.messages)}
            problem = _errors(error)
    if problem:
        messages.error(request, problem)
        request.session[COMMENT_DRAFT] = {
            "measure": measure.pk if measure is not None else None,
            "proposal": proposal.pk if proposal is not None else None,
            "text": request.POST.get("text", "")[:COMMENT_DRAFT_MAX],
        }
        request.session[COMMENT_ERRORS] = {
            "measure": measure.pk if measure is not None else None,
            "proposal": proposal.pk if proposal is not None else None,
            "parent": parent_pk if parent_pk.isdigit() else "",
            "text": request.POST.get("text", "")[:COMMENT_DRAFT_MAX],
            "errors": errors,
        }
        return redirect(subject.get_absolute_url() + anchor)
    if comment.official:
        messages.success(request, _("Your comment has been published as an official answer of the editorial team."))
    else:
        messages.success(
            request,
            _("Thank you! Your comment waits for approval by the editorial team and then appears on this page."),
        )
    return redirect(subject.get_absolute_url() + f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_create(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    measure = access.access_measure(request.user, roadmap, measure)
    measure.roadmap = roadmap
    return _comment(request, roadmap, measure=measure)


@login_required
@require_POST
def proposal_comment_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    return _comment(request, roadmap, proposal=proposal)


@login_required
@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Report a published comment to the editors (a short reason); the comment stays until they decide."""
    roadmap = access.access_roadmap(request.user, slug)
    comment = get_object_or_404(
        Comment.objects.select_related("measure", "proposal").filter(
            Q(measure__roadmap=roadmap, measure__published=True) | Q(proposal__roadmap=roadmap)
        ),
        pk=pk,
        status=Moderation.PUBLISHED,
    )
    if comment.proposal_id and not comment.proposal.is_published:
        raise Http404
    comment.subject.roadmap = roadmap
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. The editorial team will look at this comment."))
            return redirect(comment.get_absolute_url())
    context = {"roadmap": roadmap, "comment": comment, "form": form}
    return render(request, "measures/comment_report.html", context, status=400 if request.method == "POST" else 200)


# --- Moderation (editors of the roadmap's organisation, staff) ----------------------------------


@login_required
@require_safe
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_moderation(request.user, access.access_roadmap(request.user, slug))
    proposals = Proposal.objects.filter(roadmap=roadmap).select_related("author")
    comments = Comment.objects.filter(Q(measure__roadmap=roadmap) | Q(proposal__roadmap=roadmap)).select_related(
        "author", "measure__roadmap", "proposal__roadmap"
    )
    feedback = Feedback.objects.filter(measure__roadmap=roadmap, verified_at__isnull=False).select_related(
        "measure__roadmap"
    )
    counts = {
        "proposals": proposals.filter(status=Moderation.PENDING).count(),
        "comments": comments.filter(status=Moderation.PENDING).count(),
        "reported": comments.filter(reported_at__isnull=False).count(),
        "feedback": feedback.filter(status=Moderation.PENDING).count(),
    }
    pending = {"status": Moderation.PENDING}
    context = {
        "roadmap": roadmap,
        "editor_nav": "moderation",
        "counts": counts,
        "queue_size": QUEUE_SIZE,
        "pending_proposals": list(proposals.filter(**pending).order_by("created_at", "pk")[:QUEUE_SIZE]),
        "pending_comments": list(comments.filter(**pending).order_by("created_at", "pk")[:QUEUE_SIZE]),
        "recent_proposals": list(
            proposals.exclude(**pending)
            .select_related("moderated_by")
            .annotate(measure_count=Count("measures"))
            .order_by("-moderated_at", "-pk")[:RECENT]
        ),
        "recent_comments": list(
            comments.exclude(**pending).select_related("moderated_by").order_by("-moderated_at", "-pk")[:RECENT]
        ),
        "reported_comments": list(
            comments.filter(reported_at__isnull=False).order_by("reported_at", "pk")[:QUEUE_SIZE]
        ),
        "pending_feedback": list(feedback.filter(**pending).order_by("created_at", "pk")[:QUEUE_SIZE]),
    }
    return render(request, "measures/moderation.html", context)


def _moderate(request: HttpRequest, roadmap: Roadmap, moderate, *, published: str, rejected: str) -> HttpResponse:
    """Shared by proposals and comments: the form, the service, a message, back to the queue."""
    form = ModerationForm(request.POST)
    back = redirect("measures:moderation", roadmap.slug)
    if not form.is_valid():
        messages.error(request, " ".join([_("Nothing has been changed."), *_form_errors(form)]))
        return back
    try:
        moderate(publish=form.publish, reason=form.cleaned_data["reason"], by=person_of(request))
    except ValidationError as error:
        messages.error(request, " ".join([_("Nothing has been changed."), _errors(error)]))
        return back
    messages.success(request, published if form.publish else rejected)
    return back


@login_required
@require_POST
def proposal_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal_moderate(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    title = {"title": proposal.title}
    return _moderate(
        request,
        roadmap,
        lambda **kwargs: services.proposal_moderate(proposal=proposal, **kwargs),
        published=_("The proposal “%(title)s” has been published; its author has been told by email.") % title,
        rejected=_("The proposal “%(title)s” has been rejected; its author has been told the reason by email.") % title,
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    comment = access.access_comment_moderate(request.user, roadmap, pk)
    comment.measure.roadmap = roadmap
    return _moderate(
        request,
        roadmap,
        lambda **kwargs: services.comment_moderate(comment=comment, **kwargs),
        published=_("The comment has been published; its author has been told by email."),
        rejected=_("The comment has been rejected; its author has been told the reason by email."),
    )


@login_required
@require_POST
def feedback_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_moderation(request.user, access.access_roadmap(request.user, slug))
    item = get_object_or_404(Feedback, measure__roadmap=roadmap, verified_at__isnull=False, pk=pk)
    return _moderate(
        request,
        roadmap,
        lambda **kwargs: feedback_services.feedback_moderate(feedback=item, **kwargs),
        published=_("The feedback has been published on the measure's page (without the email address)."),
        rejected=_("The feedback has been rejected and stays hidden."),
    )


@login_required
@require_POST
def proposal_to_measure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    proposal = access.access_proposal_moderate(request.user, roadmap, pk)
    proposal.roadmap = roadmap
    form = ProposalToMeasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join([_("No measure has been created."), *_form_errors(form)]))
        return redirect(proposal)
    try:
        measure = services.proposal_to_measure(proposal=proposal, code=form.cleaned_data["code"], by=person_of(request))
    except ValidationError as error:
        messages.error(request, " ".join([_("No measure has been created."), _errors(error)]))
        return redirect(proposal)
    messages.success(
        request,
        _("The measure “%(measure)s” has been created from the proposal. It is not published yet: please complete it.")
        % {"measure": measure},
    )
    return redirect("measures:measure-edit", roadmap.slug, measure.pk)


# --- Follows ------------------------------------------------------------------------------------


def _follow_target(request: HttpRequest, slug: str, kind: str, key: str):
    roadmap = access.access_roadmap(request.user, slug)
    if kind == FollowKind.ROADMAP:
        return roadmap
    if kind == FollowKind.MEASURE:
        measure = access.access_measure(request.user, roadmap, key)
        measure.roadmap = roadmap
        return measure
    proposal = access.access_proposal(request.user, roadmap, int(key))
    proposal.roadmap = roadmap
    return proposal


@login_required
@require_POST
def follow(request: HttpRequest, slug: str, kind: str, key: str = "") -> HttpResponse:
    """Follow (with a frequency) or, with ``stop``, unfollow a roadmap, measure or proposal."""
    target = _follow_target(request, slug, kind, key)
    back = target.get_absolute_url() + "#follow"
    person, problem = _participant(request)
    if problem:
        messages.error(request, problem)
        return redirect(back)
    if "stop" in request.POST:
        services.unfollow(person=person, obj=target)
        messages.success(request, _("You no longer follow this."))
        return redirect(back)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join([_("Nothing has been changed."), *_form_errors(form)]))
        return redirect(back)
    services.follow(person=person, obj=target, frequency=form.cleaned_data["frequency"] or None)
    messages.success(request, _("You follow this now. We tell you by email when something happens."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an email (RFC 8058: a POST without a session; a GET shows the button)."""
    found = follow_services.unsubscribe_read(token)
    target = follow_services.target_of(found) if found is not None else None
    if request.method == "POST":
        if found is not None:
            found.delete()
        return render(request, "measures/follow_unsubscribed.html", {"target": target, "done": True})
    return render(
        request, "measures/follow_unsubscribed.html", {"target": target, "done": found is None, "token": token}
    )


@login_required
@require_http_methods(["GET", "POST"])
def follows(request: HttpRequest) -> HttpResponse:
    """What I follow, with the frequency per follow (or for all at once) and a button to stop."""
    person, problem = _participant(request)
    if problem:
        return render(request, "measures/follows.html", {"problem": problem}, status=403)
    mine = list(Follow.objects.filter(person=person).order_by("kind", "-created_at", "-pk"))
    if request.method == "POST":
        form = FollowForm(request.POST)
        pk = request.POST.get("follow", "")
        if form.is_valid() and form.cleaned_data["frequency"]:
            chosen = [f for f in mine if str(f.pk) == pk] if pk else mine
            Follow.objects.filter(pk__in=[f.pk for f in chosen]).update(frequency=form.cleaned_data["frequency"])
            messages.success(request, _("Your choice has been saved."))
        else:
            messages.error(request, _("Nothing has been changed."))
        return redirect("measures:follows")
    targets = {
        FollowKind.ROADMAP: Roadmap.objects.filter(pk__in=[f.object_id for f in mine if f.kind == FollowKind.ROADMAP]),
        FollowKind.MEASURE: Measure.objects.select_related("roadmap").filter(
            pk__in=[f.object_id for f in mine if f.kind == FollowKind.MEASURE]
        ),
        FollowKind.PROPOSAL: Proposal.objects.select_related("roadmap").filter(
            pk__in=[f.object_id for f in mine if f.kind == FollowKind.PROPOSAL]
        ),
    }
    found = {(kind, obj.pk): obj for kind, queryset in targets.items() for obj in queryset}
    rows = [(f, found.get((f.kind, f.object_id))) for f in mine]
    context = {"rows": [(f, t) for f, t in rows if t is not None], "form": FollowForm()}
    return render(request, "measures/follows.html", context)


# --- Feedback without an account ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def feedback_create(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    roadmap = access.access_roadmap(request.user, slug)
    measure = access.access_measure(request.user, roadmap, measure)
    measure.roadmap = roadmap
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            if not ratelimit.consume(request, action="measure_feedback", key=email):
                form.add_error(None, _("Too much feedback from here in a short time. Please try again in an hour."))
                status = 429
            else:
                try:
                    feedback_services.feedback_submit(
                        measure=measure,
                        name=form.cleaned_data["name"],
                        email=form.cleaned_data["email"],
                        text=form.cleaned_data["text"],
                        netiquette=form.cleaned_data["netiquette"],
                        language=request.LANGUAGE_CODE,
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you! We have sent you an email with a link. Your feedback reaches the editorial "
                            "team once you have opened it (within 7 days)."
                        ),
                    )
                    return redirect(measure.get_absolute_url() + "#comments")
    context = {"roadmap": roadmap, "measure": measure, "form": form}
    return render(request, "measures/feedback_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feedback_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the email: a GET shows a button (mail scanners follow links), the POST confirms."""
    item = feedback_services.feedback_read(token)
    if item is None:
        return render(request, "measures/feedback_verify.html", {"invalid": True}, status=404)
    done = item.verified_at is not None
    if request.method == "POST":
        feedback_services.feedback_verify(feedback=item)
        done = True
    context = {"feedback": item, "measure": item.measure, "done": done, "token": token}
    return render(request, "measures/feedback_verify.html", context)


# --- Participation phases (editors) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def phases_edit(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access.access_roadmap_edit(request.user, slug)
    form = PhaseForm(request.POST or None, instance=ParticipationPhase(roadmap=roadmap))
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_save(phase=form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The phase has been saved."))
            return redirect("measures:phases", roadmap.slug)
    context = {
        "roadmap": roadmap,
        "editor_nav": "phases",
        "phases": list(roadmap.participation_phases.all()),
        "form": form,
    }
    return render(request, "measures/phases.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def phase_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = access.access_roadmap_edit(request.user, slug)
    get_object_or_404(ParticipationPhase, roadmap=roadmap, pk=pk).delete()
    messages.success(request, _("The phase has been deleted."))
    return redirect("measures:phases", roadmap.slug)


# --- Pledges of member organisations ------------------------------------------------------------


def reduction_percent(baseline: Decimal | None, latest: Decimal | None) -> int | None:
    """How far the latest reported emissions are below the baseline, in percent (negative: above it)."""
    if baseline is None or latest is None or baseline <= 0:
        return None
    return round((baseline - latest) / baseline * 100)


def _pledges(network: Network):
    """Pledges of the network's current member organisations, with their latest report (one query)."""
    latest = PledgeReport.objects.filter(pledge=OuterRef("pk")).order_by("-year")
    return (
        Pledge.objects.filter(network=network, organisation__in=network.memberships.current().values("organisation"))
        .select_related("organisation")
        .annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            latest_emissions=Subquery(latest.values("emissions")[:1]),
            latest_progress=Subquery(latest.values("progress")[:1]),
        )
        .order_by("organisation__name")
    )


def _editable_organisations(user, network: Network) -> set[int] | None:
    """Ids of the member organisations whose pledge the user may edit; None for all (coordinators, staff)."""
    if network_access.is_coordinator(user, network):
        return None
    if not user.is_authenticated:
        return set()
    members = network.memberships.current().values("organisation")
    return set(
        OrganisationRole.objects.filter(person__user=user, organisation__in=members).values_list(
            "organisation_id", flat=True
        )
    )


@require_safe
def pledge_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_access.access_network(request.user, slug)
    pledges = list(_pledges(network))
    editable = _editable_organisations(request.user, network)
    for pledge in pledges:
        pledge.reduction = reduction_percent(pledge.baseline_emissions, pledge.latest_emissions)
        pledge.reduction_bar = min(max(pledge.reduction or 0, 0), 100)
        pledge.increase = -pledge.reduction if pledge.reduction is not None and pledge.reduction < 0 else None
        pledge.can_edit = editable is None or pledge.organisation_id in editable
    missing = []  # member organisations without a pledge that the viewer may record one for
    if editable is None or editable:
        without = (
            Organisation.objects.filter(pk__in=network.memberships.current().values("organisation"))
            .exclude(pk__in=[pledge.organisation_id for pledge in pledges])
            .order_by("name")
        )
        missing = [organisation for organisation in without if editable is None or organisation.pk in editable]
    context = network_context(request, network, pledges=pledges, missing=missing)
    return render(request, "measures/pledge_list.html", context)


def _pledge_access(user, slug: str, organisation_slug: str) -> tuple[Network, Organisation, Pledge | None]:
    """The network (404 if hidden), a member organisation (404 if it never was one with a pledge) and its pledge;
    403 unless the user coordinates the network, is staff, or edits the organisation while it is a member."""
    network = network_access.access_network(user, slug)
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    is_current = network.memberships.current().filter(organisation=organisation).exists()
    pledge = Pledge.objects.filter(network=network, organisation=organisation).first()
    if not is_current and pledge is None:
        raise Http404
    allowed = network_access.is_coordinator(user, network) or (
        is_current and network_access.is_editor(user, organisation)
    )
    if not allowed:
        raise PermissionDenied
    return network, organisation, pledge


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit(request: HttpRequest, slug: str, organisation: str) -> HttpResponse:
    network, organisation, pledge = _pledge_access(request.user, slug, organisation)
    form = PledgeForm(request.POST or None, instance=pledge or Pledge(network=network, organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_save(pledge=form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The pledge of %(name)s has been saved.") % {"name": organisation.name})
            return redirect("measures:pledge-list", network.slug)
    context = network_context(request, network, organisation=organisation, pledge=pledge, form=form)
    return render(request, "measures/pledge_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def pledge_report(request: HttpRequest, slug: str, organisation: str) -> HttpResponse:
    network, organisation, pledge = _pledge_access(request.user, slug, organisation)
    if pledge is None:
        messages.info(request, _("Please record the pledge first; the yearly reports belong to it."))
        return redirect("measures:pledge-edit", network.slug, organisation.slug)
    form = PledgeReportForm(request.POST or None, pledge=pledge, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_report_save(report=form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The report %(year)s of %(name)s has been saved.")
                % {"year": form.instance.year, "name": organisation.name},
            )
            return redirect(reverse("measures:pledge-list", args=[network.slug]))
    context = network_context(
        request, network, organisation=organisation, pledge=pledge, form=form, reports=list(pledge.reports.all())
    )
    return render(request, "measures/pledge_report.html", context, status=400 if request.method == "POST" else 200)
