"""Object-level checks (IDOR): object URLs with the ids and slugs of another network's, organisation's or event's
objects answer 404 (or 403 where DESIGN §4 lets the persona know the object exists) and change nothing.

Each case is asked by the most privileged persona of the object's owner in the URL (coordinator of network A,
editor of organisation E) and, where only the URL's parent is wrong, by staff too: a wrong pairing is no object.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import NoWrites

GET, POST = "get", "post"


def a(w, **kwargs):
    return {"slug": w.network.slug, **kwargs}


def rm(w, **kwargs):
    return {"slug": w.roadmap.slug, **kwargs}


def org(w, **kwargs):
    return {"organisation": w.org.slug, **kwargs}


# (url name, method, kwargs builder, personas, expected status)
COORD, EDITOR = ("coordinator", "staff"), ("editor", "staff")
CASES = [
    # networks: objects of network B under network A's URL
    ("networks:working-group-detail", GET, lambda w: a(w, pk=w.group_b.pk), COORD, 404),
    ("networks:working-group-edit", POST, lambda w: a(w, pk=w.group_b.pk), COORD, 404),
    ("networks:campaign-detail", GET, lambda w: a(w, pk=w.campaign_b.pk), COORD, 404),
    ("networks:campaign-edit", POST, lambda w: a(w, pk=w.campaign_b.pk), COORD, 404),
    ("networks:membership-end", POST, lambda w: a(w, pk=w.membership_b.pk), COORD, 404),
    ("networks:role-change", POST, lambda w: a(w, pk=w.role_b.pk), COORD, 404),
    ("networks:role-remove", POST, lambda w: a(w, pk=w.role_b.pk), COORD, 404),
    ("networks:invitation-revoke", POST, lambda w: a(w, pk=w.invitation_b.pk), COORD, 404),
    ("networks:invitation-resend", POST, lambda w: a(w, pk=w.invitation_b.pk), COORD, 404),
    # network B's own pages for A's coordinator: B is public, its management is not A's business
    ("networks:network-edit", POST, lambda w: {"slug": w.other.slug}, ("coordinator",), 403),
    ("networks:working-group-detail", GET, lambda w: {"slug": w.other.slug, "pk": w.group_b.pk}, ("coordinator",), 404),
    # events: an event of network B under network A's URL
    ("events:event-detail", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:event-detail", GET, lambda w: a(w, pk=w.event_b_public.pk), COORD, 404),
    ("events:event-ics", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:event-edit", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:event-copy", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:event-cancel", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:register", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:unregister", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:participant-list", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:participant-csv", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:participant-xlsx", GET, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:attendance", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:minutes-edit", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:outcome-create", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:document-upload", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    ("events:question-create", POST, lambda w: a(w, pk=w.event_b.pk), COORD, 404),
    # events: an outcome, document or question of another event or network
    ("events:outcome-delete", POST, lambda w: a(w, pk=w.event_public.pk, outcome=w.outcome_other_event.pk), COORD, 404),
    ("events:outcome-delete", POST, lambda w: a(w, pk=w.event_public.pk, outcome=w.outcome_b.pk), COORD, 404),
    ("events:document-download", GET, lambda w: a(w, pk=w.event_public.pk, doc=w.document_other_event.pk), COORD, 404),
    ("events:document-download", GET, lambda w: a(w, pk=w.event_public.pk, doc=w.document_b.pk), COORD, 404),
    ("events:document-delete", POST, lambda w: a(w, pk=w.event_public.pk, doc=w.document_other_event.pk), COORD, 404),
    ("events:document-delete", POST, lambda w: a(w, pk=w.event_public.pk, doc=w.document_b.pk), COORD, 404),
    ("events:question-answer", POST, lambda w: a(w, pk=w.question_b.pk), COORD, 404),
    ("events:action-item-status", POST, lambda w: a(w, pk=w.outcome_b.pk), COORD, 404),
    ("events:series-detail", GET, lambda w: a(w, pk=w.series_b.pk), COORD, 404),
    ("events:series-edit", POST, lambda w: a(w, pk=w.series_b.pk), COORD, 404),
    ("events:series-cancel", POST, lambda w: a(w, pk=w.series_b.pk), COORD, 404),
    # the document of network B's members-only event under its own URL, for A's coordinator
    (
        "events:document-download",
        GET,
        lambda w: {"slug": w.other.slug, "pk": w.event_b.pk, "doc": w.document_b.pk},
        ("coordinator", "member", "citizen", "anonymous"),
        404,
    ),
    # measures: objects of roadmap B under roadmap R's URL (editor of R's organisation)
    ("measures:measure", GET, lambda w: rm(w, measure=w.measure_b.slug), EDITOR, 404),
    ("measures:comment-create", POST, lambda w: rm(w, measure=w.measure_b.slug), EDITOR, 404),
    ("measures:proposal", GET, lambda w: rm(w, pk=w.proposal_b.pk), EDITOR, 404),
    ("measures:proposal-support", POST, lambda w: rm(w, pk=w.proposal_b.pk), EDITOR, 404),
    ("measures:measure-edit", POST, lambda w: rm(w, pk=w.measure_b.pk), EDITOR, 404),
    ("measures:milestones-edit", POST, lambda w: rm(w, pk=w.measure_b.pk), EDITOR, 404),
    ("measures:update-create", POST, lambda w: rm(w, pk=w.measure_b.pk), EDITOR, 404),
    ("measures:measure-history", GET, lambda w: rm(w, pk=w.measure_b.pk), EDITOR, 404),
    ("measures:proposal-moderate", POST, lambda w: rm(w, pk=w.proposal_b.pk), EDITOR, 404),
    ("measures:proposal-to-measure", POST, lambda w: rm(w, pk=w.proposal_b.pk), EDITOR, 404),
    ("measures:comment-moderate", POST, lambda w: rm(w, pk=w.comment_b.pk), EDITOR, 404),
    ("measures:import-job", GET, lambda w: rm(w, pk=w.import_job_b.pk), EDITOR, 404),
    ("measures:import-job-status", GET, lambda w: rm(w, pk=w.import_job_b.pk), EDITOR, 404),
    # roadmap B's editor pages for the editor of another organisation: B is published, so 403
    ("measures:editor-dashboard", GET, lambda w: {"slug": w.roadmap_b.slug}, ("editor",), 403),
    ("measures:measure-edit", POST, lambda w: {"slug": w.roadmap_b.slug, "pk": w.measure_b.pk}, ("editor",), 403),
    ("measures:bulk-status", POST, lambda w: {"slug": w.roadmap_b.slug}, ("editor",), 403),
    ("measures:comment-moderate", POST, lambda w: {"slug": w.roadmap_b.slug, "pk": w.comment_b.pk}, ("editor",), 403),
    ("measures:measure-import", POST, lambda w: {"slug": w.roadmap_b.slug}, ("editor",), 403),
    ("measures:import-job", GET, lambda w: {"slug": w.roadmap_b.slug, "pk": w.import_job_b.pk}, ("editor",), 403),
    # pledges: an organisation that is not a member of network A
    ("measures:pledge-edit", POST, lambda w: a(w, organisation=w.org_b.slug), COORD, 404),
    ("measures:pledge-report", POST, lambda w: a(w, organisation=w.org_b.slug), COORD, 404),
    # monitoring: indicators of organisation B under organisation E's URL; organisation B's pages
    ("monitoring:indicator-edit", POST, lambda w: org(w, pk=w.indicator_b.pk), EDITOR, 404),
    ("monitoring:indicator-delete", POST, lambda w: org(w, pk=w.indicator_b.pk), EDITOR, 404),
    ("monitoring:organisation", GET, lambda w: {"organisation": w.org_b.slug}, ("editor", "coordinator"), 403),
    ("monitoring:values-entry", POST, lambda w: {"organisation": w.org_b.slug}, ("editor",), 403),
    ("monitoring:balance", POST, lambda w: {"organisation": w.org_b.slug}, ("editor",), 403),
    (
        "monitoring:indicator-edit",
        POST,
        lambda w: {"organisation": w.org_b.slug, "pk": w.indicator_b.pk},
        ("editor",),
        403,
    ),
    ("monitoring:health-detail", GET, lambda w: a(w, organisation=w.org_b.slug), COORD, 404),
    # reports of organisation B and of network A, for the editor of organisation E
    ("monitoring:report", GET, lambda w: {"pk": w.report_b.pk}, ("editor", "coordinator"), 404),
    ("monitoring:report-status", GET, lambda w: {"pk": w.report_b.pk}, ("editor",), 404),
    ("monitoring:report-download", GET, lambda w: {"pk": w.report_b.pk, "fmt": "pdf"}, ("editor",), 404),
    ("monitoring:report-retry", POST, lambda w: {"pk": w.report_b.pk}, ("editor", "coordinator"), 404),
    ("monitoring:report-publish", POST, lambda w: {"pk": w.report_b.pk}, ("editor",), 404),
    ("monitoring:report-retry", POST, lambda w: {"pk": w.report_network.pk}, ("editor", "member"), 404),
]


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "personas", "expected"),
    CASES,
    ids=[f"{i:02d}-{case[0]}-{case[1]}" for i, case in enumerate(CASES)],
)
def test_foreign_object(w, name, method, kwargs, personas, expected):
    url = reverse(name, kwargs=kwargs(w))
    wrong = {}
    for persona in personas:
        with w.sessions.client(persona) as client, NoWrites():
            status = getattr(client, method)(url, {"status": "done", "text": "x", "title": "x"}).status_code
        if status != expected:
            wrong[persona] = status
    assert not wrong, f"{method.upper()} {url}: expected {expected}, got {wrong}"


def test_report_create_for_a_foreign_organisation(w):
    client = Client()
    w.login(client, "editor")
    url = reverse("monitoring:report-create") + f"?organisation={w.org_b.slug}"
    with NoWrites():
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"title": "x", "period_start": "2025-01-01", "period_end": "2025-12-31"}).status_code
            == 403
        )
