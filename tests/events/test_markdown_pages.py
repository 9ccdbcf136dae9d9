"""Markdown of events rendered once, when saved (networks.markdown): descriptions, minutes, office-hour answers."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Kind, Question, Visibility
from networks import markdown
from tests.events.factories import EventFactory, EventSeriesFactory, QuestionFactory, in_days
from tests.helpers import de

TOO_DEEP = de("Lists, quotations and emphases are nested too deeply: at most %(limit)s levels are possible.", limit=20)
TOO_MUCH = de(
    "The text has too much formatting to show it quickly: at most %(limit)s list items, table cells, emphases, "
    "links and special characters such as < and & together.",
    limit="6.000",
)
GUIDE = "Rechnen Sie mit **2–3 Jahren**; der [Leitfaden](https://example.org/leitfaden) hilft."


def _part(response, start: str, end: str) -> str:
    """The page from ``start`` to the next ``end``: the part an assertion is about, not the whole page."""
    page = response.content.decode()
    assert start in page, start
    return page.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def public_event(personas):
    return EventFactory(network=personas.network, visibility=Visibility.PUBLIC, description=GUIDE)


@pytest.fixture
def office_hour(personas):
    return EventFactory(network=personas.network, kind=Kind.OFFICE_HOUR, title="Klima.Taten.Talk")


def _refuse_rendering(monkeypatch) -> None:
    """From here on, rendering Markdown fails the test: pages must serve the HTML stored on save."""

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown rendered while serving a page")

    monkeypatch.setattr(markdown, "render", refuse)


@pytest.fixture
def no_rendering(monkeypatch):
    _refuse_rendering(monkeypatch)


def test_the_event_description_shows_markdown_with_clickable_links(client, public_event, no_rendering):
    about = _part(client.get(public_event.get_absolute_url()), 'aria-labelledby="about-heading"', "</section>")
    assert "<strong>2–3 Jahren</strong>" in about
    assert '<a href="https://example.org/leitfaden" rel="noopener noreferrer">Leitfaden</a>' in about
    assert "**" not in about


def test_published_minutes_are_served_as_stored(client, personas, public_event):
    services.minutes_save(event=public_event, text="# Ergebnisse\n\n" + GUIDE, publish=True, by=None)
    public_event.refresh_from_db()
    assert public_event.minutes_html.startswith("<h3>Ergebnisse</h3>")
    Event.objects.filter(pk=public_event.pk).update(minutes_html="<p>Gespeichertes HTML</p>")  # what pages show
    personas.login(client, "member")
    response = client.get(public_event.get_absolute_url())
    assert "Gespeichertes HTML" in _part(response, '<div class="minutes-text">', "</div>")


def test_minutes_with_too_much_formatting_are_a_form_error_and_kept(client, personas, public_event):
    personas.login(client, "coordinator")
    text = "- a\n" * (markdown.PROFILES["minutes"].max_markup // 2 + 1)  # <li> and </li> each
    response = client.post(
        reverse("events:minutes-edit", args=[personas.network.slug, public_event.pk]), {"minutes": text}
    )
    assert response.status_code == 400
    assert response.context["minutes_form"].errors["minutes"] == [TOO_MUCH]
    assert response.context["minutes_form"]["minutes"].value() == text  # what was typed comes back
    public_event.refresh_from_db()
    assert public_event.minutes == "" and public_event.minutes_html == ""


def test_an_answer_shows_markdown_on_the_faq_and_the_event_page(client, personas, office_hour):
    personas.login(client, "coordinator")
    question = QuestionFactory(event=office_hour, author=personas.people["member"])
    target = reverse("events:question-answer", args=[personas.network.slug, question.pk])
    assert client.post(target, {"answer": "# Kurz\n\n" + GUIDE}).status_code == 302
    question.refresh_from_db()
    assert question.answer_html.startswith("<h4>Kurz</h4>")  # under the question's h3
    personas.login(client, "member")
    faq = _part(client.get(reverse("events:faq", args=[personas.network.slug])), '<li class="card question">', "</li>")
    event_page = _part(client.get(office_hour.get_absolute_url()), "Kurz</h4>", '<p class="meta"')
    for page in (faq, event_page):
        assert "<strong>2–3 Jahren</strong>" in page and 'href="https://example.org/leitfaden"' in page


def test_an_answer_nested_too_deeply_is_a_form_error(client, personas, office_hour):
    personas.login(client, "coordinator")
    question = QuestionFactory(event=office_hour)
    target = reverse("events:question-answer", args=[personas.network.slug, question.pk])
    response = client.post(target, {"answer": "> " * (markdown.MAX_DEPTH + 1) + "tief"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["answer"] == [TOO_DEEP]
    question.refresh_from_db()
    assert not question.is_answered and question.answer_html == ""


def test_series_occurrences_store_the_description_html(personas):
    series = EventSeriesFactory.build(
        network=personas.network, description=GUIDE, first_date=timezone.localdate(), interval=1, count=3
    )
    services.series_create(series=series, by=None)
    occurrences = list(Event.objects.filter(series=series))
    assert occurrences and all("<strong>2–3 Jahren</strong>" in e.description_html for e in occurrences)


def test_the_migration_renders_what_was_stored_before(personas):
    event = EventFactory(network=personas.network, description=GUIDE, minutes="**Protokoll**", starts_at=in_days(-1))
    question = QuestionFactory(event=event, answer="*ja*", answered_at=timezone.now())
    Event.objects.filter(pk=event.pk).update(description_html="", minutes_html="")
    Question.objects.filter(pk=question.pk).update(answer_html="")
    importlib.import_module("events.migrations.0006_markdown_html").render_stored(apps, None)
    event.refresh_from_db()
    question.refresh_from_db()
    assert "<strong>2–3 Jahren</strong>" in event.description_html
    assert event.minutes_html == "<p><strong>Protokoll</strong></p>\n"
    assert question.answer_html == "<p><em>ja</em></p>\n"


def test_the_event_page_keeps_a_constant_number_of_queries_with_long_minutes(
    client, personas, django_assert_num_queries, monkeypatch
):
    """Rendering costs nothing per view however long the minutes are; the queries do not depend on them."""
    short, long, warm = (EventFactory(network=personas.network, starts_at=in_days(-1)) for _ in range(3))
    services.minutes_save(event=short, text="Kurz", publish=True, by=None)
    services.minutes_save(event=long, text=("## Punkt\n\n" + GUIDE + "\n\n") * 500, publish=True, by=None)
    _refuse_rendering(monkeypatch)
    personas.login(client, "member")
    client.get(warm.get_absolute_url())  # the account's and the network's caches filled, as for every later page
    with CaptureQueriesContext(connection) as first:
        assert "Kurz" in client.get(short.get_absolute_url()).content.decode()
    with django_assert_num_queries(len(first.captured_queries)):
        assert "Punkt</h4>" in client.get(long.get_absolute_url()).content.decode()
