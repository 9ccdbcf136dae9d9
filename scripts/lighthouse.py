"""`make lighthouse`: Lighthouse's SEO and accessibility categories on every public page shape of the demo.

A throwaway copy of the demo (SQLite in a temporary folder: migrate, load_demo, collectstatic) is served by
gunicorn with DEBUG off (as in production: the real 404 page, whitenoise for static files) on a free loopback
port; Lighthouse (pinned in tools/lighthouse, `npm ci` there) runs headless Chromium (/usr/bin/chromium, or
CHROME_PATH) against one address per page shape and the scores are printed. Exit status 1 when a score is
below 1.00, with the failing audits listed.

Two audits cannot pass on two shapes by design and are left out of their SEO score (and said so): the search
result page is kept out of search engines (noindex, robots.txt: "is-crawlable") and the 404 page answers 404
("http-status-code", "is-crawlable").

    .venv/bin/python scripts/lighthouse.py [--keep] [--folder KEPT] [--only SHAPE ...] [--port N]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE = BASE_DIR / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("seo", "accessibility")
BY_DESIGN = {  # shape -> audits left out of its SEO score, with the reason
    "search": {"is-crawlable": "search result pages are noindex and disallowed in robots.txt"},
    "404": {
        "http-status-code": "the 404 page answers 404",
        "is-crawlable": "the 404 page is noindex",
    },
}

# One address per public page shape, found in the demo database (printed as JSON by a Django shell).
SHAPES_SCRIPT = r"""
import json
from django.urls import reverse
from events.models import Event, Visibility
from measures.models import Measure, Proposal, Roadmap
from measures.models.participation import Moderation
from monitoring.access import is_public_report
from monitoring.models import Report
from networks.models import Network

roadmap = Roadmap.objects.published().order_by("pk").first()
measure = Measure.objects.public().filter(roadmap=roadmap).order_by("pk").first()
proposal = Proposal.objects.filter(roadmap=roadmap, status=Moderation.PUBLISHED).order_by("pk").first()
event = Event.objects.filter(visibility=Visibility.PUBLIC, network__is_public=True).order_by("starts_at").last()
network = Network.objects.public().order_by("pk").first()
report = next((r for r in Report.objects.published().order_by("pk") if is_public_report(r)), None)
shapes = {
    "home": reverse("networks:home"),
    "roadmap list": reverse("measures:roadmap-list"),
    "roadmap": roadmap.get_absolute_url(),
    "measure list": reverse("measures:measure-list", args=[roadmap.slug]),
    "measure": measure.get_absolute_url(),
    "proposal list": reverse("measures:proposal-list", args=[roadmap.slug]),
    "proposal": reverse("measures:proposal", args=[roadmap.slug, proposal.pk]) if proposal else None,
    "event list": reverse("events:event-list"),
    "event": event.get_absolute_url() if event else None,
    "network list": reverse("networks:network-list"),
    "network profile": network.get_absolute_url(),
    "report": report.get_absolute_url() if report else None,
    "search": reverse("search:search") + "?q=Klima",
    "404": "/diese-seite-gibt-es-nicht/",
}
for name, args in (("participate", []), ("roadmap participate", [roadmap.slug])):
    try:
        shapes[name] = reverse("measures:" + name.replace(" ", "-"), args=args)
    except Exception:
        pass
print("SHAPES=" + json.dumps(shapes))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=True, **kwargs)  # noqa: S603 (our own commands)


def environment(folder: Path, port: int) -> dict:
    env = {
        **os.environ,
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # throwaway
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "SECURE_HSTS_SECONDS": "0",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SQLITE_PATH": str(folder / "db.sqlite3"),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL"):  # always the throwaway SQLite and local memory
        env.pop(name, None)
    return env


def prepare(env: dict) -> None:
    # --skip-checks: SITE_URL is a loopback address here, which the production check (rightly) refuses
    python = sys.executable
    run([python, "manage.py", "collectstatic", "--noinput", "-v", "0", "--skip-checks"], env)  # the demo's reports
    run([python, "manage.py", "migrate", "--noinput", "-v", "0", "--skip-checks"], env)
    run([python, "manage.py", "load_demo", "--force", "--skip-checks"], env, stdout=subprocess.DEVNULL)


def shapes(env: dict) -> dict[str, str]:
    command = [sys.executable, "manage.py", "shell", "-c", SHAPES_SCRIPT]  # shell runs no system checks
    done = run(command, env, capture_output=True, text=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("SHAPES="))
    return {name: path for name, path in json.loads(line[len("SHAPES=") :]).items() if path}


def serve(env: dict, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "2", "--threads", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603 (our own command line)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310 (loopback)
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def lighthouse(url: str, out: Path, *, not_found: bool = False) -> dict:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    command = ["node", str(LIGHTHOUSE), url, "--only-categories=" + ",".join(CATEGORIES), "--output=json"]
    if not_found:
        command.append("--ignore-status-code")  # otherwise Lighthouse refuses to audit a page answering 404
    command += [f"--output-path={out}", "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    command += ["--form-factor=desktop", "--screenEmulation.disabled", "--throttling-method=provided"]
    run(command, {**os.environ, "CHROME_PATH": chrome})
    return json.loads(out.read_text())


def scores(report: dict, shape: str) -> tuple[dict[str, float], list[str]]:
    """Category scores (SEO without the audits BY_DESIGN for this shape) and the failing audits."""
    left_out = BY_DESIGN.get(shape, {})
    result, failing = {}, []
    for category in CATEGORIES:
        refs = report["categories"][category]["auditRefs"]
        total = weight = 0.0
        for ref in refs:
            audit = report["audits"][ref["id"]]
            if ref["weight"] == 0 or audit.get("score") is None or ref["id"] in left_out:
                continue
            total += ref["weight"] * audit["score"]
            weight += ref["weight"]
            if audit["score"] < 1:
                failing.append(f"{category}/{ref['id']}: {audit.get('title', '')}")
        result[category] = total / weight if weight else 1.0
    return result, failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, reports)")
    parser.add_argument("--only", nargs="*", help="only these page shapes")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--folder", type=Path, help="a folder kept by --keep: its demo is used again")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: (cd tools/lighthouse && npm ci)", file=sys.stderr)
        return 2
    started = time.monotonic()
    reuse = options.folder is not None and (options.folder / "db.sqlite3").exists()
    folder = options.folder if reuse else Path(tempfile.mkdtemp(prefix="klimanetz-lighthouse-"))
    port = options.port or free_port()
    server = None
    try:
        env = environment(folder, port)
        if not reuse:
            prepare(env)
        prepared = time.monotonic()
        pages = shapes(env)
        if options.only:
            pages = {name: path for name, path in pages.items() if name in options.only}
        server = serve(env, port)
        failed = False
        print(f"{'page shape':<22} {'SEO':>5} {'a11y':>5}  address")
        for shape, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            report = lighthouse(url, folder / f"{shape.replace(' ', '-')}.json", not_found=shape == "404")
            result, failing = scores(report, shape)
            note = " (without: " + ", ".join(BY_DESIGN[shape]) + ")" if shape in BY_DESIGN else ""
            print(f"{shape:<22} {result['seo']:>5.2f} {result['accessibility']:>5.2f}  {path}{note}", flush=True)
            for line in failing:
                print(f"{'':<22} - {line}")
            failed |= any(value < 1.0 for value in result.values())
        finished = time.monotonic()
        print(
            f"\n{len(pages)} page shapes in {finished - started:.0f} s "
            f"(demo prepared in {prepared - started:.0f} s, Lighthouse {finished - prepared:.0f} s)"
        )
        print("FAILED: a score below 1.00" if failed else "OK: every score 1.00")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if options.keep or reuse:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
