"""A small OParl 1.1 server for the tests: a thread with http.server on 127.0.0.1, serving objects built from the
specification's example files (oparl/examples, addresses moved to this server) and checked against its JSON
schemas (oparl/schema) before they are served.

The world: the example System and Body (with Kreis Düren's AGS), the example committee and a "Kreistag", the
example meeting and a Kreistag meeting on 12 March 2025 whose agenda item decided the example paper's
consultation, the example paper and ``extra_papers`` papers derived from it (reference "2025/<n>"), paged by
``page_size``. Lists honour ``modified_since``; the test can make any path fail (``fault``): "500", "slow",
"malformed", "huge", "304", or answer with another object or raw bytes (``override``). ``requests`` records
what was asked.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema

HERE = Path(__file__).parent / "oparl"
EXAMPLE_HOST = "https://oparl.example.org"
DUEREN_AGS = "05358000"


def example(name: str) -> dict:
    return json.loads((HERE / "examples" / f"{name}.json").read_text(encoding="utf-8"))


SCHEMAS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (HERE / "schema").glob("*.json")}
VALIDATORS = {}


def _validator(kind: str):
    if kind not in VALIDATORS:
        schema = SCHEMAS[kind]
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        VALIDATORS[kind] = cls(schema)
    return VALIDATORS[kind]


def validate(obj: dict) -> None:
    """``obj`` against the schema of its type, and every embedded object against its own (the OParl schemas name
    them with "schema": "File.json" rather than $ref)."""
    kind = obj["type"].rsplit("/", 1)[-1]
    schema = SCHEMAS[kind]
    _validator(kind).validate(obj)
    for name, prop in schema["properties"].items():
        value = obj.get(name)
        if "schema" in prop and isinstance(value, dict):
            validate(value)
        if "schema" in prop.get("items", {}) and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    validate(item)


def _moved(obj, base: str):
    """The example with its addresses on this server."""
    return json.loads(json.dumps(obj).replace(EXAMPLE_HOST, base))


class World:
    def __init__(self, base: str, *, extra_papers: int = 24, page_size: int = 10) -> None:
        self.base = base
        self.page_size = page_size
        system = _moved(example("System-01"), base)
        system.update(id=f"{base}/", body=f"{base}/bodies")
        body = _moved(example("Body-01"), base)
        body.update(ags=DUEREN_AGS, name="Kreis Düren", shortName="Düren", system=f"{base}/")
        committee = _moved(example("Organization-01"), base)
        kreistag = copy.deepcopy(committee)
        kreistag.update(id=f"{base}/organization/96", name="Kreistag", shortName="KT", classification="Kreistag")
        meeting = _moved(example("Meeting-01"), base)
        for number, item in enumerate(meeting["agendaItem"], start=1):
            item["order"] = number  # required by AgendaItem.json, missing in the example
        kreistag_meeting = copy.deepcopy(meeting)
        kreistag_meeting.update(
            id=f"{base}/meeting/243",
            name="12. Sitzung des Kreistags",
            start="2025-03-12T17:00:00+01:00",
            end="2025-03-12T20:00:00+01:00",
            organization=[kreistag["id"]],
            modified="2025-03-13T09:00:00+01:00",
        )
        kreistag_meeting["agendaItem"] = [
            {
                **meeting["agendaItem"][0],
                "id": f"{base}/agendaitem/15569",
                "meeting": kreistag_meeting["id"],
                "number": "7",
                "order": 7,
                "name": "Klimaschutzkonzept des Kreises",
                "consultation": f"{base}/consultation/47594",
                "result": "Beschlossen",
                "modified": "2025-03-13T09:00:00+01:00",
            }
        ]
        paper = _moved(example("Paper-01"), base)
        paper.update(reference="2025/123", name="Klimaschutzkonzept des Kreises Düren", date="2025-02-20")
        paper["web"] = f"{base}/vorlagen/2025-123"
        paper["consultation"][0]["organization"] = [kreistag["id"]]
        self.system, self.body = system, body
        self.lists: dict[str, list[dict]] = {
            "organizations": [committee, kreistag],
            "meetings": [meeting, kreistag_meeting],
            "agendaItems": [{**item} for m in (meeting, kreistag_meeting) for item in m["agendaItem"]],
            "papers": [paper] + [self.derived_paper(paper, n) for n in range(extra_papers)],
            "consultations": [],
        }
        self.faults: dict[str, str] = {}
        self.overrides: dict[str, object] = {}
        self.requests: list[tuple[str, dict]] = []
        for obj in self.objects():
            validate(obj)

    def derived_paper(self, paper: dict, n: int) -> dict:
        derived = copy.deepcopy(paper)
        derived.update(
            id=f"{self.base}/paper/{1000 + n}",
            reference=f"2025/{200 + n}",
            name=f"Antrag Nr. {n}: Photovoltaik auf Schulen",
            date="2025-01-15",
            modified="2025-01-15T10:00:00+01:00",
            consultation=[],
        )
        derived.pop("web", None)
        return derived

    def add_consultation(self, paper_index: int, *, meeting: str = "/meeting/281", role: str = "Vorberatung") -> dict:
        """A new consultation of a paper (as a council adds one), modified now."""
        paper = self.lists["papers"][paper_index]
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        consultation = {
            "id": f"{self.base}/consultation/{9000 + len(paper['consultation'])}-{paper_index}",
            "type": "https://schema.oparl.org/1.1/Consultation",
            "meeting": f"{self.base}{meeting}",
            "agendaItem": f"{self.base}/agendaitem/3271",
            "organization": [f"{self.base}/organization/34"],
            "authoritative": False,
            "role": role,
            "created": now,
            "modified": now,
        }
        paper["consultation"].append(consultation)
        paper["modified"] = now
        validate(paper)
        return consultation

    def objects(self):
        yield self.system
        yield self.body
        for items in self.lists.values():
            yield from items

    # --- answers -------------------------------------------------------------------------------------

    def answer(self, raw: str, headers) -> tuple[int, bytes]:
        self.requests.append((raw, dict(headers)))
        parts = urlsplit(raw)
        path, query = parts.path, parse_qs(parts.query)
        fault = self.faults.get(path)
        if fault == "500":
            return 500, b'{"error": "internal"}'
        if fault == "slow":
            time.sleep(3)
        if fault == "malformed":
            return 200, b'{"id": "broken", "type": '
        if fault == "huge":
            return 200, json.dumps({"data": [], "padding": "x" * 200_000}).encode()
        if fault == "304":
            return 304, b""
        if path in self.overrides:
            value = self.overrides[path]
            return 200, value if isinstance(value, bytes) else json.dumps(value).encode()
        if path in ("/", ""):
            return 200, json.dumps(self.system).encode()
        if path == "/bodies":
            return 200, json.dumps(self._page([self.body], query, "/bodies")).encode()
        if path == "/body/0":
            return 200, json.dumps(self.body).encode()
        name = path.removeprefix("/body/0/").strip("/")
        if name in self.lists:
            return 200, json.dumps(self._page(self.lists[name], query, path)).encode()
        return 404, b'{"error": "not found"}'

    def _page(self, items: list[dict], query: dict, path: str) -> dict:
        since = query.get("modified_since", [None])[0]
        if since:
            moment = datetime.fromisoformat(since)
            items = [
                o for o in items if datetime.fromisoformat(o.get("modified", "1970-01-01T00:00:00+00:00")) > moment
            ]
        page = int(query.get("page", ["1"])[0])
        size = self.page_size
        chunk = items[(page - 1) * size : page * size]
        pages = max(1, -(-len(items) // size))
        extra = f"&modified_since={since}" if since else ""
        links = {"first": f"{self.base}{path}?page=1{extra}", "last": f"{self.base}{path}?page={pages}{extra}"}
        if page < pages:
            links["next"] = f"{self.base}{path}?page={page + 1}{extra}"
        if page > 1:
            links["prev"] = f"{self.base}{path}?page={page - 1}{extra}"
        for obj in chunk:
            validate(obj)
        pagination = {"totalElements": len(items), "elementsPerPage": size, "currentPage": page, "totalPages": pages}
        return {"data": chunk, "pagination": pagination, "links": links}


class Handler(BaseHTTPRequestHandler):
    world: World

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, body = self.world.answer(self.path, self.headers)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size limit)

    def log_message(self, *args) -> None:
        pass


class OParlServer:
    """Started once per test module; ``reset()`` gives each test a fresh world."""

    def __init__(self) -> None:
        handler = type("BoundHandler", (Handler,), {})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.handler = handler
        self.reset()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reset(self, **options) -> World:
        self.world = World(self.base, **options)
        self.handler.world = self.world
        return self.world

    @property
    def system_url(self) -> str:
        return f"{self.base}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
