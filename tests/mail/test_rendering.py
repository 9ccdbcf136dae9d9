"""Every email looks right: each kind, sent for real by its sender, to a German and an English recipient.

For every message: a subject; the footer (why it was sent; for a switchable kind the personal link that switches
exactly that kind off and the link to the settings page); every link absolute (SITE_URL); HTML well-formed, without
script or event handlers; German on German mails and English on English ones: no sentence of the English mail is
left untranslated in the German one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from networks import mail
from networks.models import OutboxMessage
from tests.conftest import built_once
from tests.mail.conftest import LANGUAGES, make_senders, send_everything

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"
KINDS_WITH_TEMPLATES = sorted(p.name.removesuffix("_subject.txt") for p in TEMPLATES.glob("*_subject.txt"))
VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
DATA = (
    "Klimafrühstück",
    "Person de",
    "Person en",
    "Mehr Bäume",
    "Gute Idee",
    "Bitte sachlich",
    "Kommunalrichtlinie",
    "Klima-Roadmap",
)
ONLINE = "https://meet.example.org/"  # the events' online meeting links, the only other host a mail may link to


class Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.links, self.lang = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "script":
            self.problems.append("script")
        self.problems += [f"handler {name}" for name in attrs if name.startswith("on")]
        for name in ("href", "src"):
            if name in attrs:
                self.links.append(attrs[name])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def close(self):
        super().close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")


@pytest.fixture(scope="module")
def _sent_once(_personas_once, django_db_blocker) -> dict:
    """(kind, language) -> the message: every kind sent once for the module (the tests only read them), inside a
    transaction rolled back at its end, with the tasks run in-process as in every test (tests.conftest)."""
    with built_once(django_db_blocker, "klimanetz-mail-"):
        send_everything(make_senders(_personas_once.network), _personas_once.network)
        out = {}
        for message in OutboxMessage.objects.order_by("pk"):
            out.setdefault((message.reason, message.language), message)
        yield out


@pytest.fixture
def sent(db, _sent_once) -> dict:
    return _sent_once


def test_every_template_is_a_registered_kind_and_every_sender_is_tried(sent):
    assert KINDS_WITH_TEMPLATES, "no email templates found"
    for kind in KINDS_WITH_TEMPLATES:
        assert mail.kind_of(kind) is not None, f"emails/{kind}_* has no kind in networks.mail"
        for language in LANGUAGES:
            assert (kind, language) in sent, f"the world sent no {kind} in {language}"
    assert {reason for reason, _language in sent} == set(KINDS_WITH_TEMPLATES)


def test_transactional_mails_cannot_be_switched_off():
    for code in ["invitation", "email_confirmation", "email_confirmation_signup", "password_reset_key"]:
        assert not mail.kind_of(code).switchable
    switchable = {k.code for k in mail.switchable_kinds()}
    assert {"event_reminder_1d", "monitoring_indicator_due", "funding_deadline", "proposal_moderated"} <= switchable


def _absolute(link: str) -> bool:
    """A full address of the portal or an online meeting, or a ``mailto:`` (e.g. to answer who asked to join)."""
    return link == settings.SITE_URL or link.startswith((settings.SITE_URL + "/", ONLINE, "mailto:"))


def _page(link: str) -> bool:
    """A link to a page of the portal (not the bare home address in the footer, not a static file)."""
    return link.startswith(settings.SITE_URL + "/") and not link.startswith(settings.SITE_URL + "/static/")


def _prose(text: str) -> list[str]:
    """The lines of a text mail that are sentences (five words or more), without names and titles of the world."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if (
            len(re.findall(r"[A-Za-zÄÖÜäöüß]{2,}", line)) >= 5
            and "http" not in line
            and not any(d in line for d in DATA)
        ):
            lines.append(line)
    return lines


@pytest.mark.parametrize("kind", KINDS_WITH_TEMPLATES)
def test_each_kind_looks_right_in_text_and_html_in_both_languages(sent, kind):
    registered = mail.kind_of(kind)
    bodies = {}
    for language in LANGUAGES:
        message = sent[kind, language]
        assert message.subject.strip() and "\n" not in message.subject
        assert message.body_text.strip() and message.body_html.strip()
        with translation.override(language):
            why = str(registered.why)
            settings_url = settings.SITE_URL + reverse("networks:mail-settings")
        assert why in message.body_text and why in message.body_html.replace("&#x27;", "'")
        if registered.switchable:
            links = re.findall(re.escape(settings.SITE_URL) + r"\S*/e-mails/abbestellen/[^/\s\"]+/", message.body_text)
            assert len(links) == 1, message.body_text
            assert f'href="{links[0]}"' in message.body_html
            assert settings_url in message.body_text and f'href="{settings_url}"' in message.body_html
            assert links[0].startswith(settings.SITE_URL + ("/en/" if language == "en" else "/e-mails/"))
        else:
            assert "abbestellen" not in message.body_text and "abbestellen" not in message.body_html
        html = Html()
        html.feed(message.body_html)
        html.close()
        assert html.problems == [], (kind, language, html.problems)
        assert html.lang == language
        assert html.links and all(_absolute(link) for link in html.links), html.links
        for url in re.findall(r"https?://\S+", message.body_text):
            assert _absolute(url), url
        if language == "en":  # the reader's language: a page of the portal opens in English
            portal = [u for u in [*html.links, *re.findall(r"https?://\S+", message.body_text)] if _page(u)]
            assert all(u.startswith(settings.SITE_URL + "/en/") for u in portal), (kind, portal)
        bodies[language] = message
    english = _prose(bodies["en"].body_text)
    assert english, "no English sentences found"
    untranslated = [line for line in english if line in bodies["de"].body_text]
    assert untranslated == [], f"{kind}: English in the German mail"
    german = [line for line in _prose(bodies["de"].body_text) if line in bodies["en"].body_text]
    assert german == [], f"{kind}: German in the English mail"
    assert bodies["de"].subject != bodies["en"].subject or any(d in bodies["de"].subject for d in DATA)
