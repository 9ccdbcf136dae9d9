"""Input that views read outside a form: tokens in the path and query parameters, with NUL bytes.

PostgreSQL refuses a NUL byte in a query ("A string literal cannot contain NUL (0x00) characters"), which
Django passes on as a ValueError: a 500 unless the value is refused before it reaches the database.
Form fields refuse it by themselves (ProhibitNullCharactersValidator); these are the other ways in.
"""

from __future__ import annotations

import pytest
from django.test import Client

PATHS = [
    ("editor", "/berichte/neu/?roadmap=kaiserslautern%00"),
    ("editor", "/berichte/neu/?organisation=kaiserslautern%00"),
    ("coordinator", "/berichte/neu/?network=ktt%00"),
    ("anonymous", "/kalender/abc%00def.ics"),
    ("anonymous", "/einladung/abc%00def/"),
    ("citizen", "/einladung/abc%00def/"),
    ("anonymous", "/klima-roadmaps/kaiserslautern/massnahmen/?suche=a%00b&federfuehrung=%00&sortierung=%00"),
    ("member", "/netzwerke/ktt/mitglieder/?q=a%00b&organisation=%00&topic=%00&level=%00&page=%00"),
    ("member", "/wer-weiss-was/?q=a%00b&network=%00"),
    ("member", "/netzwerke/ktt/faq/?q=a%00b&topic=%00"),
    ("member", "/netzwerke/ktt/aufgaben/?status=%00&mine=%00"),
    ("anonymous", "/veranstaltungen/?von=2026-01-01%00&netzwerk=%00&thema=%00&art=%00"),
    ("coordinator", "/netzwerke/ktt/monitoring/gesundheit/?sortierung=%00"),
    ("editor", "/organisationen/kaiserslautern/monitoring/werte/?jahr=%00"),
    ("editor", "/organisationen/kaiserslautern/monitoring/thg-bilanz/?jahr=2024%00"),
    ("member", "/netzwerke/ktt/termine/?monat=2026-12%00&ansicht=monat%00"),
    ("editor", "/klima-roadmaps/kaiserslautern/redaktion/?q=a%00b&sector=%00&status=%00"),
    ("anonymous", "/klima-roadmaps/kaiserslautern/vorschlaege/?sector=%00&order=%00"),
    ("editor", "/klima-roadmaps/kaiserslautern/redaktion/import/?vorlage=%00"),
]


@pytest.mark.parametrize(("persona", "path"), PATHS, ids=[p for _persona, p in PATHS])
def test_nul_bytes_outside_forms_are_refused_cleanly(world, persona, path):
    client = Client(raise_request_exception=False)
    if world.user(persona) is not None:
        client.force_login(world.user(persona))
    response = client.get(path)
    assert response.status_code < 500, getattr(response, "exc_info", None)
