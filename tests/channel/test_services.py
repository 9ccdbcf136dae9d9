"""The discussions' writes: rules, numbering, history, moderation, FAQ, working groups."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from networks.channel import services
from networks.channel.models import FaqEntry, Post, PostReport, PostRevision, Thread, ThreadFollow
from networks.models import NetworkRole
from tests.channel.factories import CategoryFactory, ThreadFactory
from tests.networks.factories import NetworkRoleFactory, TopicFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas):
    return services.thread_create(
        network=personas.network, author=personas.people["member"], title="  Wärmeplanung:  Büros? ", body="Wer hat?"
    )


def test_thread_create_makes_the_first_post_and_the_author_follows(thread, personas):
    assert thread.title == "Wärmeplanung: Büros?"
    assert thread.post_count == 1 and thread.last_post_by == personas.people["member"]
    post = thread.posts.get()
    assert (post.number, post.body, post.body_html.strip()) == (1, "Wer hat?", "<p>Wer hat?</p>")
    follow = ThreadFollow.objects.get(thread=thread, person=personas.people["member"])
    assert (follow.state, follow.last_read_number) == (ThreadFollow.State.FOLLOWING, 1)


@pytest.mark.parametrize("persona", ["citizen", "other_network", "editor"])
def test_thread_create_refused_outside_the_network(personas, persona):
    with pytest.raises(PermissionDenied):
        services.thread_create(network=personas.network, author=personas.people[persona], title="T", body="B")
    assert not Thread.objects.exists()


def test_thread_create_refuses_bad_text_and_foreign_places(personas, other_network):
    member = personas.people["member"]
    for title, body, error in [
        ("", "B", "title"),
        ("T", "  ", "body"),
        ("T" * 201, "B", "title"),
        ("T", "x" * 20_001, "body"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.thread_create(network=personas.network, author=member, title=title, body=body)
        assert error in caught.value.error_dict
    foreign_group = WorkingGroupFactory(network=other_network)
    with pytest.raises(ValidationError):
        services.thread_create(
            network=personas.network, author=member, title="T", body="B", working_group=foreign_group
        )
    with pytest.raises(ValidationError):
        services.thread_create(
            network=personas.network,
            author=member,
            title="T",
            body="B",
            category=CategoryFactory(network=other_network),
        )
    assert not Thread.objects.exists()


def test_markdown_bounds_refuse_too_deep_nesting(personas):
    with pytest.raises(ValidationError) as caught:
        services.thread_create(
            network=personas.network, author=personas.people["member"], title="T", body=">" * 60 + " tief"
        )
    assert "body" in caught.value.error_dict


def test_markdown_is_sanitised_on_save(thread, personas):
    post = services.post_reply(
        thread=thread,
        author=personas.people["coordinator"],
        body="**fett** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    assert "<strong>fett</strong>" in post.body_html
    assert "<script" not in post.body_html and "javascript:" not in post.body_html


def test_replies_are_numbered_and_counted(thread, personas):
    first = services.post_reply(thread=thread, author=personas.people["coordinator"], body="Eins")
    second = services.post_reply(thread=thread, author=personas.people["member"], body="Zwei", via="email")
    thread.refresh_from_db()
    assert (first.number, second.number, thread.post_count) == (2, 3, 3)
    assert thread.last_post_by == personas.people["member"] and second.via == Post.Via.EMAIL
    assert ThreadFollow.objects.get(thread=thread, person=personas.people["coordinator"]).last_read_number == 2


def test_closed_thread_only_coordinators_reply(thread, personas):
    services.thread_close(thread=thread, by=personas.user("coordinator"), closed=True)
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=personas.people["member"], body="Noch was")
    assert services.post_reply(thread=thread, author=personas.people["coordinator"], body="Abschluss").number == 2


@pytest.mark.parametrize("persona", ["citizen", "other_network", "editor"])
def test_reply_refused_to_who_may_not_read(thread, personas, persona):
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=personas.people[persona], body="Hallo")


def test_reply_refused_after_losing_access(thread, personas):
    NetworkRole.objects.filter(person=personas.people["member"]).delete()
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=personas.people["member"], body="Noch da?")


def test_reply_refused_for_a_deactivated_account(thread, personas):
    user = personas.people["member"].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.post_reply(thread=thread, author=personas.people["member"], body="Hallo")


def test_post_edit_keeps_the_history(thread, personas):
    post = thread.posts.get()
    services.post_edit(post=post, editor=personas.people["member"], body="Wer hat Erfahrung?")
    services.post_edit(post=post, editor=personas.people["member"], body="Wer hat Erfahrung? (ergänzt)")
    post.refresh_from_db()
    assert post.body_html.strip() == "<p>Wer hat Erfahrung? (ergänzt)</p>" and post.edited_at is not None
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == [
        "Wer hat Erfahrung?",
        "Wer hat?",
    ]
    services.post_edit(post=post, editor=personas.people["member"], body="Wer hat Erfahrung? (ergänzt)")
    assert PostRevision.objects.filter(post=post).count() == 2  # unchanged text: no revision


@pytest.mark.parametrize("persona", ["coordinator", "other_network"])
def test_post_edit_only_by_its_author(thread, personas, persona):
    with pytest.raises(PermissionDenied):
        services.post_edit(post=thread.posts.get(), editor=personas.people[persona], body="Fremd")


def test_post_hide_needs_a_coordinator_and_a_reason(thread, personas):
    post = services.post_reply(thread=thread, author=personas.people["coordinator"], body="Werbung")
    with pytest.raises(PermissionDenied):
        services.post_hide(post=post, by=personas.user("member"), reason="Spam")
    with pytest.raises(ValidationError):
        services.post_hide(post=post, by=personas.user("coordinator"), reason="  ")
    report = services.post_report(post=post, reporter=personas.people["member"], reason="Werbung")
    services.mark_answer(thread=thread, post=post, by=personas.user("member"))
    services.post_hide(post=post, by=personas.user("coordinator"), reason="Werbung")
    post.refresh_from_db()
    thread.refresh_from_db()
    report.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Werbung" and post.hidden_by == personas.people["coordinator"]
    assert report.resolution == PostReport.Resolution.HIDDEN and report.resolved_at is not None
    assert thread.answer is None
    services.post_unhide(post=post, by=personas.user("coordinator"))
    post.refresh_from_db()
    assert not post.is_hidden and post.hidden_reason == ""


def test_post_report_once_while_open_and_never_own(thread, personas):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_report(post=post, reporter=personas.people["member"], reason="eigener")
    with pytest.raises(PermissionDenied):
        services.post_report(post=post, reporter=personas.people["other_network"], reason="fremd")
    first = services.post_report(post=post, reporter=personas.people["coordinator"], reason="Ton")
    again = services.post_report(post=post, reporter=personas.people["coordinator"], reason="Ton!")
    assert first.pk == again.pk and PostReport.objects.count() == 1
    services.report_resolve(report=first, by=personas.user("coordinator"))
    first.refresh_from_db()
    assert first.resolution == PostReport.Resolution.KEPT


def test_pin_close_move_for_coordinators_only(thread, personas, other_network):
    member, coordinator = personas.user("member"), personas.user("coordinator")
    for call in (
        lambda by: services.thread_pin(thread=thread, by=by, pinned=True),
        lambda by: services.thread_close(thread=thread, by=by, closed=True),
        lambda by: services.thread_move(thread=thread, by=by, title="Neu", category=None, working_group=None),
    ):
        with pytest.raises(PermissionDenied):
            call(member)
        call(coordinator)
    category = CategoryFactory(network=personas.network)
    group = WorkingGroupFactory(network=personas.network)
    services.thread_move(thread=thread, by=coordinator, title="Wärmeplanung", category=category, working_group=group)
    thread.refresh_from_db()
    assert (thread.pinned, thread.closed, thread.title, thread.category, thread.working_group) == (
        True,
        True,
        "Wärmeplanung",
        category,
        group,
    )
    with pytest.raises(ValidationError):
        services.thread_move(
            thread=thread,
            by=coordinator,
            title="X",
            category=None,
            working_group=WorkingGroupFactory(network=other_network),
        )
    assert thread.history.count() >= 4  # created, pinned, closed, moved: who did what is kept


def test_mark_answer_by_the_author_or_a_coordinator_and_into_the_faq(thread, personas):
    reply = services.post_reply(thread=thread, author=personas.people["coordinator"], body="Wir nutzen **X**.")
    other = NetworkRoleFactory(network=personas.network).person
    with pytest.raises(PermissionDenied):
        services.mark_answer(thread=thread, post=reply, by=other.user)
    with pytest.raises(ValidationError):
        services.mark_answer(thread=thread, post=thread.posts.get(number=1), by=personas.user("member"))
    services.mark_answer(thread=thread, post=reply, by=personas.user("member"))
    assert Thread.objects.get(pk=thread.pk).answer == reply
    with pytest.raises(PermissionDenied):
        services.faq_from_answer(thread=thread, by=personas.user("member"))
    topic = TopicFactory()
    entry = services.faq_from_answer(thread=thread, by=personas.user("coordinator"), topic=topic)
    assert (entry.network, entry.question, entry.topic) == (personas.network, thread.title, topic)
    assert "<strong>X</strong>" in entry.answer_html
    again = services.faq_from_answer(thread=thread, by=personas.user("coordinator"), question="Welche Software?")
    assert again.pk == entry.pk and FaqEntry.objects.get().question == "Welche Software?"


def test_faq_needs_an_answer(thread, personas):
    with pytest.raises(ValidationError):
        services.faq_from_answer(thread=thread, by=personas.user("coordinator"))


def test_follow_mute_and_read_markers(personas):
    thread = ThreadFactory(network=personas.network, author=personas.people["coordinator"])
    member = personas.people["member"]
    services.follow_set(thread=thread, person=member, state=ThreadFollow.State.MUTED)
    services.follow_set(thread=thread, person=member, state=ThreadFollow.State.FOLLOWING)
    assert ThreadFollow.objects.get(thread=thread, person=member).state == ThreadFollow.State.FOLLOWING
    with pytest.raises(ValidationError):
        services.follow_set(thread=thread, person=member, state="loud")
    with pytest.raises(PermissionDenied):
        services.follow_set(thread=thread, person=personas.people["other_network"], state="muted")
    services.mark_read(thread=thread, person=member, number=5)  # never beyond the last post
    services.mark_read(thread=thread, person=member, number=0)  # never lowered
    assert ThreadFollow.objects.get(thread=thread, person=member).last_read_number == 1


def test_working_group_join_and_leave(personas):
    group = WorkingGroupFactory(network=personas.network)
    services.working_group_join(group=group, person=personas.people["member"])
    services.working_group_join(group=group, person=personas.people["member"])
    assert list(group.members.all()) == [personas.people["member"]]
    with pytest.raises(PermissionDenied):
        services.working_group_join(group=group, person=personas.people["other_network"])
    services.working_group_leave(group=group, person=personas.people["member"])
    assert not group.members.exists()
    group.is_active = False
    group.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.working_group_join(group=group, person=personas.people["member"])
