"""@mentions marked in the rendered post (issue 15 §2): "@Name" of a person who may be mentioned (a reader of the
thread, networks.channel.mentions) becomes <span class="mention">; rendered once on save by the one renderer
(networks.markdown.mark_mentions through MarkdownHTMLField), never for someone who may not read the thread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.channel import services
from networks.markdown import mark_mentions, render
from tests.announcements.html import page as parse
from tests.networks.factories import NetworkRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas):
    NetworkRoleFactory(network=personas.network, person__name="Anna Maria Roth")
    return services.thread_create(
        network=personas.network, author=personas.people["member"], title="Wärmeplanung", body="Wer hat?"
    )


def _marks(post) -> list[str]:
    return [node.text for node in parse(f"<div>{post.body_html}</div>".encode()).select("span.mention")]


def test_a_mention_of_a_reader_is_marked_when_the_post_is_saved(thread, personas):
    post = services.post_reply(
        thread=thread,
        author=personas.people["member"],
        body="Danke @koordinatorin, und @Anna Maria Roth: **bitte** schauen.\n\n> @Anna Maria Roth im Zitat\n\n`@Anna`",
    )
    assert _marks(post) == ["@koordinatorin", "@Anna Maria Roth"]  # not in the quotation nor in code
    assert "<strong>bitte</strong>" in post.body_html


def test_someone_who_may_not_read_the_thread_is_not_marked(thread, personas):
    post = services.post_reply(
        thread=thread, author=personas.people["member"], body="Frage an @Fremdes Mitglied und @Bürgerin."
    )
    assert _marks(post) == []
    assert "@Fremdes Mitglied" in post.body_html


def test_an_edit_marks_the_new_mention_and_the_thread_page_shows_it(client, thread, personas):
    post = services.post_reply(thread=thread, author=personas.people["member"], body="Ohne Erwähnung.")
    assert _marks(post) == []
    services.post_edit(post=post, editor=personas.people["member"], body="Jetzt mit @Koordinatorin.")
    assert _marks(post) == ["@Koordinatorin"]
    personas.login(client, "member")
    page = client.get(reverse("channel:thread-detail", args=[personas.network.slug, thread.pk]))
    assert b'<span class="mention">@Koordinatorin</span>' in page.content


def test_a_text_without_an_at_does_not_read_the_readers(thread, personas):
    post = thread.posts.get(number=1)
    post.body = "Ganz ohne Erwähnung, aber mit E-Mail info@kusel.de"
    with CaptureQueriesContext(connection) as queries:
        post.save(update_fields=["body", "body_html"])
    assert not [q["sql"] for q in queries if "networks_person" in q["sql"]]
    post.body = "Mit @Koordinatorin"
    with CaptureQueriesContext(connection) as queries:
        post.save(update_fields=["body", "body_html"])
    assert [q["sql"] for q in queries if "networks_person" in q["sql"]]  # the readers, once


def test_mark_mentions_escapes_and_leaves_links_and_addresses_alone():
    html = render("Mail an a@Katrin.de, [@Katrin](https://example.org) und @Katrin <b>!", profile="discussion")
    marked = mark_mentions(html, ["Katrin", "<script>"])
    assert marked.count('class="mention"') == 1
    assert (
        '<span class="mention">@Katrin</span> &lt;b&gt;' in marked or '<span class="mention">@Katrin</span> ' in marked
    )
    assert "<script>" not in marked


def test_the_command_marks_the_mentions_of_earlier_posts(thread, personas):
    from io import StringIO

    from django.core.management import call_command

    from networks.channel.models import Post

    post = services.post_reply(thread=thread, author=personas.people["member"], body="Hallo @Koordinatorin")
    Post.objects.filter(pk=post.pk).update(body_html="<p>Hallo @Koordinatorin</p>")  # as stored before
    out = StringIO()
    call_command("channel_mark_mentions", stdout=out)
    post.refresh_from_db()
    assert _marks(post) == ["@Koordinatorin"]
    assert "1 rendered again" in out.getvalue()
    call_command("channel_mark_mentions", stdout=out)  # again: nothing changes
    assert "0 rendered again" in out.getvalue().splitlines()[-1]
