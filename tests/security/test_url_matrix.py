"""The authorization matrix: every URL pattern of the portal × every persona of DESIGN §4, in one table.

A URL pattern of the four apps (or a top-level one) without a row in TABLE fails the suite: a new URL has to be
classified here. Each row says what GET answers for each persona and, for views that take a POST, what an empty
POST answers (``post``). Every HTML page that answers 200 is also checked on the way: no inline script, no style
attribute (the CSP forbids both) and no raw XSS payload (every free-text field of the world carries one).

Codes: 200 OK, LOGIN (302 to the login page), REDIRECT (302 elsewhere: the action was done or refused with a
message), 400 (form errors), 403, 404, 405.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from networks import mail
from tests.security.conftest import PERSONAS, RAW_MARKERS, ROOMS, World

OK, BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 400, 403, 404, 405
LOGIN, REDIRECT = "login", "redirect"
APPS = ("networks", "events", "measures", "monitoring", "seo", *ROOMS)  # seo: measures.seo_urls
APPS += ("comparison",)  # monitoring.comparison (issue 17 §2)
APPS += ("apitokens",)  # the profile's API tokens (issue 18 §1; the API itself is the room "api")
APPS += ("signin",)  # the address step of an organisation's own sign-in (issue 19 §5, networks.signin)
TOP_LEVEL = {"set_language", "healthz", "readyz", "metrics", "robots-txt", "sitemap", "sitemap-section"}


def ex(default, **overrides) -> dict:
    """Expected answers: ``default`` for every persona, except the ones named."""
    answers = dict.fromkeys(PERSONAS, default)
    answers.update(overrides)
    return answers


EVERYONE = ex(OK)
LOGGED_IN = ex(OK, anonymous=LOGIN)
MEMBERS = ex(FORBIDDEN, anonymous=LOGIN, member=OK, coordinator=OK, staff=OK)
MEMBERS_HIDDEN = ex(NOT_FOUND, anonymous=LOGIN, member=OK, coordinator=OK, staff=OK)
COORDINATORS = ex(FORBIDDEN, anonymous=LOGIN, coordinator=OK, staff=OK)
COORDINATORS_HIDDEN = {**COORDINATORS, "citizen": NOT_FOUND, "other_network": NOT_FOUND, "editor": NOT_FOUND}
EDITORS = ex(FORBIDDEN, anonymous=LOGIN, editor=OK, staff=OK)
EDITORS_HIDDEN = ex(NOT_FOUND, anonymous=LOGIN, editor=OK, staff=OK)
ASKER = ex(NOT_FOUND, anonymous=LOGIN, member=OK, coordinator=FORBIDDEN, staff=FORBIDDEN)  # the member's question
POST_ONLY = ex(NOT_ALLOWED, anonymous=LOGIN)  # GET on a login-required POST-only view
EVERYONE_MOVED = ex(301)  # a permanent redirect to a page's new address


def done(expected: dict, answer=REDIRECT) -> dict:
    """The same access, with ``answer`` where the GET said OK (the POST was done and redirects)."""
    return {persona: answer if value == OK else value for persona, value in expected.items()}


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[[World], dict]
    get: dict
    post: dict | None = None  # the answer to an empty POST (with CSRF token) for views that take one
    note: str = ""
    query: Callable[[World], str] | None = None

    def url(self, w: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(w)) + (self.query(w) if self.query else "")


def none(w):
    return {}


def net(w):
    return {"slug": w.network.slug}


def ev(event: str):
    return lambda w: {"slug": w.network.slug, "pk": w.o[event].pk}


def rm(w):
    return {"slug": w.roadmap.slug}


def org(w):
    return {"organisation": w.org.slug}


def rep(report: str, **extra):
    return lambda w: {"pk": w.o[report].pk, **extra}


def _follow_token(w):
    from measures.models import Follow
    from measures.services.follows import unsubscribe_token

    follow, _ = Follow.objects.get_or_create(person=w.people["citizen"], kind="measure", object_id=w.measure.pk)
    return {"token": unsubscribe_token(follow)}


def _feedback(w, **extra):
    from measures.models import Feedback

    feedback, _ = Feedback.objects.get_or_create(
        measure=w.measure,
        email="feedback@example.org",
        defaults={"text": "Rückmeldung", "netiquette_at": w.measure.created_at, **extra},
    )
    return feedback


def _feedback_token(w):
    from measures.services.feedback import feedback_token

    return {"token": feedback_token(_feedback(w))}


def _feedback_verified(w):
    feedback = _feedback(w)
    type(feedback).objects.filter(pk=feedback.pk).update(verified_at=w.measure.created_at)
    return {**rm(w), "pk": feedback.pk}


def _phase(w):
    from datetime import date

    from measures.models import ParticipationPhase

    phase, _ = ParticipationPhase.objects.get_or_create(
        roadmap=w.roadmap, title="Ideen sammeln", defaults={"starts": date(2027, 1, 1), "ends": date(2027, 3, 31)}
    )
    return {**rm(w), "pk": phase.pk}


TABLE: list[Row] = [
    # --- top level -------------------------------------------------------------------------------------------
    Row("healthz", none, EVERYONE),
    Row("readyz", none, EVERYONE, note="readiness for the load balancer: JSON of the checks, nothing personal"),
    Row("metrics", none, ex(NOT_FOUND), note="only with METRICS_TOKEN or from METRICS_ALLOWED_NETWORKS (off here)"),
    Row("set_language", none, ex(REDIRECT), post=ex(REDIRECT), note="Django's view: GET and POST go back"),
    Row("robots-txt", none, EVERYONE),
    Row("sitemap", none, EVERYONE, note="public objects only, the same for everyone"),
    Row("sitemap-section", lambda w: {"section": "measures"}, EVERYONE, note="a file of the index: the same"),
    # --- networks: public and personal -----------------------------------------------------------------------
    Row("networks:home", none, EVERYONE),
    Row("networks:imprint", none, EVERYONE),
    Row("networks:privacy", none, EVERYONE),
    Row("networks:accessibility", none, EVERYONE),
    Row("networks:easy-read", none, EVERYONE),
    Row("networks:network-list", none, EVERYONE),
    Row("networks:network-detail", net, EVERYONE),
    Row(
        "networks:membership-request",
        net,
        ex(OK, anonymous=LOGIN, member=REDIRECT, coordinator=REDIRECT, staff=REDIRECT),
        ex(REDIRECT, anonymous=LOGIN),
        note="non-members ask the coordination (sent, the message is optional); members are told they are members",
    ),
    Row(
        "networks:dashboard",
        none,
        ex(OK, anonymous=LOGIN, citizen=REDIRECT),
        note="a citizen (no role: networks.citizens) is sent to their own area of participation",
    ),
    Row("networks:verification-resend", none, EVERYONE, post=ex(BAD), note="send the confirmation again"),
    Row("networks:expertise-search", none, ex(OK, anonymous=LOGIN, citizen=FORBIDDEN), note="members of networks"),
    Row("networks:profile", none, LOGGED_IN, post=LOGGED_IN),
    Row("networks:profile-export", none, LOGGED_IN),
    Row("networks:account-delete", none, LOGGED_IN, post=done(LOGGED_IN)),  # POST: the password first
    Row("networks:mail-settings", none, LOGGED_IN, post=done(LOGGED_IN), note="an empty POST switches all off"),
    Row("networks:affiliation-change", none, POST_ONLY, ex(BAD, anonymous=LOGIN), note="empty: no organisation"),
    Row("networks:affiliation-withdraw", none, POST_ONLY, done(LOGGED_IN)),
    Row("networks:affiliation-requests", none, LOGGED_IN, note="each sees the requests they may decide"),
    Row(
        "networks:affiliation-decide",
        lambda w: {"pk": w.affiliation_request.pk},
        POST_ONLY,
        ex(NOT_FOUND, anonymous=LOGIN, citizen=FORBIDDEN, coordinator=BAD, editor=BAD, staff=BAD),
        note="the citizen asks to belong to the editor's organisation (a member of the coordinator's network): "
        "the citizen may not decide their own (403); an empty POST decides nothing (400)",
    ),
    Row(
        "networks:mail-unsubscribe",
        lambda w: {"token": mail.unsubscribe_token(w.people["member"], "event_confirmation")},
        EVERYONE,
        note="the signed token is the key, no login; its POST is csrf-exempt (RFC 8058 one-click): tests/mail",
    ),
    Row(
        "networks:mail-unsubscribe",
        lambda w: {"token": mail.unsubscribe_token(w.people["member"], "event_confirmation")[:-2] + "xx"},
        ex(BAD),
        note="a tampered token: 400 (its POST, csrf-exempt, is tried in tests/mail)",
    ),
    Row(
        "networks:invitation-accept",
        lambda w: {"token": w.invitation.token},
        ex(FORBIDDEN, anonymous=OK),
        post=ex(FORBIDDEN, anonymous=OK),
        note="the invitation is for another email address: 403 for every signed-in persona",
    ),
    # --- networks: internal space and coordination -----------------------------------------------------------
    Row("networks:network-space", net, MEMBERS),
    Row("networks:member-list", net, MEMBERS),
    Row("networks:working-group-list", net, MEMBERS),
    Row("networks:campaign-list", net, MEMBERS),
    Row("networks:working-group-detail", lambda w: {**net(w), "pk": w.group.pk}, MEMBERS_HIDDEN),
    Row("networks:campaign-detail", lambda w: {**net(w), "pk": w.campaign.pk}, MEMBERS_HIDDEN),
    Row("networks:network-edit", net, COORDINATORS, post=COORDINATORS),
    Row("networks:membership-list", net, COORDINATORS, post=COORDINATORS),
    Row("networks:people-manage", net, COORDINATORS),
    Row("networks:invitation-create", net, COORDINATORS, post=COORDINATORS),
    Row("networks:working-group-create", net, COORDINATORS, post=COORDINATORS),
    Row("networks:campaign-create", net, COORDINATORS, post=COORDINATORS),
    Row(
        "networks:working-group-edit",
        lambda w: {**net(w), "pk": w.group.pk},
        COORDINATORS_HIDDEN,
        post=COORDINATORS_HIDDEN,
    ),
    Row("networks:campaign-edit", lambda w: {**net(w), "pk": w.campaign.pk}, COORDINATORS_HIDDEN, COORDINATORS_HIDDEN),
    Row("networks:membership-end", lambda w: {**net(w), "pk": w.membership.pk}, POST_ONLY, done(COORDINATORS)),
    Row("networks:role-change", lambda w: {**net(w), "pk": w.spare_role.pk}, POST_ONLY, done(COORDINATORS)),
    Row("networks:role-remove", lambda w: {**net(w), "pk": w.spare_role.pk}, POST_ONLY, done(COORDINATORS)),
    Row("networks:invitation-revoke", lambda w: {**net(w), "pk": w.invitation.pk}, POST_ONLY, done(COORDINATORS)),
    Row("networks:invitation-resend", lambda w: {**net(w), "pk": w.invitation.pk}, POST_ONLY, done(COORDINATORS)),
    Row("networks:member-export-csv", net, COORDINATORS),
    Row("networks:member-export-xlsx", net, COORDINATORS),
    Row("networks:membership-export-csv", net, COORDINATORS),
    Row("networks:member-import", net, COORDINATORS, post=done(COORDINATORS, BAD), note="an empty POST: no file"),
    Row("networks:member-import-template-csv", net, COORDINATORS),
    Row("networks:member-import-template-xlsx", net, COORDINATORS),
    # --- events: lists, calendars, feeds, personal settings --------------------------------------------------
    Row("events:event-list", none, EVERYONE),
    Row("events:my-calendar", none, LOGGED_IN),
    Row("events:calendar-token-renew", none, POST_ONLY, done(LOGGED_IN)),
    Row(
        "events:notification-settings",
        none,
        EVERYONE_MOVED,
        post=EVERYONE_MOVED,
        note="the old address of the email settings: 301 to networks:mail-settings",
    ),
    Row("events:personal-feed", lambda w: {"token": w.token}, EVERYONE, note="the token is the secret"),
    Row("events:network-calendar", net, EVERYONE),
    Row("events:network-feed", net, EVERYONE),
    Row("events:faq", net, MEMBERS),
    Row("events:action-items", net, MEMBERS),
    Row("events:question-answer", lambda w: {**net(w), "pk": w.question.pk}, COORDINATORS_HIDDEN, COORDINATORS_HIDDEN),
    Row(
        "events:question-remove",
        lambda w: {**net(w), "pk": w.question_open.pk},
        COORDINATORS_HIDDEN,
        done(COORDINATORS_HIDDEN, BAD),
        note="an empty POST has no reason",
    ),
    Row(
        "events:question-edit",
        lambda w: {**net(w), "pk": w.question_open.pk},
        ASKER,
        done(ASKER, BAD),
        note="only the member who asked, while it is unanswered; an empty POST has no text",
    ),
    Row(
        "events:question-delete",
        lambda w: {**net(w), "pk": w.question_open.pk},
        ASKER,
        done(ASKER),
        note="only the member who asked, while it is unanswered",
    ),
    Row(
        "events:action-item-status",
        lambda w: {**net(w), "pk": w.outcome.pk},
        POST_ONLY,
        post=ex(NOT_FOUND, anonymous=LOGIN, member=BAD, coordinator=BAD, staff=BAD),
        note="the member owns the action item; an empty POST is a bad status",
    ),
    Row("events:action-item-create", net, COORDINATORS, post=done(COORDINATORS, BAD), note="an empty POST has no text"),
    Row("events:outcome-detail", lambda w: {**net(w), "pk": w.outcome.pk}, MEMBERS_HIDDEN),
    Row(
        "events:outcome-edit",
        lambda w: {**net(w), "pk": w.outcome.pk},
        COORDINATORS_HIDDEN,
        done(COORDINATORS_HIDDEN, BAD),
        note="an empty POST has no text",
    ),
    Row(
        "events:outcome-comment",
        lambda w: {**net(w), "pk": w.outcome.pk},
        POST_ONLY,
        post=ex(NOT_FOUND, anonymous=LOGIN, member=BAD, coordinator=BAD, staff=BAD),
        note="the member owns the action item; an empty comment is a form error",
    ),
    # --- events: creating and managing ------------------------------------------------------------------------
    Row("events:event-create", net, COORDINATORS, post=done(COORDINATORS, BAD)),
    Row("events:series-create", net, COORDINATORS, post=done(COORDINATORS, BAD)),
    Row("events:series-detail", lambda w: {**net(w), "pk": w.series.pk}, COORDINATORS_HIDDEN),
    Row(
        "events:series-edit",
        lambda w: {**net(w), "pk": w.series.pk},
        COORDINATORS_HIDDEN,
        done(COORDINATORS_HIDDEN, BAD),
    ),
    Row(
        "events:series-cancel",
        lambda w: {**net(w), "pk": w.series.pk},
        COORDINATORS_HIDDEN,
        done(COORDINATORS_HIDDEN, BAD),
    ),
    # --- events: one event -------------------------------------------------------------------------------------
    Row("events:event-detail", ev("event_public"), EVERYONE),
    Row(
        "events:event-detail",
        ev("event_internal"),
        {**MEMBERS_HIDDEN, "anonymous": NOT_FOUND},
        note="members-only event: nobody else may know it exists",
    ),
    Row("events:event-ics", ev("event_public"), EVERYONE),
    Row("events:event-ics", ev("event_internal"), {**MEMBERS_HIDDEN, "anonymous": NOT_FOUND}),
    Row("events:event-edit", ev("event_public"), COORDINATORS, post=done(COORDINATORS, BAD)),
    Row("events:event-edit", ev("event_internal"), COORDINATORS_HIDDEN, post=done(COORDINATORS_HIDDEN, BAD)),
    Row("events:event-copy", ev("event_public"), COORDINATORS),
    Row("events:event-cancel", ev("event_public"), COORDINATORS, post=COORDINATORS),
    Row("events:register", ev("event_public"), POST_ONLY, post=done(LOGGED_IN)),
    Row(
        "events:register",
        ev("event_internal"),
        POST_ONLY,
        post=ex(NOT_FOUND, anonymous=LOGIN, member=REDIRECT, coordinator=REDIRECT, staff=REDIRECT),
    ),
    Row("events:unregister", ev("event_public"), POST_ONLY, post=done(LOGGED_IN)),
    Row("events:participant-list", ev("event_public"), COORDINATORS),
    Row("events:participant-csv", ev("event_public"), COORDINATORS),
    Row("events:participant-xlsx", ev("event_public"), COORDINATORS),
    Row("events:participant-csv", ev("event_internal"), COORDINATORS_HIDDEN),
    Row("events:attendance", ev("event_public"), POST_ONLY, done(COORDINATORS)),
    Row("events:minutes-edit", ev("event_public"), COORDINATORS, post=done(COORDINATORS)),
    Row("events:outcome-create", ev("event_public"), POST_ONLY, done(COORDINATORS, BAD)),
    Row(
        "events:outcome-delete",
        lambda w: {**ev("event_public")(w), "outcome": w.outcome.pk},
        POST_ONLY,
        done(COORDINATORS),
    ),
    Row("events:document-upload", ev("event_public"), COORDINATORS, post=done(COORDINATORS, BAD)),
    Row(
        "events:document-download",
        lambda w: {**ev("event_public")(w), "doc": w.document.pk},
        EVERYONE,
        note="documents of a public event are shown on its public page",
    ),
    Row(
        "events:document-download",
        lambda w: {**ev("event_internal")(w), "doc": w.document_other_event.pk},
        {**MEMBERS_HIDDEN, "anonymous": NOT_FOUND},
    ),
    Row(
        "events:document-delete",
        lambda w: {**ev("event_public")(w), "doc": w.document.pk},
        POST_ONLY,
        done(COORDINATORS),
    ),
    Row("events:question-create", ev("office_hour"), POST_ONLY, done(MEMBERS_HIDDEN)),
    # --- events: public events without an account, walk-ins, the Atom feed (issue 16) ---------------------------
    Row(
        "events:guest-register",
        ev("event_public"),
        ex(REDIRECT),
        ex(REDIRECT),
        note="the world's public event is over: back to its page, which says so",
    ),
    Row("events:guest-register", ev("event_internal"), ex(NOT_FOUND), ex(NOT_FOUND), note="no guests for members"),
    Row("events:guest-register", ev("event_b_public"), ex(NOT_FOUND), ex(NOT_FOUND), note="another network's slug"),
    Row("events:guest-confirm", lambda w: {"token": w.guest.guest_token}, EVERYONE, EVERYONE, note="token = secret"),
    Row("events:guest-cancel", lambda w: {"token": w.guest.guest_token}, EVERYONE, EVERYONE, note="token = secret"),
    Row("events:guest-data", lambda w: {"token": w.guest.guest_token}, EVERYONE, EVERYONE, note="token = secret"),
    Row(
        "events:guest-data-download",
        lambda w: {"token": w.guest.guest_token},
        EVERYONE,
        ex(NOT_ALLOWED),
        note="token = secret; a download, GET only",
    ),
    Row("events:walk-in-add", ev("event_public"), POST_ONLY, done(COORDINATORS)),
    Row(
        "events:walk-in-remove",
        lambda w: {**ev("event_public")(w), "registration": w.walk_in.pk},
        POST_ONLY,
        done(COORDINATORS),
    ),
    Row("events:network-events-atom", net, EVERYONE, note="public events of a public network; the same for all"),
    # --- measures: public ----------------------------------------------------------------------------------------
    Row("measures:roadmap-list", none, EVERYONE),
    Row("measures:participate", none, EVERYONE, note="Mitmachen across roadmaps"),
    Row("measures:roadmap-participate", rm, EVERYONE),
    Row(
        "measures:roadmap-participate",
        lambda w: {"slug": w.roadmap_hidden.slug},
        {**EDITORS_HIDDEN, "anonymous": NOT_FOUND},
    ),
    Row("measures:my-participation", none, LOGGED_IN, note="each sees their own proposals, comments, follows"),
    Row("measures:roadmap-create", none, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:roadmap", rm, EVERYONE),
    Row("measures:roadmap", lambda w: {"slug": w.roadmap_hidden.slug}, {**EDITORS_HIDDEN, "anonymous": NOT_FOUND}),
    Row("measures:measure-list", rm, EVERYONE),
    Row("measures:open-data-csv", rm, EVERYONE),
    Row("measures:open-data-json", rm, EVERYONE),
    Row("measures:open-data-xlsx", rm, EVERYONE),
    Row("measures:datapackage", rm, EVERYONE),
    Row(
        "measures:open-data-csv",
        rm,
        EVERYONE,
        note="the list's filters, an unknown value ignored with a note",
        query=lambda w: "?status=completed&status=fertig&suche=solar",
    ),
    Row("measures:measure", lambda w: {**rm(w), "measure": w.measure.slug}, EVERYONE),
    Row(
        "measures:measure",
        lambda w: {**rm(w), "measure": w.measure_hidden.slug},
        {**EDITORS_HIDDEN, "anonymous": NOT_FOUND},
    ),
    Row(
        "measures:comment-create",
        lambda w: {**rm(w), "measure": w.measure.slug},
        POST_ONLY,
        done(LOGGED_IN),
        note="an empty comment goes back to the measure with a message",
    ),
    Row(
        "measures:measure-contact",
        lambda w: {**rm(w), "measure": w.measure.slug},
        LOGGED_IN,
        post=done(LOGGED_IN, BAD),
        note="signed in with a verified address; an empty message is a 400 with the form",
    ),
    Row(
        "measures:measure-contact",
        lambda w: {**rm(w), "measure": w.measure_hidden.slug},
        ex(NOT_FOUND, anonymous=LOGIN),
        post=ex(NOT_FOUND, anonymous=LOGIN),
        note="an unpublished measure has no contact form, not even for its editors",
    ),
    Row("measures:proposal-list", rm, EVERYONE),
    Row("measures:proposal-create", rm, LOGGED_IN, post=done(LOGGED_IN, BAD)),
    Row("measures:proposal", lambda w: {**rm(w), "pk": w.proposal.pk}, EVERYONE),
    Row(
        "measures:proposal",
        lambda w: {**rm(w), "pk": w.proposal_pending.pk},
        ex(NOT_FOUND, citizen=OK, editor=OK, staff=OK),
        note="a pending proposal: its author and the roadmap's editors",
    ),
    Row("measures:proposal-support", lambda w: {**rm(w), "pk": w.proposal.pk}, POST_ONLY, done(LOGGED_IN)),
    # --- measures: the editors of the roadmap's organisation ------------------------------------------------------
    Row("measures:editor-dashboard", rm, EDITORS),
    Row("measures:editor-dashboard", lambda w: {"slug": w.roadmap_hidden.slug}, EDITORS_HIDDEN),
    Row("measures:roadmap-edit", rm, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:measure-create", rm, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:measure-edit", lambda w: {**rm(w), "pk": w.measure.pk}, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:milestones-edit", lambda w: {**rm(w), "pk": w.measure.pk}, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:measure-links", lambda w: {**rm(w), "pk": w.measure.pk}, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:update-create", lambda w: {**rm(w), "pk": w.measure.pk}, POST_ONLY, done(EDITORS, BAD)),
    Row("measures:measure-history", lambda w: {**rm(w), "pk": w.measure.pk}, EDITORS),
    Row("measures:bulk-status", rm, POST_ONLY, done(EDITORS)),
    Row("measures:measure-import", rm, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:import-job", lambda w: {**rm(w), "pk": w.import_job.pk}, EDITORS),
    Row("measures:import-job-status", lambda w: {**rm(w), "pk": w.import_job.pk}, EDITORS),
    Row("measures:import-job", lambda w: {"slug": w.roadmap_hidden.slug, "pk": w.import_job_hidden.pk}, EDITORS_HIDDEN),
    Row(
        "measures:import-job-status",
        lambda w: {"slug": w.roadmap_hidden.slug, "pk": w.import_job_hidden.pk},
        EDITORS_HIDDEN,
    ),
    Row("measures:measure-export-csv", rm, EDITORS),
    Row("measures:measure-export-xlsx", rm, EDITORS),
    Row("measures:moderation", rm, EDITORS),
    Row("measures:proposal-moderate", lambda w: {**rm(w), "pk": w.proposal_pending.pk}, POST_ONLY, done(EDITORS)),
    Row("measures:proposal-to-measure", lambda w: {**rm(w), "pk": w.proposal.pk}, POST_ONLY, done(EDITORS)),
    Row("measures:comment-moderate", lambda w: {**rm(w), "pk": w.comment_pending.pk}, POST_ONLY, done(EDITORS)),
    # --- measures: participation both ways (issue 16 §2) ----------------------------------------------------------
    Row("measures:follow-roadmap", rm, POST_ONLY, done(LOGGED_IN)),
    Row("measures:follow-measure", lambda w: {**rm(w), "key": w.measure.slug}, POST_ONLY, done(LOGGED_IN)),
    Row(
        "measures:follow-measure",
        lambda w: {**rm(w), "key": w.measure_hidden.slug},
        POST_ONLY,
        ex(NOT_FOUND, anonymous=LOGIN, editor=REDIRECT, staff=REDIRECT),
        note="an unpublished measure: only its editors can follow it",
    ),
    Row("measures:follow-proposal", lambda w: {**rm(w), "key": w.proposal.pk}, POST_ONLY, done(LOGGED_IN)),
    Row(
        "measures:follow-proposal",
        lambda w: {**rm(w), "key": w.proposal_pending.pk},
        POST_ONLY,
        ex(NOT_FOUND, anonymous=LOGIN, citizen=REDIRECT, editor=REDIRECT, staff=REDIRECT),
        note="a pending proposal: its author and the editors",
    ),
    Row("measures:follows", none, LOGGED_IN, post=done(LOGGED_IN)),
    Row("measures:follow-unsubscribe", _follow_token, EVERYONE, post=EVERYONE, note="one click from the email"),
    Row(
        "measures:feedback-create",
        lambda w: {**rm(w), "measure": w.measure.slug},
        EVERYONE,
        post=done(EVERYONE, BAD),
        note="feedback without an account",
    ),
    Row(
        "measures:feedback-create",
        lambda w: {**rm(w), "measure": w.measure_hidden.slug},
        {**EDITORS_HIDDEN, "anonymous": NOT_FOUND},
    ),
    Row("measures:feedback-verify", _feedback_token, EVERYONE, post=EVERYONE),
    Row("measures:proposal-comment-create", lambda w: {**rm(w), "pk": w.proposal.pk}, POST_ONLY, done(LOGGED_IN)),
    Row(
        "measures:proposal-comment-create",
        lambda w: {**rm(w), "pk": w.proposal_pending.pk},
        POST_ONLY,
        ex(NOT_FOUND, anonymous=LOGIN, citizen=REDIRECT, editor=REDIRECT, staff=REDIRECT),
        note="a pending proposal takes no comments: back with a message",
    ),
    Row("measures:proposal-unsupport", lambda w: {**rm(w), "pk": w.proposal.pk}, POST_ONLY, done(LOGGED_IN)),
    Row("measures:comment-report", lambda w: {**rm(w), "pk": w.comment.pk}, LOGGED_IN, post=done(LOGGED_IN, BAD)),
    Row(
        "measures:comment-report",
        lambda w: {**rm(w), "pk": w.comment_pending.pk},
        ex(NOT_FOUND, anonymous=LOGIN),
        note="only published comments can be reported",
    ),
    Row("measures:proposal-answer", lambda w: {**rm(w), "pk": w.proposal.pk}, POST_ONLY, done(EDITORS, BAD)),
    Row("measures:feedback-moderate", _feedback_verified, POST_ONLY, done(EDITORS)),
    Row("measures:phases", rm, EDITORS, post=done(EDITORS, BAD)),
    Row("measures:phase-delete", _phase, POST_ONLY, done(EDITORS)),
    # --- measures: pledges of a network's member organisations -----------------------------------------------------
    Row("measures:pledge-list", net, EVERYONE),
    Row(
        "measures:pledge-edit",
        lambda w: {**net(w), "organisation": w.org.slug},
        ex(FORBIDDEN, anonymous=LOGIN, coordinator=OK, editor=OK, staff=OK),
        post=ex(FORBIDDEN, anonymous=LOGIN, coordinator=BAD, editor=BAD, staff=BAD),
    ),
    Row(
        "measures:pledge-report",
        lambda w: {**net(w), "organisation": w.org.slug},
        ex(FORBIDDEN, anonymous=LOGIN, coordinator=OK, editor=OK, staff=OK),
        post=ex(FORBIDDEN, anonymous=LOGIN, coordinator=BAD, editor=BAD, staff=BAD),
    ),
    # --- monitoring: the editors of an organisation ----------------------------------------------------------------
    Row("monitoring:organisation", org, EDITORS),
    Row("monitoring:indicator-create", org, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:indicator-edit", lambda w: {**org(w), "pk": w.indicator.pk}, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:indicator-delete", lambda w: {**org(w), "pk": w.indicator.pk}, EDITORS, post=done(EDITORS)),
    Row("monitoring:values-entry", org, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:values-import", org, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:balance", org, EDITORS, post=done(EDITORS)),
    Row("monitoring:balance-import", org, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:path-edit", org, EDITORS, post=done(EDITORS, BAD)),
    # monitoring.comparison: the page is public (what it shows depends on the opt-ins: tests/comparison); the
    # editors choose what to publish and keep the key data (an empty key-data form is valid: all three are optional)
    Row("comparison:comparison", org, EVERYONE, post=ex(NOT_ALLOWED), query=lambda w: "?gruppe=all"),
    Row("comparison:consent", org, EDITORS, post=done(EDITORS, BAD)),
    Row("comparison:key-data", org, EDITORS, post=done(EDITORS)),
    Row("monitoring:heat-planning-edit", org, EDITORS, post=done(EDITORS, BAD)),
    Row("monitoring:strategy-edit", org, EDITORS, post=done(EDITORS, BAD)),
    # --- monitoring: a network's board and health view --------------------------------------------------------------
    Row("monitoring:board", net, ex(FORBIDDEN, member=OK, coordinator=OK, staff=OK)),
    Row(
        "monitoring:board-export",
        lambda w: {**net(w), "fmt": "csv"},
        ex(FORBIDDEN, member=OK, coordinator=OK, staff=OK),
    ),
    Row(
        "monitoring:board-export",
        lambda w: {**net(w), "fmt": "xlsx"},
        ex(FORBIDDEN, member=OK, coordinator=OK, staff=OK),
    ),
    Row("monitoring:health", net, COORDINATORS),
    # --- monitoring: open data of a roadmap (opendata, issue 16) ------------------------------------------------------
    *(
        Row(name, lambda w, fmt=fmt: {**rm(w), "fmt": fmt}, EVERYONE)
        for name in ("monitoring:indicator-data", "monitoring:balance-data")
        for fmt in ("csv", "xlsx", "json")
    ),
    Row("monitoring:indicator-data", lambda w: {**rm(w), "fmt": "pdf"}, ex(NOT_FOUND), note="unknown format"),
    Row("monitoring:health-detail", lambda w: {**net(w), "organisation": w.org.slug}, COORDINATORS),
    # --- monitoring: reports ----------------------------------------------------------------------------------------
    Row(
        "monitoring:report-create", none, EDITORS, post=done(EDITORS, BAD), query=lambda w: f"?roadmap={w.roadmap.slug}"
    ),
    Row("monitoring:report", rep("report"), EVERYONE, note="published report of a published roadmap"),
    Row("monitoring:report", rep("report_private"), {**EDITORS_HIDDEN, "anonymous": NOT_FOUND}),
    Row("monitoring:report", rep("report_network"), ex(NOT_FOUND, coordinator=OK, staff=OK)),
    Row("monitoring:report-status", rep("report"), EVERYONE),
    Row("monitoring:report-status", rep("report_private"), {**EDITORS_HIDDEN, "anonymous": NOT_FOUND}),
    Row("monitoring:report-download", rep("report", fmt="html"), EVERYONE),
    Row("monitoring:report-download", rep("report", fmt="csv"), EVERYONE),
    Row("monitoring:report-download", rep("report_private", fmt="html"), {**EDITORS_HIDDEN, "anonymous": NOT_FOUND}),
    Row("monitoring:report-retry", rep("report_private"), POST_ONLY, done(EDITORS_HIDDEN)),
    Row("monitoring:report-publish", rep("report"), POST_ONLY, done(EDITORS)),
    Row("monitoring:report-schedule", rm, EDITORS, post=done(EDITORS)),
    # --- seo: preview images and the roadmap's feed (public objects only: 404 for everyone otherwise) ----------
    Row("seo:roadmap-image", rm, EVERYONE),
    Row("seo:roadmap-image", lambda w: {"slug": w.roadmap_hidden.slug}, ex(NOT_FOUND)),
    Row("seo:measure-image", lambda w: {**rm(w), "measure": w.measure.slug}, EVERYONE),
    Row("seo:measure-image", lambda w: {**rm(w), "measure": w.measure_hidden.slug}, ex(NOT_FOUND)),
    Row("seo:roadmap-feed", rm, EVERYONE),
    Row("seo:roadmap-feed", lambda w: {"slug": w.roadmap_hidden.slug}, ex(NOT_FOUND)),
    # --- signin: the address step before an organisation's own sign-in (an empty address: the form's error) -----
    Row("signin:start", none, EVERYONE, post=ex(BAD)),
]
for _room in ROOMS:  # the rooms of networks keep their rows beside their world objects
    TABLE += importlib.import_module(f"tests.security.rooms.{_room}").rows()


# --- Completeness ---------------------------------------------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL pattern of the four apps, plus the named top-level ones (admin and allauth aside)."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if namespace in APPS:
                    names.add(f"{namespace}:{pattern.name}")
                elif namespace is None and pattern.name in TOP_LEVEL | {"favicon"}:
                    names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_pattern_has_a_row():
    missing = url_names() - {row.name for row in TABLE}
    assert not missing, f"URL patterns without a row in the authorization matrix: {sorted(missing)}"
    unknown = {row.name for row in TABLE} - url_names()
    assert not unknown, f"rows for URL names that no longer exist: {sorted(unknown)}"


def test_unnamed_top_level_patterns_are_known():
    """Unnamed patterns cannot be reversed: only the favicon redirect may be one."""
    unnamed = [str(p.pattern) for p in get_resolver().url_patterns if isinstance(p, URLPattern) and not p.name]
    assert unnamed == ["favicon.ico"]


# --- The matrix -----------------------------------------------------------------------------------------------------


JSON_DATA_TYPES = ("application/json", "application/ld+json")  # data blocks: nothing runs (schema.org JSON-LD)


class PageCheck(HTMLParser):
    """Inline scripts (other than JSON data) and style attributes: the production CSP blocks both."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.problems.append(f"style attribute on <{tag}>")
        if any(name.startswith("on") for name in attributes):
            self.problems.append(f"event handler attribute on <{tag}>")
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in JSON_DATA_TYPES:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")


def page_problems(response) -> list[str]:
    if not response["Content-Type"].startswith("text/html"):
        return []  # JSON, calendars, CSV, files: test_xss checks that they parse and keep the text as data
    body = response.content.decode("utf-8", errors="replace")
    problems = [f"raw payload {marker!r}" for marker in RAW_MARKERS if marker in body]
    parser = PageCheck()
    parser.feed(body)
    return problems + parser.problems


def answer(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("account_login")) else REDIRECT
    return response.status_code


def run(w: World, row: Row, method: str) -> tuple[dict, dict]:
    """The answer of each persona, each in a savepoint that is rolled back (a POST changes nothing for the next),
    each signed in with the persona's session made with the world (tests.helpers.PersonaSessions)."""
    url = row.url(w)
    answers, problems = {}, {}
    for persona in PERSONAS:
        client = Client()
        w.sessions.use(client, persona)
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        w.sessions.forget(persona)
        answers[persona] = answer(response)
        if response.streaming:
            b"".join(response.streaming_content)  # closes the file (close() would end the test's connection)
        elif response.status_code == 200:
            found = page_problems(response)
            if found:
                problems[persona] = found
    return answers, problems


def row_id(row: Row) -> str:
    return row.name + (f"[{row.kwargs.__name__}]" if row.kwargs.__name__ != "<lambda>" else "")


@pytest.mark.parametrize("row", TABLE, ids=[f"{i:03d}-{row.name}" for i, row in enumerate(TABLE)])
def test_matrix(w, row):
    url = row.url(w)
    failures = []
    for method in ("get", "post"):
        expected = getattr(row, method)
        if expected is None:
            continue
        answers, problems = run(w, row, method)
        wrong = {p: f"{answers[p]} (expected {expected[p]})" for p in PERSONAS if answers[p] != expected[p]}
        if wrong:
            failures.append(f"{method.upper()} {url}: {wrong}")
        if problems:
            failures.append(f"{method.upper()} {url} page problems: {problems}")
    assert not failures, "\n".join(failures)


# --- allauth and the admin: a few explicit checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "account_login",
            ex(
                OK,
                citizen=REDIRECT,
                other_network=REDIRECT,
                member=REDIRECT,
                coordinator=REDIRECT,
                editor=REDIRECT,
                staff=REDIRECT,
            ),
        ),
        ("account_signup", ex(REDIRECT, anonymous=OK)),
        ("account_email", LOGGED_IN),
        ("account_change_password", LOGGED_IN),
        ("mfa_index", LOGGED_IN),
        # passkeys (issue 19 §5; behaviour: tests/passkeys): the list; adding asks for the password first (allauth's
        # reauthentication); confirming with a passkey without one goes to the account's other way; the passkey
        # login's GET is for the page's script (JSON), a page visit goes to the login (or on, when signed in)
        ("mfa_list_webauthn", LOGGED_IN),
        ("mfa_add_webauthn", ex(REDIRECT, anonymous=LOGIN)),
        ("mfa_reauthenticate_webauthn", ex(REDIRECT, anonymous=LOGIN)),
        ("mfa_login_webauthn", ex(REDIRECT, anonymous=LOGIN)),
        # an organisation's own sign-in (issue 19 §5; behaviour: tests/signin): the linked logins; allauth's pages after
        # a cancelled or failed (401) sign-in; its sign-up form without a pending sign-in goes to the login; the
        # protocols' addresses of a provider that does not exist answer 404 (tests/signin: providers are never listed)
        ("socialaccount_connections", LOGGED_IN),
        ("socialaccount_login_cancelled", EVERYONE),
        ("socialaccount_login_error", ex(401)),
        ("socialaccount_signup", ex(LOGIN)),
    ],
)
def test_allauth_and_admin(w, name, expected):
    """Signed-in people are sent on from the login and signup pages; the admin is for staff only (who must first
    use their second factor: StaffMFAMiddleware redirects them, tests/security/test_staff_mfa.py)."""
    answers = {}
    for persona in PERSONAS:
        with w.sessions.client(persona) as client:
            answers[persona] = answer(client.get(reverse(name)))
    assert answers == expected


@pytest.mark.parametrize("name", ["admin:index", "admin:networks_user_changelist", "admin:networks_person_changelist"])
def test_admin_is_for_staff_with_two_factor_authentication(w, name):
    for persona in PERSONAS:
        with w.sessions.client(persona) as client:
            response = client.get(reverse(name))
        if persona == "staff":  # signed in with the second factor; without it: test_staff_mfa.py
            assert response.status_code == 200
            continue
        assert response.status_code == 302, persona
        assert response["Location"].startswith(reverse("admin:login")), persona


@pytest.fixture(scope="module", autouse=True)
def _module_cache():
    """The cache is cleared when the module starts and ends, not around each test (tests/conftest.py's _clear_cache):
    the rows share their world and every request is rolled back, so the accounts and access checks the personas'
    requests remember stay warm from row to row, as they do in production (the first request of each persona in
    each row read them afresh: an eighth of the module's time). Version bumps of rolled-back writes stay, which
    only makes entries miss."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def _clear_cache():
    """Replaces the autouse fixture of tests/conftest.py for this module (see _module_cache)."""
