"""Fuzz entries of networks.channel (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

The fuzz world has no discussions: the coordinator's thread (with the member's reply as its answer) and a
category are made on first use (``_thread``, ``_reply``, ``_category``), inside the test's transaction.

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| channel:thread-list | GET | member | ThreadFilterForm | page |
| channel:thread-create | POST | member | ThreadForm | gruppe, kategorie (query, initial only) |
| channel:thread-detail | GET | member | – | page, zitat |
| channel:post-create | POST | member | ReplyForm | – |
| channel:thread-follow | POST | member | FollowForm | – |
| channel:thread-pin | POST | coordinator | – | pinned |
| channel:thread-close | POST | coordinator | – | closed |
| channel:thread-move | POST | coordinator | ThreadMoveForm | – |
| channel:faq-create | POST | coordinator | FaqForm | – |
| channel:post-edit | POST | member | PostEditForm | – |
| channel:post-report | POST | member | ReportForm | – |
| channel:post-hide | POST | coordinator | ReasonForm | – |
| channel:post-answer | POST | coordinator | – | unmark |
| channel:category-list | POST | coordinator | CategoryForm | – |
| channel:category-edit | POST | coordinator | CategoryForm | – |
| channel:people | GET | member | – | q |
"""

from __future__ import annotations

from django.urls import reverse

from networks.channel.forms import (
    CategoryForm,
    FaqForm,
    FollowForm,
    PostEditForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    ThreadFilterForm,
    ThreadForm,
    ThreadMoveForm,
)
from tests.fuzz.engine import Endpoint


def _thread(w):
    from networks.channel import services
    from networks.channel.models import Thread

    found = Thread.objects.filter(network=w.network, title="Fuzz-Thema").first()
    if found is None:
        found = services.thread_create(
            network=w.network, author=w.people["coordinator"], title="Fuzz-Thema", body="Frage"
        )
        reply = services.post_reply(thread=found, author=w.people["member"], body="Antwort")
        services.mark_answer(thread=found, post=reply, by=w.people["coordinator"].user)
    return found


def _reply(w):
    return _thread(w).posts.get(number=2)


def _opening(w):
    return _thread(w).posts.get(number=1)


def _category(w):
    from networks.channel.models import Category

    found = Category.objects.filter(network=w.network, slug="fuzz").first()
    return found or Category.objects.create(network=w.network, name="Fuzz", slug="fuzz")


def _url(name: str, obj=None):
    def make(w):
        args = [w.network.slug] + ([obj(w).pk] if obj else [])
        return reverse(f"channel:{name}", args=args)

    return make


ENDPOINTS: list = [
    Endpoint(
        "channel:thread-list",
        "member",
        _url("thread-list"),
        lambda w: [ThreadFilterForm()],
        covers=(ThreadFilterForm,),
        method="get",
        extra={"page": "1"},
    ),
    Endpoint(
        "channel:thread-create",
        "member",
        _url("thread-create"),
        lambda w: [ThreadForm(network=w.network)],
        covers=(ThreadForm,),
    ),
    Endpoint(
        "channel:thread-detail",
        "member",
        _url("thread-detail", _thread),
        method="get",
        extra={"page": "1", "zitat": "1"},
    ),
    Endpoint(
        "channel:post-create",
        "member",
        _url("post-create", _thread),
        lambda w: [ReplyForm()],
        covers=(ReplyForm,),
    ),
    Endpoint(
        "channel:thread-follow",
        "member",
        _url("thread-follow", _thread),
        lambda w: [FollowForm()],
        covers=(FollowForm,),
    ),
    Endpoint("channel:thread-pin", "coordinator", _url("thread-pin", _thread), extra={"pinned": "1"}),
    Endpoint("channel:thread-close", "coordinator", _url("thread-close", _thread), extra={"closed": "1"}),
    Endpoint(
        "channel:thread-move",
        "coordinator",
        _url("thread-move", _thread),
        lambda w: [ThreadMoveForm(network=w.network)],
        covers=(ThreadMoveForm,),
    ),
    Endpoint(
        "channel:faq-create", "coordinator", _url("faq-create", _thread), lambda w: [FaqForm()], covers=(FaqForm,)
    ),
    Endpoint(
        "channel:post-edit",
        "member",
        _url("post-edit", _reply),
        lambda w: [PostEditForm()],
        covers=(PostEditForm,),
    ),
    Endpoint(
        "channel:post-report",
        "member",
        _url("post-report", _opening),
        lambda w: [ReportForm()],
        covers=(ReportForm,),
    ),
    Endpoint(
        "channel:post-hide",
        "coordinator",
        _url("post-hide", _reply),
        lambda w: [ReasonForm()],
        covers=(ReasonForm,),
    ),
    Endpoint("channel:post-answer", "coordinator", _url("post-answer", _reply), extra={"unmark": "1"}),
    Endpoint(
        "channel:category-list",
        "coordinator",
        _url("category-list"),
        lambda w: [CategoryForm(network=w.network)],
        covers=(CategoryForm,),
    ),
    Endpoint(
        "channel:category-edit",
        "coordinator",
        _url("category-edit", _category),
        lambda w: [CategoryForm(network=w.network, instance=_category(w))],
        covers=(CategoryForm,),
    ),
    Endpoint("channel:people", "member", _url("people"), method="get", extra={"q": "Mit"}),
]
NOT_FUZZED: dict[str, str] = {
    "channel:category-delete": "no input",
    "channel:report-resolve": "no input",
    "channel:post-unhide": "no input",
    "channel:group-join": "no input",
    "channel:group-leave": "no input",
}
READ_ONLY: set[str] = {"channel:report-list", "channel:post-history"}
