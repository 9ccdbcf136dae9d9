"""History of moderation decisions (proposals, comments) and of the measure's milestones and progress reports: written
by the editors' pages with the moderator or editor, shown read-only in the admin (tests/admin_history.py); the
milestones and progress reports in the measure's own history list, in the admin and on the editors' page."""

from datetime import date

import pytest
from django.urls import reverse

from measures import services
from measures.models import Milestone, Moderation
from tests.admin_history import (
    DENIED,
    assert_denied,
    assert_flat_queries,
    assert_history_shows,
    assert_read_only,
    changes,
    history_url,
    staff_client,
)
from tests.measures.factories import (
    CommentFactory,
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    ProposalFactory,
    RoadmapFactory,
)
from tests.measures.test_editor import _milestone_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(personas):
    return RoadmapFactory(organisation=personas.people["editor"].organisation_roles.get().organisation)


def url(name: str, roadmap, *args) -> str:
    return reverse(f"measures:{name}", args=[roadmap.slug, *args])


def test_a_proposal_keeps_who_published_it(client, personas, roadmap):
    proposal = ProposalFactory(roadmap=roadmap)
    editor = personas.people["editor"]
    personas.login(client, "editor")
    assert client.post(url("proposal-moderate", roadmap, proposal.pk), {"decision": "publish"}).status_code == 302
    latest = proposal.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor.user and latest.moderated_by_id == editor.pk
    operator = staff_client(client, personas)
    assert_history_shows(
        operator, proposal, who=editor.name, label="Status", old="warten auf Moderation", new="veröffentlicht"
    )
    assert changes(operator.get(history_url(proposal)).context["page_obj"].object_list[0].entry)["Moderiert von"] == (
        "",
        editor.name,
    )


def test_a_comment_keeps_who_rejected_it_and_why(client, personas, roadmap):
    comment = CommentFactory(measure=MeasureFactory(roadmap=roadmap, published=True))
    editor = personas.people["editor"]
    personas.login(client, "editor")
    data = {"decision": "reject", "reason": "Beleidigend"}
    assert client.post(url("comment-moderate", roadmap, comment.pk), data).status_code == 302
    latest = comment.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.rejection_reason, latest.history_user) == (
        Moderation.REJECTED,
        "Beleidigend",
        editor.user,
    )
    operator = staff_client(client, personas)
    assert_history_shows(
        operator, comment, who=editor.name, label="Status", old="warten auf Moderation", new="abgelehnt"
    )


def test_milestones_and_progress_reports_are_in_the_measure_history(client, personas, roadmap):
    measure = MeasureFactory(roadmap=roadmap)
    milestone = MilestoneFactory(measure=measure, title="Ratsbeschluss", due_date=date(2030, 1, 1))
    editor = personas.people["editor"]
    personas.login(client, "editor")
    data = _milestone_data(existing=[(milestone, "Ratsbeschluss", "2030-01-01", "2025-05-05", False)])
    assert client.post(url("milestones-edit", roadmap, measure.pk), data).status_code == 302
    report = {"update-date": "2025-06-01", "update-text": "Zehn Dächer belegt", "update-percent": "40"}
    assert client.post(url("update-create", roadmap, measure.pk), report).status_code == 302
    reached = milestone.history.order_by("-history_date", "-history_id").first()
    assert reached.done_date == date(2025, 5, 5) and reached.history_user == editor.user

    portal = client.get(url("measure-history", roadmap, measure.pk)).context["entries"]
    operator = staff_client(client, personas)
    admin = [r.entry for r in operator.get(history_url(measure)).context["page_obj"].object_list]
    for entries in (portal, admin):
        report_entry, milestone_entry = entries[0], entries[1]  # newest first
        assert (report_entry["subject"], report_entry["kind"], report_entry["who"]) == ("Sachstand", "+", editor.name)
        assert report_entry["title"] == "01.06.2025"
        assert (milestone_entry["subject"], milestone_entry["title"]) == ("Meilenstein", "Ratsbeschluss")
        assert changes(milestone_entry) == {"Erreicht am": ("", "05.05.2025")}
        assert not entries[-1].get("subject_shown")  # the measure's own creation
    page = operator.get(history_url(measure)).content.decode()
    assert "Meilenstein: Ratsbeschluss" in page and "Sachstand: 01.06.2025" in page


def test_a_deleted_milestone_stays_in_the_measure_history(client, personas, roadmap):
    measure = MeasureFactory(roadmap=roadmap)
    milestone = MilestoneFactory(measure=measure, title="Ausschreibung")
    personas.login(client, "editor")
    data = _milestone_data(existing=[(milestone, "Ausschreibung", milestone.due_date.isoformat(), "", True)])
    assert client.post(url("milestones-edit", roadmap, measure.pk), data).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    entry = client.get(url("measure-history", roadmap, measure.pk)).context["entries"][0]
    assert (entry["kind"], entry["title"], entry["who"]) == ("-", "Ausschreibung", "Redakteurin")


def test_admin_histories_are_read_only(client, personas, roadmap):
    operator = staff_client(client, personas)
    for obj in (ProposalFactory(roadmap=roadmap), CommentFactory(measure=MeasureFactory(roadmap=roadmap))):
        assert_read_only(operator, obj)


@pytest.mark.parametrize("persona", DENIED)
def test_only_staff_see_the_admin_histories(client, personas, roadmap, persona):
    for obj in (ProposalFactory(roadmap=roadmap), CommentFactory(measure=MeasureFactory(roadmap=roadmap))):
        assert_denied(client, personas, persona, obj)


def test_admin_history_queries_do_not_grow_with_the_changes(client, personas, roadmap):
    operator = staff_client(client, personas)
    editor = personas.people["editor"]

    def proposal(n):
        obj = ProposalFactory(roadmap=roadmap)
        for i in range(n):
            services.proposal_moderate(proposal=obj, publish=i % 2 == 0, reason="Doppelt", by=editor)
        return obj

    def comment(n):
        obj = CommentFactory(measure=MeasureFactory(roadmap=roadmap, published=True))
        for i in range(n):
            services.comment_moderate(comment=obj, publish=i % 2 == 0, reason="Doppelt", by=editor)
        return obj

    def measure(n):  # the sheet, milestones and progress reports
        obj = MeasureFactory(roadmap=roadmap)
        for i in range(n):
            obj.summary = f"Stand {i}"
            services.measure_save(measure=obj, by=editor)
            MilestoneFactory(measure=obj)
            MeasureUpdateFactory(measure=obj, author=editor)
        return obj

    for make in (proposal, comment, measure):
        assert_flat_queries(operator, make)
