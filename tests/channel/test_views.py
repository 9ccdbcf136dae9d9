"""Pages of the discussions: what each persona sees and may do (the URL matrix in tests/security/rooms/channel.py
holds the status codes), kept text on errors, hidden posts, unread markers and flat query counts."""

import json

import pytest
from django.urls import reverse

from networks.channel import services
from networks.channel.access import can_read_thread
from networks.channel.models import Category, FaqEntry, Post, PostReport, Thread, ThreadFollow
from tests.channel.factories import CategoryFactory, ThreadFactory, add_posts
from tests.events.factories import EventFactory
from tests.networks.factories import NetworkRoleFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "citizen", "other_network", "editor", "member", "coordinator", "staff"]


@pytest.fixture
def thread(personas):
    return services.thread_create(
        network=personas.network,
        author=personas.people["coordinator"],
        title="Software für Energiecontrolling",
        body="Wer hat Erfahrung?",
    )


def url(name, *args):
    return reverse(f"channel:{name}", args=args)


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_to_and_can_read_thread_agree(client, personas, persona, other_network):
    mine = ThreadFactory(network=personas.network)
    grouped = ThreadFactory(network=personas.network, working_group=WorkingGroupFactory(network=personas.network))
    foreign = ThreadFactory(network=other_network)
    personas.login(client, persona)  # staff: with the second factor (the request's user has its powers)
    user = client.get(url("thread-list", personas.network.slug)).wsgi_request.user
    visible = set(Thread.objects.visible_to(user).values_list("pk", flat=True))
    assert visible == {t.pk for t in (mine, grouped, foreign) if can_read_thread(user, t)}
    expected = {
        "member": {mine.pk, grouped.pk},
        "coordinator": {mine.pk, grouped.pk},
        "other_network": {foreign.pk},
        "staff": {mine.pk, grouped.pk, foreign.pk},
    }.get(persona, set())
    assert visible == expected


def test_thread_list_pinned_first_with_unread_markers(client, personas, thread):
    older = ThreadFactory(network=personas.network, title="Älteres Thema")
    services.thread_pin(thread=older, by=personas.user("coordinator"), pinned=True)
    services.post_reply(thread=thread, author=personas.people["member"], body="Wir nutzen ein Tool.")
    personas.login(client, "coordinator")
    response = client.get(url("thread-list", personas.network.slug))
    threads = response.context["page"].object_list
    assert [t.title for t in threads] == ["Älteres Thema", thread.title]
    assert threads[1].unread == 1 and threads[1].first_unread_url.endswith("#beitrag-2")
    assert threads[0].unread == 1  # never opened, recent: new


def test_thread_list_filters_by_category_and_group(client, personas, thread):
    category = CategoryFactory(network=personas.network, slug="waermeplanung")
    group = WorkingGroupFactory(network=personas.network)
    in_category = ThreadFactory(network=personas.network, category=category)
    in_group = ThreadFactory(network=personas.network, working_group=group)
    personas.login(client, "member")
    target = url("thread-list", personas.network.slug)
    by_category = client.get(target, {"kategorie": "waermeplanung"}).context["page"].object_list
    by_group = client.get(target, {"gruppe": group.pk}).context["page"].object_list
    assert [t.pk for t in by_category] == [in_category.pk] and [t.pk for t in by_group] == [in_group.pk]
    unknown = client.get(target, {"gruppe": "x", "kategorie": "gibt-es-nicht"})
    assert unknown.status_code == 200 and len(unknown.context["page"].object_list) == 3


def test_thread_list_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    target = url("thread-list", personas.network.slug)
    ThreadFactory.create_batch(3, network=personas.network, category=CategoryFactory(network=personas.network))
    client.get(target)
    # network with the role, categories, working groups, the person, count, the page of threads (with reading)
    with django_assert_num_queries(6):
        client.get(target)
    ThreadFactory.create_batch(30, network=personas.network)
    with django_assert_num_queries(6):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 25


def test_thread_page_queries_are_flat(client, personas, thread, django_assert_num_queries):
    personas.login(client, "member")
    target = thread.get_absolute_url()
    add_posts(thread, 3, author=personas.people["coordinator"])
    client.get(target)
    # network, thread, person, follow, the viewer's role, posts, their attachments (all read: the marker stays)
    with django_assert_num_queries(7):
        client.get(target)
    add_posts(thread, 120, author=personas.people["coordinator"])
    with django_assert_num_queries(8):  # and the read marker raised to the page's last post (one update)
        response = client.get(target + "?page=3")
    assert [p.number for p in response.context["page"].posts][:1] == [101]
    assert response.context["page"].num_pages == 3


def test_thread_page_anchors_the_first_unread(client, personas, thread):
    personas.login(client, "member")
    client.get(thread.get_absolute_url())
    add_posts(thread, 60, author=personas.people["coordinator"])
    response = client.get(thread.get_absolute_url())
    assert response.context["first_unread"] == 2
    assert response.context["first_unread_url"].endswith("#beitrag-2")
    assert ThreadFollow.objects.get(thread=thread, person=personas.people["member"]).last_read_number == 50


def test_hidden_post_gone_for_members_visible_to_coordinators_with_reason(client, personas, thread):
    post = services.post_reply(thread=thread, author=personas.people["member"], body="Kauft bei uns!")
    services.post_hide(post=post, by=personas.user("coordinator"), reason="Werbung")
    personas.login(client, "member")
    response = client.get(thread.get_absolute_url())
    assert [p.number for p in response.context["page"].posts] == [1]
    assert "Kauft bei uns" not in response.content.decode()
    assert client.get(url("post-history", personas.network.slug, post.pk)).status_code == 404
    personas.login(client, "coordinator")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Kauft bei uns" in page and "Werbung" in page


def test_reply_keeps_the_text_on_errors(client, personas, thread):
    personas.login(client, "member")
    long_text = "Mein langer Beitrag " * 1_050
    response = client.post(url("post-create", personas.network.slug, thread.pk), {"body": long_text})
    assert response.status_code == 400
    assert response.context["reply_form"]["body"].value() == long_text
    assert Post.objects.filter(thread=thread).count() == 1


def test_reply_goes_to_its_anchor(client, personas, thread):
    personas.login(client, "member")
    response = client.post(url("post-create", personas.network.slug, thread.pk), {"body": "Wir nutzen X."})
    assert response.status_code == 302 and response.url.endswith("#beitrag-2")


def test_reply_with_a_refused_file_keeps_the_text_and_stores_nothing(client, personas, thread):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from networks.library.models import Document

    personas.login(client, "member")
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post(
        url("post-create", personas.network.slug, thread.pk), {"body": "Anbei", "attachment": upload}
    )
    assert response.status_code == 400 and response.context["reply_form"]["body"].value() == "Anbei"
    assert response.context["reply_form"].errors["attachment"]
    assert not Document.objects.exists() and thread.posts.count() == 1


def test_reply_with_a_file_attaches_a_library_document(client, personas, thread):
    from django.core.files.uploadedfile import SimpleUploadedFile

    personas.login(client, "member")
    upload = SimpleUploadedFile("liste.csv", b"Kommune;Software\nA;X\n", content_type="text/csv")
    client.post(url("post-create", personas.network.slug, thread.pk), {"body": "Anbei", "attachment": upload})
    post = thread.posts.get(number=2)
    document = post.attachments.get()
    assert document.network == personas.network
    page = client.get(thread.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in page


def test_closed_thread_has_no_reply_form_for_members(client, personas, thread):
    services.thread_close(thread=thread, by=personas.user("coordinator"), closed=True)
    personas.login(client, "member")
    assert client.get(thread.get_absolute_url()).context["reply_form"] is None
    assert client.post(url("post-create", personas.network.slug, thread.pk), {"body": "x"}).status_code == 403


def test_quote_fills_the_composer(client, personas, thread):
    personas.login(client, "member")
    response = client.get(thread.get_absolute_url() + "?zitat=1")
    assert response.context["reply_form"]["body"].value().endswith("> Wer hat Erfahrung?\n\n")


def test_new_thread_keeps_the_text_on_errors(client, personas):
    personas.login(client, "member")
    response = client.post(url("thread-create", personas.network.slug), {"title": "", "body": "Mein Text"})
    assert response.status_code == 400 and response.context["form"]["body"].value() == "Mein Text"
    response = client.post(url("thread-create", personas.network.slug), {"title": "Frage", "body": "Mein Text"})
    assert response.status_code == 302 and Thread.objects.get().title == "Frage"


def test_edit_and_history(client, personas, thread):
    post = thread.posts.get()
    personas.login(client, "member")
    assert client.get(url("post-edit", personas.network.slug, post.pk)).status_code == 403
    personas.login(client, "coordinator")
    response = client.post(url("post-edit", personas.network.slug, post.pk), {"body": "Wer hat Erfahrung damit?"})
    assert response.status_code == 302
    personas.login(client, "member")
    history = client.get(url("post-history", personas.network.slug, post.pk))
    assert [r.body for r in history.context["revisions"]] == ["Wer hat Erfahrung?"]


def test_report_hide_and_queue(client, personas, thread):
    post = thread.posts.get()
    personas.login(client, "member")
    client.post(url("post-report", personas.network.slug, post.pk), {"reason": "Falscher Ort"})
    assert PostReport.objects.open().count() == 1
    personas.login(client, "coordinator")
    queue = client.get(url("report-list", personas.network.slug))
    assert [r.reason for r in queue.context["reports"]] == ["Falscher Ort"]
    response = client.post(url("post-hide", personas.network.slug, post.pk), {"reason": ""})
    assert response.status_code == 400
    client.post(url("post-hide", personas.network.slug, post.pk), {"reason": "Doppelt"})
    assert Post.objects.get(pk=post.pk).is_hidden and not PostReport.objects.open().exists()


def test_answer_and_faq_in_one_step(client, personas, thread):
    reply = services.post_reply(thread=thread, author=personas.people["member"], body="Wir nutzen **X**.")
    personas.login(client, "coordinator")
    client.post(url("post-answer", personas.network.slug, reply.pk))
    assert Thread.objects.get(pk=thread.pk).answer == reply
    client.post(url("faq-create", personas.network.slug, thread.pk), {"question": "Welche Software?"})
    entry = FaqEntry.objects.get()
    assert entry.question == "Welche Software?"
    faq = client.get(reverse("events:faq", args=[personas.network.slug]))
    assert entry in faq.context["page"].object_list


def test_faq_lists_office_hour_answers_and_thread_answers_newest_first(client, personas, thread):
    from django.utils import timezone

    from tests.events.factories import QuestionFactory

    office_hour = EventFactory(network=personas.network)
    question = QuestionFactory(event=office_hour, text="Wie fördern?")
    question.answer, question.answered_at = "So.", timezone.now() - timezone.timedelta(days=1)
    question.save()
    reply = services.post_reply(thread=thread, author=personas.people["member"], body="X")
    services.mark_answer(thread=thread, post=reply, by=personas.user("coordinator"))
    entry = services.faq_from_answer(thread=thread, by=personas.user("coordinator"))
    personas.login(client, "member")
    faq = client.get(reverse("events:faq", args=[personas.network.slug]))
    assert faq.context["page"].object_list == [entry, question]
    searched = client.get(reverse("events:faq", args=[personas.network.slug]), {"q": "fördern"})
    assert searched.context["page"].object_list == [question]


def test_categories_managed_by_coordinators(client, personas):
    personas.login(client, "coordinator")
    target = url("category-list", personas.network.slug)
    assert client.post(target, {"name": "Wärmeplanung", "position": 1}).status_code == 302
    assert client.post(target, {"name": "Wärmeplanung", "position": 2}).status_code == 400
    category = Category.objects.get()
    assert category.slug == "waermeplanung"
    client.post(
        url("category-edit", personas.network.slug, category.pk), {"name": "Kommunale Wärmeplanung", "position": 1}
    )
    assert Category.objects.get().name == "Kommunale Wärmeplanung"
    client.post(url("category-delete", personas.network.slug, category.pk))
    assert not Category.objects.exists()


def test_people_endpoint_only_readers_without_addresses(client, personas, django_assert_num_queries):
    NetworkRoleFactory(network=personas.network, person__name="Katrin Lang")
    NetworkRoleFactory(network=personas.other, person__name="Katrin Fremd")
    personas.login(client, "member")
    target = url("people", personas.network.slug)
    client.get(target, {"q": "ka"})
    with django_assert_num_queries(2):  # network with the role, the people
        response = client.get(target, {"q": "Katrin"})
    data = json.loads(response.content)
    assert data == {"people": [{"name": "Katrin Lang", "organisation": data["people"][0]["organisation"]}]}
    assert "@" not in response.content.decode()
    assert json.loads(client.get(target, {"q": "k"}).content) == {"people": []}


def test_working_group_page_shows_the_discussion_and_join_leave(client, personas):
    group = WorkingGroupFactory(network=personas.network)
    ThreadFactory(network=personas.network, working_group=group, title="AG-Thema")
    personas.login(client, "member")
    page = reverse("networks:working-group-detail", args=[personas.network.slug, group.pk])
    panel = next(p for p in client.get(page).context["panels"] if p["template"].startswith("channel/"))
    assert [t.title for t in panel["threads"]] == ["AG-Thema"] and panel["may_join"]
    client.post(url("group-join", personas.network.slug, group.pk))
    assert group.members.filter(pk=personas.people["member"].pk).exists()
    client.post(url("group-leave", personas.network.slug, group.pk))
    assert not group.members.exists()


def test_network_space_and_dashboard_panels(client, personas, thread):
    services.post_reply(thread=thread, author=personas.people["member"], body="Neu")
    personas.login(client, "coordinator")
    space = client.get(reverse("networks:network-space", args=[personas.network.slug])).content.decode()
    assert thread.title in space
    dashboard = client.get(reverse("networks:dashboard"))
    panel = next(p for p in dashboard.context["panels"] if p["template"] == "channel/panels/dashboard.html")
    assert [(t.title, t.unread) for t in panel["threads"]] == [(thread.title, 1)]


def test_dashboard_lists_a_new_thread_never_opened(client, personas, thread):
    fresh = services.thread_create(
        network=personas.network, author=personas.people["coordinator"], title="Ganz neu", body="Wer weiß das?"
    )
    personas.login(client, "member")  # has opened neither
    panel = next(
        p
        for p in client.get(reverse("networks:dashboard")).context["panels"]
        if p["template"] == "channel/panels/dashboard.html"
    )
    assert fresh.title in [t.title for t in panel["threads"]]


def test_follow_and_mute_from_the_page(client, personas, thread):
    personas.login(client, "member")
    client.post(url("thread-follow", personas.network.slug, thread.pk), {"state": "muted"})
    assert ThreadFollow.objects.get(thread=thread, person=personas.people["member"]).state == "muted"
    assert client.post(url("thread-follow", personas.network.slug, thread.pk), {"state": "x"}).status_code == 400
