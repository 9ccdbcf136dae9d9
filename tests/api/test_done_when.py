"""Issue 18's "done when", the API's part: an editor creates a token on the profile page, sets a measure's status
with an HTTP client over a real socket (as curl does), and the public page and the measure's history show it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import build
from tests.helpers import de


@pytest.mark.django_db(transaction=True)
def test_editor_sets_a_status_with_curl_and_the_portal_shows_it(live_server, personas):
    w = build(personas)
    editor = Client()
    editor.force_login(w.person("editor").user)
    profile = editor.get(reverse("networks:profile"))
    assert reverse("apitokens:token-list") in profile.content.decode()  # the account menu leads there
    editor.post(reverse("apitokens:token-list"), {"name": "Website des Kreises", "scope": "write"})
    secret = editor.get(reverse("apitokens:token-list")).context["secret"]

    # curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    #      -d '{"status": "completed"}' $SITE/api/v1/roadmaps/rm/measures/m-1/status/
    request = urllib.request.Request(  # noqa: S310 (the test's own server)
        f"{live_server.url}/api/v1/roadmaps/{w.roadmap.slug}/measures/{w.measure.slug}/status/",
        data=json.dumps({"status": "completed"}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (the test's own server)
        assert answer.status == 200
        assert json.loads(answer.read()) == {"status": "completed"}

    page = Client().get(w.measure.get_absolute_url()).content.decode()
    assert de("completed") in page or "abgeschlossen" in page.lower()
    history = editor.get(reverse("measures:measure-history", args=[w.roadmap.slug, w.measure.pk]))
    entries = history.context["entries"]
    assert entries[0]["who"] == w.person("editor").name or w.person("editor").name in str(entries[0]["who"])
    assert any(str(change["new"]).lower() in (de("completed").lower(), "completed") for change in entries[0]["changes"])
