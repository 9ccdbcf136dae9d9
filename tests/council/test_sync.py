"""Reading a council information system: against the local OParl 1.1 server (server.py), over real HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from django.utils.translation import override

from measures.council import sync
from measures.council.messages import error_message
from measures.council.models import (
    CouncilAgendaItem,
    CouncilConsultation,
    CouncilEndpoint,
    CouncilMeeting,
    CouncilOrganization,
    CouncilPaper,
    SyncError,
)
from measures.council.tasks import endpoint_sync, endpoints_sync_all
from tests.council.server import DUEREN_AGS
from tests.networks.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(oparl):
    organisation = OrganisationFactory(kind="county", ags=DUEREN_AGS, name="Kreis Düren (Test)")
    return CouncilEndpoint.objects.create(organisation=organisation, system_url=oparl.system_url)


def _run(endpoint) -> CouncilEndpoint:
    sync.endpoint_sync(endpoint_id=endpoint.pk)
    return CouncilEndpoint.objects.get(pk=endpoint.pk)


def _paths(world) -> list[str]:
    return [raw for raw, _headers in world.requests]


def test_reads_system_body_and_every_list_over_all_pages(oparl, endpoint):
    endpoint = _run(endpoint)
    assert endpoint.last_error == "" and endpoint.last_success_at is not None
    assert endpoint.body_url == f"{oparl.base}/body/0" and endpoint.body_name == "Kreis Düren"
    assert CouncilPaper.objects.filter(endpoint=endpoint).count() == 25  # 3 pages of 10
    assert {"/body/0/papers/?page=2", "/body/0/papers/?page=3"} <= set(_paths(oparl.world))
    assert CouncilOrganization.objects.filter(endpoint=endpoint).count() == 2
    assert CouncilMeeting.objects.filter(endpoint=endpoint).count() == 2
    assert CouncilAgendaItem.objects.filter(endpoint=endpoint).count() == 2
    paper = CouncilPaper.objects.get(endpoint=endpoint, reference="2025/123")
    assert (paper.name, paper.date, paper.paper_type) == (
        "Klimaschutzkonzept des Kreises Düren",
        date(2025, 2, 20),
        "Beantwortung einer Anfrage",
    )
    assert paper.web_url == f"{oparl.base}/vorlagen/2025-123"
    assert [f["name"] for f in paper.files] == ["Anlage 1 zur Anfrage", "Anlage 1 zur Anfrage"]
    assert paper.files[0]["url"] == f"{oparl.base}/files/57737.pdf"  # files: links only


def test_a_consultation_carries_its_meeting_committee_and_result(oparl, endpoint):
    _run(endpoint)
    consultation = CouncilConsultation.objects.get(paper__reference="2025/123")
    assert consultation.meeting_date == date(2025, 3, 12)
    assert consultation.organization_name == "Kreistag"
    assert consultation.result == "Beschlossen"
    assert (consultation.role, consultation.authoritative) == ("Beschlussfassung", False)


def test_the_body_with_the_organisations_ags_is_chosen(oparl, endpoint):
    other = {**oparl.world.body, "id": f"{oparl.base}/body/9", "ags": "05315000", "name": "Stadt Köln"}
    oparl.world.overrides["/bodies"] = {"data": [other, oparl.world.body], "links": {}}
    assert _run(endpoint).body_url == f"{oparl.base}/body/0"


def test_twice_is_once_and_the_next_reading_asks_only_for_changes(oparl, endpoint):
    first = _run(endpoint).synced_since
    counts = CouncilPaper.objects.count(), CouncilConsultation.objects.count()
    seen = CouncilConsultation.objects.get(paper__reference="2025/123").first_seen_at
    oparl.world.requests.clear()
    _run(endpoint)
    assert (CouncilPaper.objects.count(), CouncilConsultation.objects.count()) == counts
    assert CouncilConsultation.objects.get(paper__reference="2025/123").first_seen_at == seen
    first_papers = next(raw for raw, _h in oparl.world.requests if raw.startswith("/body/0/papers/"))
    since = parse_qs(urlsplit(first_papers).query)["modified_since"][0]
    assert abs((timezone.datetime.fromisoformat(since) - first).total_seconds()) < 1
    headers = next(h for raw, h in oparl.world.requests if raw.startswith("/body/0/papers/"))
    assert "If-Modified-Since" in headers


def test_a_new_consultation_is_read_on_the_next_run(oparl, endpoint):
    endpoint = _run(endpoint)
    CouncilEndpoint.objects.filter(pk=endpoint.pk).update(synced_since=timezone.now() - timedelta(minutes=1))
    oparl.world.add_consultation(0)
    _run(endpoint)
    paper = CouncilPaper.objects.get(reference="2025/123")
    new = paper.consultations.get(role="Vorberatung")
    assert (new.organization_name, new.result, new.meeting_date) == (
        "Ausschuss für Haushalt und Finanzen",
        "Geändert beschlossen",
        date(2013, 1, 4),
    )


def test_a_page_limit_keeps_the_next_page_for_the_next_run(oparl, endpoint, settings):
    settings.COUNCIL_MAX_PAGES = 1
    endpoint = _run(endpoint)
    assert CouncilPaper.objects.count() == 10
    assert endpoint.cursors["paper"].endswith("/body/0/papers/?page=2") and endpoint.synced_since is None
    endpoint = _run(endpoint)
    endpoint = _run(endpoint)
    assert CouncilPaper.objects.count() == 25 and "paper" not in endpoint.cursors
    assert endpoint.synced_since is not None


def test_a_paper_marked_deleted_leaves_the_search(oparl, endpoint):
    _run(endpoint)
    CouncilEndpoint.objects.filter(pk=endpoint.pk).update(synced_since=timezone.now() - timedelta(minutes=1))
    gone = oparl.world.lists["papers"][3]
    gone.update(deleted=True, modified=timezone.now().isoformat(timespec="seconds"))
    _run(endpoint)
    assert CouncilPaper.objects.get(oparl_id=gone["id"]).deleted
    assert not CouncilPaper.objects.current().filter(oparl_id=gone["id"]).exists()


def test_a_page_pointing_back_to_itself_ends_the_list(oparl, endpoint):
    loop = {"data": [], "links": {"next": f"{oparl.base}/body/0/meetings/"}}
    oparl.world.overrides["/body/0/meetings/"] = loop
    assert _run(endpoint).last_error == ""
    assert _paths(oparl.world).count("/body/0/meetings/") == 1


@pytest.mark.parametrize(
    ("path", "fault", "code", "german"),
    [
        ("/body/0/papers/", "500", SyncError.HTTP_STATUS, "hat mit einem Fehler geantwortet (HTTP 500"),
        ("/body/0/papers/", "slow", SyncError.TIMEOUT, "hat nicht rechtzeitig geantwortet"),
        ("/", "malformed", SyncError.NOT_JSON, "hat nicht mit gültigem JSON geantwortet"),
        ("/body/0/meetings/", "huge", SyncError.TOO_LARGE, "war zu groß"),
    ],
)
def test_a_failure_is_stored_with_a_clear_message(oparl, endpoint, settings, path, fault, code, german):
    settings.COUNCIL_MAX_BYTES = 100_000
    oparl.world.faults[path] = fault
    endpoint = _run(endpoint)
    assert (endpoint.last_error, endpoint.state) == (code, CouncilEndpoint.State.IDLE)
    assert endpoint.last_error_url.startswith(oparl.base + path)
    with override("de"):
        assert german in error_message(endpoint)
    with override("en"):
        assert "council information system" in error_message(endpoint).lower()


def test_what_was_read_before_a_failure_is_kept_and_the_next_run_goes_on(oparl, endpoint):
    oparl.world.faults["/body/0/papers/"] = "500"
    endpoint = _run(endpoint)
    assert CouncilMeeting.objects.count() == 2 and CouncilPaper.objects.count() == 0
    del oparl.world.faults["/body/0/papers/"]
    endpoint = _run(endpoint)
    assert endpoint.last_error == "" and CouncilPaper.objects.count() == 25


def test_not_an_oparl_system(oparl, endpoint):
    oparl.world.overrides["/"] = {"id": "x", "type": "https://example.org/Thing"}
    endpoint = _run(endpoint)
    assert endpoint.last_error == SyncError.NOT_OPARL
    with override("de"):
        assert "OParl" in error_message(endpoint)


def test_a_private_address_is_refused_unless_allowed(oparl, endpoint, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    endpoint = _run(endpoint)
    assert endpoint.last_error == SyncError.REFUSED and oparl.world.requests == []
    with override("de"):
        assert "privates oder internes Netz" in error_message(endpoint)


def test_plain_http_is_refused_by_default(oparl, endpoint, settings):
    del settings.COUNCIL_HTTPS_ONLY
    assert _run(endpoint).last_error == SyncError.REFUSED and oparl.world.requests == []


def test_a_running_reading_is_not_started_twice(oparl, endpoint):
    CouncilEndpoint.objects.filter(pk=endpoint.pk).update(state=CouncilEndpoint.State.RUNNING)
    assert sync.endpoint_sync(endpoint_id=endpoint.pk) is None and oparl.world.requests == []
    stale = timezone.now() - sync.STALE_RUN - timedelta(minutes=1)
    CouncilEndpoint.objects.filter(pk=endpoint.pk).update(updated_at=stale)
    assert sync.endpoint_sync(endpoint_id=endpoint.pk) is not None


def test_demo_endpoints_are_never_read(oparl, endpoint):
    CouncilEndpoint.objects.filter(pk=endpoint.pk).update(is_demo=True)
    assert endpoints_sync_all() == 0
    endpoint_sync(endpoint.pk)
    assert oparl.world.requests == []


def test_the_nightly_task_reads_every_endpoint(oparl, endpoint):
    assert endpoints_sync_all() == 1  # eager in the tests
    assert CouncilPaper.objects.filter(endpoint=endpoint).count() == 25


def test_hostile_answers_are_stored_or_cleaned_never_raised(oparl, endpoint):
    paper = oparl.world.lists["papers"][0]
    paper.update(name="Klima\x00schutz", reference="2025/\x00123", date="2025-13-45", modified="kein Datum")
    paper["consultation"][0]["organization"] = ["https://x.example/" + "o" * 600]
    endpoint = _run(endpoint)
    assert endpoint.last_error == ""
    stored = CouncilPaper.objects.get(oparl_id=paper["id"])
    assert (stored.name, stored.reference, stored.date, stored.modified) == ("Klimaschutz", "2025/123", None, None)
    oparl.world.overrides["/body/0/meetings/"] = b"[" * 100_000 + b"]" * 100_000
    assert _run(endpoint).last_error == SyncError.NOT_JSON


def test_an_unexpected_error_is_stored_and_logged(oparl, endpoint, monkeypatch, caplog):
    def broken(run, objects):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sync, "LISTS", (("paper", broken),))
    endpoint = _run(endpoint)
    assert (endpoint.last_error, endpoint.state) == (SyncError.UNEXPECTED, CouncilEndpoint.State.IDLE)
    assert "failed" in caplog.text
    with override("de"):
        assert "unerwartet" in error_message(endpoint)
