"""FINDINGS.md items on the pages issue 15 touches: the outbox in the admin, the network calendar's feed for
members, SITE_URL checked at start-up, the way in for a non-member on a 403 page, the network navigation on a
phone."""

import re

import cssselect2
import pytest
import tinycss2
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation
from lxml import html as lxml_html

from events.models import Visibility
from networks import checks, mail
from networks.errors import permission_denied
from networks.models import NetworkRole, OutboxMessage
from networks.outbox import outbox_enqueue
from tests.events.factories import EventFactory
from tests.helpers import de
from tests.networks import factories as nf
from tests.test_deploy_check import manage, production_env

pytestmark = pytest.mark.django_db


class Tree:
    """The page's elements by CSS selector (cssselect2, which the PDF stack brings): lxml elements."""

    def __init__(self, root):
        self.wrapper = cssselect2.ElementWrapper.from_html_root(root)

    def cssselect(self, css: str) -> list:
        return [found.etree_element for found in self.wrapper.query_all(css)]


def tree(response) -> Tree:
    return Tree(lxml_html.fromstring(response.content.decode()))


def within(element) -> Tree:
    return Tree(element)


def text_of(nodes) -> str:
    return " ".join(" ".join(node.text_content().split()) for node in nodes)


# --- 2. The outbox in the admin --------------------------------------------------------------------------------


@pytest.fixture
def outbox_rows(personas):
    for reason, recipient in [("comment_moderated", "a@example.org"), ("event_confirmation", "b@example.org")]:
        outbox_enqueue(recipient=recipient, reason=reason, object_key="1", occasion="x", subject="S", body_text="T")


def test_the_outbox_reads_right_in_german_and_shows_the_kinds_label(client, personas, outbox_rows):
    personas.login(client, "staff")
    page = client.get(reverse("admin:networks_outboxmessage_changelist"))
    doc = tree(page)
    assert text_of(doc.cssselect("#content h1")) == de("Outbox") == "Postausgang"
    actions = text_of(doc.cssselect("select[name=action] option"))
    assert "Ausgewählte ausgehende E-Mails löschen" in actions and "Postausgang" not in actions
    assert "2 ausgehende E-Mails" in text_of(doc.cssselect(".paginator"))
    column = [text_of([cell]) for cell in doc.cssselect("td.field-kind")]
    expected = {str(mail.kind_of("comment_moderated").label), str(mail.kind_of("event_confirmation").label)}
    assert set(column) == expected and "comment_moderated" not in column


def test_the_outbox_filters_by_kind_offered_by_label(client, personas, outbox_rows):
    personas.login(client, "staff")
    url = reverse("admin:networks_outboxmessage_changelist")
    doc = tree(client.get(url))
    filters = text_of(doc.cssselect("#changelist-filter"))
    assert str(mail.kind_of("event_confirmation").label) in filters
    page = client.get(url + "?reason=event_confirmation")
    assert [m.recipient for m in page.context["cl"].result_list] == ["b@example.org"]


def test_an_outbox_row_of_a_kind_no_longer_registered_shows_its_code(client, personas):
    outbox_enqueue(recipient="c@example.org", reason="retired_kind", object_key="1", subject="S", body_text="T")
    personas.login(client, "staff")
    doc = tree(client.get(reverse("admin:networks_outboxmessage_changelist")))
    assert [text_of([cell]) for cell in doc.cssselect("td.field-kind")] == ["retired_kind"]


# --- 3. The network calendar's feed: members are pointed to their personal feed ------------------------------


def _subscribe_box(client, network):
    return tree(client.get(reverse("events:network-calendar", args=[network.slug]))).cssselect(".calendar-subscribe")[0]


def links_in(element) -> list:
    return within(element).cssselect("a")


def test_a_member_is_pointed_to_the_personal_feed_and_told_what_the_network_feed_holds(client, personas):
    EventFactory(network=personas.network, visibility=Visibility.NETWORK)  # internal only: missing in the public feed
    personas.login(client, "member")
    box = _subscribe_box(client, personas.network)
    links = {a.get("href"): " ".join(a.text_content().split()) for a in links_in(box)}
    assert links[reverse("events:my-calendar")] == de("Subscribe to my personal calendar")
    feed = reverse("events:network-feed", args=[personas.network.slug])
    assert [label for href, label in links.items() if href.endswith(feed)] == [de("Public events only (.ics)")]
    assert de(
        "The network's public feed below contains only its public events; meetings for members only are not in it."
    ) in text_of([box])


def test_a_visitor_gets_the_public_feed_labelled_as_such_and_no_personal_feed(client, personas):
    box = _subscribe_box(client, personas.network)
    hrefs = [a.get("href") for a in links_in(box)]
    assert reverse("events:my-calendar") not in hrefs
    assert de("Public events only (.ics)") in text_of(within(box).cssselect("a.button"))


def test_a_member_of_a_network_without_public_feed_gets_the_personal_feed(client, personas):
    personas.network.is_public = False
    personas.network.save()
    personas.login(client, "member")
    box = _subscribe_box(client, personas.network)
    assert reverse("events:my-calendar") in [a.get("href") for a in links_in(box)]
    assert de("This network is not public, so it has no public calendar feed.") not in text_of([box])
    assert not within(box).cssselect("code.feed-url")


# --- 5. SITE_URL checked at start-up -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("debug", "site_url", "errors"),
    [
        (False, "http://127.0.0.1:8000", 1),  # the development default: SITE_URL not set
        (False, "", 1),
        (False, "http://localhost", 1),
        (False, "https://[::1]:8443", 1),
        (False, "klimanetz.example", 1),  # no scheme: no link
        (False, "https://klimanetz.example", 0),
        (True, "http://127.0.0.1:8000", 0),  # development
    ],
)
def test_site_url_check(debug, site_url, errors):
    with override_settings(DEBUG=debug, SITE_URL=site_url):
        found = checks.site_url_check()
    assert len(found) == errors
    assert all(e.id == "klimanetz.E001" and "SITE_URL" in e.msg + e.hint for e in found)


def test_production_without_site_url_refuses_to_start():
    env = production_env()
    env.pop("SITE_URL")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "klimanetz.E001" in result.stderr and "SITE_URL" in result.stderr


# --- 6. The network navigation on a phone --------------------------------------------------------------------


def _phone_declarations(selector: str) -> dict[str, str]:
    """The declarations for ``selector`` that apply at 390 px (in the stylesheet's order: later ones win): rules at
    the top level and in ``@media (max-width: …)`` blocks wider than a phone."""
    css = (settings.BASE_DIR / "static" / "css" / "klimanetz.css").read_text()
    found: dict[str, str] = {}

    def take(rules) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
                if selector in selectors:
                    for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True):
                        if decl.type == "declaration":
                            found[decl.lower_name] = tinycss2.serialize(decl.value).strip()
            elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
                query = tinycss2.serialize(rule.prelude)
                width = re.search(r"max-width:\s*([\d.]+)rem", query)
                if width and float(width.group(1)) * 16 >= 390 and "print" not in query:
                    take(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))

    take(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return found


def test_on_a_phone_each_group_of_the_network_navigation_is_one_scrolling_row():
    links = _phone_declarations(".sidebar ul")
    assert links.get("flex-wrap") == "nowrap" and links.get("overflow-x") == "auto"
    assert _phone_declarations(".sidebar li a").get("white-space") == "nowrap"  # a link never breaks its row


def test_the_network_pages_use_the_sidebar_the_phone_rules_style(client, personas):
    personas.login(client, "member")
    for name in ("networks:network-space", "events:network-calendar"):
        doc = tree(client.get(reverse(name, args=[personas.network.slug])))
        groups = doc.cssselect("nav.sidebar ul")
        assert groups and all(within(group).cssselect("li > a") for group in groups)


# --- 4. A non-member's 403 page offers the way in ------------------------------------------------------------


def test_a_signed_in_non_member_is_offered_to_request_membership(client, personas):
    personas.login(client, "citizen")
    response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
    assert response.status_code == 403
    doc = tree(response)
    hrefs = [a.get("href") for a in doc.cssselect(".content a.button")]
    assert reverse("networks:membership-request", args=[personas.network.slug]) in hrefs
    assert de("Request membership") in text_of(doc.cssselect(".content a.button"))


def test_the_way_in_is_offered_in_english_too(client, personas):
    personas.login(client, "citizen")
    with translation.override("en"):
        response = client.get(reverse("networks:network-space", args=[personas.network.slug]))
        target = reverse("networks:membership-request", args=[personas.network.slug])
    assert response.status_code == 403 and target.startswith("/en/")
    assert target in [a.get("href") for a in tree(response).cssselect(".content a.button")]


def test_a_member_refused_a_coordination_page_is_not_offered_membership(client, personas):
    personas.login(client, "member")
    response = client.get(reverse("networks:people-manage", args=[personas.network.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    assert reverse("networks:membership-request", args=[personas.network.slug]) not in page
    assert reverse("networks:network-space", args=[personas.network.slug]) in page


def test_an_anonymous_visitor_refused_a_network_page_is_offered_the_login(rf, personas):
    path = reverse("networks:network-space", args=[personas.network.slug])
    request = rf.get(path)
    request.user, request.resolver_match = AnonymousUser(), resolve(path)
    response = permission_denied(request)
    assert response.status_code == 403
    page = response.content.decode()
    assert f"{reverse('account_login')}?next={path}" in page.replace("%2F", "/")
    assert reverse("networks:membership-request", args=[personas.network.slug]) not in page


def test_a_403_elsewhere_keeps_the_general_text(rf, personas):
    request = rf.get("/")
    request.user, request.resolver_match = personas.user("member"), None
    doc = tree(permission_denied(request))
    assert (
        text_of(doc.cssselect(".content p"))[:40]
        == de(
            "You are not allowed to open this page. If you think you should be, please contact the coordination of the "
            "network."
        )[:40]
    )
    assert not doc.cssselect(".content a.button")


def test_requesting_membership_mails_each_coordinator_once_with_reply_to_the_asker(client, personas):
    citizen = personas.people["citizen"]
    url = reverse("networks:membership-request", args=[personas.network.slug])
    personas.login(client, "citizen")
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Ich bin Klimaschutzmanagerin der VG Kusel."})
    assert response["Location"] == reverse("networks:network-detail", args=[personas.network.slug])
    sent = list(OutboxMessage.objects.filter(reason="membership_requested"))
    assert [m.recipient for m in sent] == [personas.people["coordinator"].user.email]
    assert sent[0].headers["Reply-To"] == citizen.user.email
    assert "VG Kusel" in sent[0].body_text and citizen.name in sent[0].subject
    sent[0].full_clean()
    client.post(url, {"note": "Noch einmal"})  # asked before: nothing more
    assert OutboxMessage.objects.filter(reason="membership_requested").count() == 1
    page = client.get(url)
    assert page.context["asked"] is not None and not tree(page).cssselect(".content form textarea")


def test_a_too_long_message_keeps_the_text_and_sends_nothing(client, personas):
    personas.login(client, "citizen")
    url = reverse("networks:membership-request", args=[personas.network.slug])
    response = client.post(url, {"note": "x" * 1001})
    assert response.status_code == 400 and response.context["form"]["note"].value() == "x" * 1001
    assert not OutboxMessage.objects.filter(reason="membership_requested").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 200), ("other_network", 200), ("editor", 200), ("member", 302), ("staff", 302)],
)
def test_membership_request_page_permissions(client, personas, persona, status):
    personas.login(client, persona)
    response = client.get(reverse("networks:membership-request", args=[personas.network.slug]))
    assert response.status_code == status
    if persona in ("member", "staff"):
        assert response["Location"] == reverse("networks:network-detail", args=[personas.network.slug])


def test_a_private_network_cannot_be_asked_by_an_outsider(client, personas):
    personas.network.is_public = False
    personas.network.save()
    personas.login(client, "citizen")
    url = reverse("networks:membership-request", args=[personas.network.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "?"}).status_code == 404


def test_the_membership_request_page_keeps_its_query_count_as_coordinators_grow(client, personas):
    """The coordinators named on the page come in one query, whatever their number."""
    personas.login(client, "citizen")
    url = reverse("networks:membership-request", args=[personas.network.slug])
    counts = []
    for size in (1, 6):
        for _ in range(size):
            nf.NetworkRoleFactory(
                network=personas.network, role=NetworkRole.Role.COORDINATOR, person__contact_visibility="public"
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
