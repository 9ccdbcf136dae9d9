"""Done when (issue 18 §4): Düren's progress embed renders in an <iframe> on a page of an allowed host and is refused on
another. Two tiny host pages are served by local servers under two different origins (http://127.0.0.1:<port> and
http://localhost:<port>); the roadmap's editors allow the first. Chromium enforces CSP frame-ancestors itself."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from measures.models import Measure
from monitoring.embeds.services import embed_origins_set
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, chromium_required  # noqa: F401  (fixture)
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks.factories import OrganisationFactory


def host_server(embed_url: str) -> ThreadingHTTPServer:
    """A municipal website's page with the embed in its sidebar (300 px)."""
    page = (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Gemeinde-Website</title></head><body>"
        "<h1>Klimaschutz in unserer Stadt</h1><aside>"
        f"<iframe id='embed' src='{embed_url}' title='Fortschritt' width='300' height='260'></iframe>"
        "</aside></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def hosts(live_server) -> Iterator[tuple[str, str]]:
    """(allowed page, other page): one server reached as 127.0.0.1, the other as localhost."""
    organisation = OrganisationFactory(name="Kreis Düren", short_name="Kreis Düren", kind="county", ags="05358000")
    roadmap = RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")
    MeasureFactory(roadmap=roadmap, status=Measure.Status.COMPLETED)
    MeasureFactory.create_batch(3, roadmap=roadmap)
    embed_url = live_server.url + reverse("embeds:progress", args=[roadmap.slug])
    allowed, other = host_server(embed_url), host_server(embed_url)
    allowed_url = f"http://127.0.0.1:{allowed.server_port}/"
    embed_origins_set(roadmap=roadmap, origins=[allowed_url.rstrip("/")], by=AnonymousUser())
    try:
        yield allowed_url, f"http://localhost:{other.server_port}/"
    finally:
        allowed.shutdown()
        other.shutdown()


@pytest.mark.usefixtures("chromium_required")
def test_dueren_progress_embed_on_an_allowed_and_a_foreign_host(hosts, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    allowed_url, other_url = hosts
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="de-DE")
            refusals: list[str] = []
            page.on("console", lambda msg: "frame-ancestors" in msg.text and refusals.append(msg.text))

            page.goto(allowed_url)
            frame = page.frame_locator("#embed")
            frame.locator("h1").wait_for(timeout=15_000)
            assert frame.locator("h1").inner_text() == "Klima-Roadmap Kreis Düren"
            assert "25 %" in frame.locator(".progress").inner_text()  # 1 of 4 completed
            assert frame.locator("a[target=_top]").count() >= 2
            if os.environ.get("SCREENSHOTS") == "1":
                page.screenshot(path="docs/screenshots/embed-allowed-host.png")
            assert refusals == []

            page.goto(other_url)
            page.wait_for_timeout(1_500)
            embedded = page.frames[1]
            assert embedded.url.startswith("chrome-error://")  # Chromium showed its error page instead
            assert "Kreis Düren" not in embedded.content()
            assert any("frame-ancestors" in text for text in refusals)
        finally:
            browser.close()
