"""Interoperable markup (issue 14 §4): headings without skipped levels on list pages, valid
``<time datetime>`` values, the password rules as a list the password input points to."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.models import Visibility
from tests.events.factories import EventFactory, OutcomeFactory, QuestionFactory, in_days
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks import factories as f

PHRASING = {"p", "span", "label", "a", "em", "strong", "small", "button"}
BLOCKS = {"ul", "ol", "div", "p", "table", "section", "h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# HTML's valid date, time and global date-time strings: at most three fractional digits of a second.
VALID_TIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


class Page(HTMLParser):
    """Headings in <main>, the datetime attributes, block elements opened inside phrasing ones, ids."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.headings: list[int] = []
        self.times: list[str] = []
        self.misnested: list[str] = []
        self.ids: dict[str, list[str]] = {}
        self.described: dict[str, str] = {}
        self.in_main = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if self.in_main and re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "time" and "datetime" in attrs:
            self.times.append(attrs["datetime"])
        if tag in BLOCKS and any(open_tag in PHRASING for open_tag in self.stack):
            self.misnested.append(f"<{tag}> inside <{'><'.join(self.stack[-3:])}>")
        if attrs.get("aria-describedby") and attrs.get("name"):
            self.described[attrs["name"]] = attrs["aria-describedby"]
        for open_id in self.ids.values():
            open_id.append(tag)
        if attrs.get("id"):
            self.ids[attrs["id"]] = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def assert_heading_order(html: str, url: str) -> None:
    """No level skipped on the way down (h1 -> h3); going back up is fine (a sidebar's h2 may come first)."""
    levels = Page(html).headings
    assert levels.count(1) == 1 and levels[0] <= 2, f"{url}: {levels}"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{url}: h{before} is followed by h{after} ({levels})"


@pytest.fixture
def world(personas):
    network = personas.network
    network.is_public = True
    network.save(update_fields=["is_public"])
    f.MembershipFactory(network=network)
    event = EventFactory(network=network, visibility=Visibility.PUBLIC, starts_at=in_days(5))
    roadmap = RoadmapFactory(slug="kreis-dueren")
    MeasureFactory(roadmap=roadmap)
    return {"network": network, "event": event, "roadmap": roadmap}


def _list_pages(world) -> list[str]:
    slug, roadmap = world["network"].slug, world["roadmap"].slug
    return [
        reverse("networks:network-list"),
        reverse("networks:home"),
        reverse("networks:network-detail", args=[slug]),
        reverse("events:event-list"),
        reverse("events:network-calendar", args=[slug]),
        reverse("measures:roadmap-list"),
        reverse("measures:measure-list", args=[roadmap]),
        reverse("measures:proposal-list", args=[roadmap]),
    ]


def test_network_list_goes_from_h1_to_h2(client, world):
    page = Page(client.get(reverse("networks:network-list")).text)
    assert page.headings[:2] == [1, 2]


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_list_pages_skip_no_heading_level(client, personas, world, persona):
    personas.login(client, persona)
    pages = _list_pages(world)
    if persona == "coordinator":
        slug = world["network"].slug
        pages += [reverse("events:action-items", args=[slug]), reverse("events:my-calendar")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_heading_order(response.text, url)


def test_time_elements_carry_valid_values_without_microseconds(client, personas, world):
    event = world["event"]
    event.minutes, event.minutes_published_at = "Protokoll", timezone.now().replace(microsecond=123456)
    event.registration_deadline = event.starts_at.replace(microsecond=654321)
    event.save(update_fields=["minutes", "minutes_published_at", "registration_deadline"])
    office_hour = EventFactory(network=world["network"], kind="office_hour", starts_at=in_days(3))
    QuestionFactory(event=office_hour, network=world["network"])
    OutcomeFactory(event=event)
    personas.login(client, "coordinator")
    slug = world["network"].slug
    urls = [
        event.get_absolute_url(),
        reverse("events:minutes-edit", args=[slug, event.pk]),
        reverse("events:participant-list", args=[slug, event.pk]),
        office_hour.get_absolute_url(),
        reverse("events:action-items", args=[slug]),
        reverse("networks:dashboard"),
    ]
    seen = 0
    for url in urls:
        times = Page(client.get(url).text).times
        seen += len(times)
        assert all(VALID_TIME.match(value) for value in times), f"{url}: {times}"
    assert seen >= len(urls)


def test_no_template_writes_isoformat_into_a_datetime_attribute():
    """|date:"c" is isoformat() with microseconds; the one filter is |machine_time (networks.templatetags)."""
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for root in roots
        for path in root.rglob("*.html")
        if re.search(r"""\|date:(['"])c\1""", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("url_name", "persona", "field"),
    [("account_signup", "anonymous", "password1"), ("account_change_password", "citizen", "password1")],
)
def test_password_rules_are_a_list_the_input_points_to(client, personas, url_name, persona, field):
    personas.login(client, persona)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = Page(response.text)
    assert page.misnested == []
    described = page.described[field]
    assert "ul" in page.ids[described] and "li" in page.ids[described]
    assert f'<div class="help" id="{described}"><ul>' in response.text
