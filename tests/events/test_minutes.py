"""Minutes, outcomes, documents and the network's action items (issue 3 §4)."""

import base64
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events import services
from events.models import Document, Event, Notice, Outcome, Registration, Visibility
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, OutcomeFactory, RegistrationFactory, in_days
from tests.helpers import de
from tests.networks import factories as f

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

EVIL_MARKDOWN = """## Ergebnisse

<script>alert('xss')</script>
<img src="x" onerror="alert(1)">
<p onclick="alert(2)">Klick</p>
[Harmlos](javascript:alert(3))
<a href="javascript:alert(4)">Link</a>

**Wärmeplanung** ist das Hauptthema.
"""
# What must not reach the page as markup. The Markdown link to javascript:alert(3) stands in the HTML block the
# <img> line opens (CommonMark), so it stays visible text: never a link, never run.
EVIL_MARKERS = ["<script", "alert('xss')", "alert(1)", "alert(2)", "alert(4)", "onerror", "onclick"]
EVIL_MARKERS += ['href="javascript:', "<img"]

MANAGE_MATRIX = [
    ("anonymous", 302),  # to the login page
    ("citizen", 404),
    ("other_network", 404),
    ("member", 403),
    ("coordinator", "ok"),
    ("editor", 404),
    ("staff", "ok"),
]


@pytest.fixture
def past_event(personas):
    return EventFactory(network=personas.network, starts_at=in_days(-2), title="Netzwerktreffen Wärmeplanung")


@pytest.fixture
def public_event(personas):
    return EventFactory(network=personas.network, visibility=Visibility.PUBLIC, starts_at=in_days(-3))


@pytest.fixture
def foreign_event(personas):
    return EventFactory(network=personas.other, starts_at=in_days(-2))


def _url(name, event, *extra):
    return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


def _expected(status, ok):
    return ok if status == "ok" else status


def _document(event, content=PDF, name="folien.pdf", content_type="application/pdf", **kwargs):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return services.document_add(
        event=event, upload=upload, kind=Document.Kind.SLIDES, title=kwargs.get("title", ""), by=None
    )


def _preview(page: str) -> str:
    """The rendered minutes on the editing page (the textarea above it holds the raw Markdown)."""
    return page.split('<div class="minutes-text">', 1)[1].split("</div>", 1)[0]


# --- Permission matrices ---------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_minutes_edit_get_permissions(client, personas, past_event, persona, status):
    personas.login(client, persona)
    assert client.get(_url("minutes-edit", past_event)).status_code == _expected(status, 200)


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_minutes_edit_post_permissions(client, personas, past_event, persona, status):
    personas.login(client, persona)
    response = client.post(_url("minutes-edit", past_event), {"minutes": "Protokoll"})
    assert response.status_code == _expected(status, 302)
    past_event.refresh_from_db()
    assert (past_event.minutes == "Protokoll") == (status == "ok")


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_outcome_create_permissions(client, personas, past_event, persona, status):
    personas.login(client, persona)
    response = client.post(_url("outcome-create", past_event), {"outcome-kind": "decision", "outcome-text": "Ja"})
    assert response.status_code == _expected(status, 302)
    assert past_event.outcomes.count() == (1 if status == "ok" else 0)


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_outcome_delete_permissions(client, personas, past_event, persona, status):
    outcome = OutcomeFactory(event=past_event)
    personas.login(client, persona)
    response = client.post(_url("outcome-delete", past_event, outcome.pk))
    assert response.status_code == _expected(status, 302)
    assert Outcome.objects.filter(pk=outcome.pk).exists() == (status != "ok")


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_document_upload_permissions(client, personas, past_event, persona, status):
    personas.login(client, persona)
    assert client.get(_url("document-upload", past_event)).status_code == _expected(status, 200)
    upload = SimpleUploadedFile("folien.pdf", PDF, content_type="application/pdf")
    response = client.post(_url("document-upload", past_event), {"title": "Folien", "kind": "slides", "file": upload})
    assert response.status_code == _expected(status, 302)
    assert past_event.documents.count() == (1 if status == "ok" else 0)


@pytest.mark.parametrize(("persona", "status"), MANAGE_MATRIX)
def test_document_delete_permissions(client, personas, past_event, persona, status):
    document = _document(past_event)
    personas.login(client, persona)
    response = client.post(_url("document-delete", past_event, document.pk))
    assert response.status_code == _expected(status, 302)
    assert Document.objects.filter(pk=document.pk).exists() == (status != "ok")


@pytest.mark.parametrize(
    ("persona", "network_only", "public"),
    [
        ("anonymous", 404, 200),
        ("citizen", 404, 200),
        ("other_network", 404, 200),
        ("member", 200, 200),
        ("coordinator", 200, 200),
        ("editor", 404, 200),
        ("staff", 200, 200),
    ],
)
def test_document_download_is_visible_like_the_event(
    client, personas, past_event, public_event, persona, network_only, public
):
    internal, open_ = _document(past_event), _document(public_event)
    personas.login(client, persona)
    assert client.get(_url("document-download", past_event, internal.pk)).status_code == network_only
    assert client.get(_url("document-download", public_event, open_.pk)).status_code == public


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("other_network", 404),
        ("member", 403),  # a member, but not the owner
        ("coordinator", 302),
        ("editor", 404),
        ("staff", 302),
    ],
)
def test_action_item_status_permissions(client, personas, past_event, persona, status):
    item = OutcomeFactory(event=past_event)  # owned by someone else
    personas.login(client, persona)
    response = client.post(
        reverse("events:action-item-status", args=[personas.network.slug, item.pk]), {"status": "done"}
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.status == Outcome.Status.DONE) == (status == 302 and persona != "anonymous")


def test_private_network_is_a_404_for_outsiders(client, personas, past_event):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    document = _document(past_event)
    personas.login(client, "other_network")
    assert client.get(_url("minutes-edit", past_event)).status_code == 404
    assert client.get(_url("document-download", past_event, document.pk)).status_code == 404
    assert client.get(reverse("events:action-items", args=[personas.network.slug])).status_code == 404


def test_action_items_empty_state_says_where_they_come_from_or_that_filters_exclude_them(client, personas):
    personas.login(client, "member")
    url = reverse("events:action-items", args=[personas.network.slug])
    page = client.get(url).content.decode()
    filtered = client.get(url, {"status": "done"}).content.decode()
    where = de(
        "The network has no action items yet. They are agreed in the minutes of an event: open a past event and "
        "write its minutes, with who does what by when."
    )
    none_match = de("No action items match these filters.")
    assert where in page and none_match not in page
    assert none_match in filtered and de("Show all action items") in filtered and where not in filtered


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("outcome-create", "get"),
        ("outcome-delete", "get"),
        ("document-delete", "get"),
        ("document-download", "post"),
        ("minutes-edit", "put"),
    ],
)
def test_wrong_methods_are_refused(client, personas, past_event, name, method):
    outcome, document = OutcomeFactory(event=past_event), _document(past_event)
    extra = {"outcome-delete": [outcome.pk], "document-delete": [document.pk], "document-download": [document.pk]}
    personas.login(client, "coordinator")
    assert getattr(client, method)(_url(name, past_event, *extra.get(name, []))).status_code == 405
    assert client.post(reverse("events:action-items", args=[personas.network.slug])).status_code == 405
    assert client.get(reverse("events:action-item-status", args=[personas.network.slug, outcome.pk])).status_code == 405


# --- Minutes ----------------------------------------------------------------------------


def test_minutes_are_sanitised_in_the_preview_and_on_the_event_page(client, personas, past_event):
    personas.login(client, "coordinator")
    client.post(_url("minutes-edit", past_event), {"minutes": EVIL_MARKDOWN, "publish": "on"})
    past_event.refresh_from_db()
    assert past_event.minutes == EVIL_MARKDOWN.strip()  # stored as written, cleaned when shown

    preview = _preview(client.get(_url("minutes-edit", past_event)).content.decode())
    assert "<strong>Wärmeplanung</strong>" in preview and "<h4>Ergebnisse</h4>" in preview
    for bad in EVIL_MARKERS:
        assert bad not in preview

    html = render_to_string(
        "events/partials/minutes.html",
        {
            "network": personas.network,
            "event": past_event,
            "is_member": True,
            "can_manage": False,
            "minutes_html": past_event.minutes_html,
            "minutes_visible": True,
            "outcomes": [],
        },
    )
    assert "<strong>Wärmeplanung</strong>" in html
    for bad in EVIL_MARKERS:
        assert bad not in html


def test_publishing_notifies_each_participant_once(client, personas, past_event, django_capture_on_commit_callbacks):
    registered = RegistrationFactory(event=past_event, person=personas.people["member"])
    attended = RegistrationFactory(event=past_event, status=Registration.Status.ATTENDED)
    cancelled = RegistrationFactory(event=past_event, status=Registration.Status.CANCELLED)
    waiting = RegistrationFactory(event=past_event, status=Registration.Status.WAITING)
    RegistrationFactory(event=EventFactory(network=personas.network), person=personas.people["member"])
    personas.login(client, "coordinator")
    url = _url("minutes-edit", past_event)

    client.post(url, {"minutes": "Entwurf"})  # saved, not published: nobody is told
    assert not OutboxMessage.objects.filter(reason="event_minutes").exists()

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"minutes": "## Protokoll\n\nBeschlossen.", "publish": "on"})
    assert response.status_code == 302
    past_event.refresh_from_db()
    assert past_event.minutes_published_at is not None
    rows = OutboxMessage.objects.filter(reason="event_minutes")
    expected = {registered.person.user.email, attended.person.user.email}
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(expected)
    assert cancelled.person.user.email not in expected and waiting.person.user.email not in expected

    # Saving again, withdrawing and publishing again: nobody gets a second email.
    client.post(url, {"minutes": "## Protokoll\n\nBeschlossen. Ergänzt."})
    client.post(url, {"minutes": "## Protokoll\n\nBeschlossen.", "unpublish": "on"})
    past_event.refresh_from_db()
    assert past_event.minutes_published_at is None
    client.post(url, {"minutes": "## Protokoll\n\nBeschlossen.", "publish": "on"})
    past_event.refresh_from_db()
    assert past_event.minutes_published_at is not None
    assert rows.count() == 2
    assert Notice.objects.filter(kind=Notice.Kind.MINUTES).count() == 2


def test_published_minutes_show_the_date_and_offer_withdrawal(client, personas, past_event):
    services.minutes_save(event=past_event, text="Text", publish=True, by=None)
    personas.login(client, "coordinator")
    page = client.get(_url("minutes-edit", past_event)).content.decode()
    assert "Already published on" in page or "Bereits veröffentlicht am" in page
    assert 'name="unpublish"' in page and 'name="publish"' not in page


def test_publishing_empty_minutes_is_a_form_error(client, personas, past_event):
    personas.login(client, "coordinator")
    response = client.post(_url("minutes-edit", past_event), {"minutes": "   ", "publish": "on"})
    assert response.status_code == 400
    assert response.context["minutes_form"].errors["minutes"]
    past_event.refresh_from_db()
    assert past_event.minutes_published_at is None


def test_overlong_minutes_are_a_form_error(client, personas, past_event):
    personas.login(client, "coordinator")
    response = client.post(_url("minutes-edit", past_event), {"minutes": "x" * 100_001})
    assert response.status_code == 400 and response.context["minutes_form"].errors["minutes"]
    past_event.refresh_from_db()
    assert past_event.minutes == ""


def test_minutes_of_another_networks_event_are_a_404(client, personas, foreign_event):
    personas.login(client, "coordinator")
    url = reverse("events:minutes-edit", args=[personas.network.slug, foreign_event.pk])
    assert client.post(url, {"minutes": "Gekapert", "publish": "on"}).status_code == 404
    foreign_event.refresh_from_db()
    assert foreign_event.minutes == "" and foreign_event.minutes_published_at is None


# --- Outcomes -----------------------------------------------------------------------------


def test_coordinator_records_outcomes_with_person_or_organisation(client, personas, past_event):
    membership = f.MembershipFactory(network=personas.network)
    personas.login(client, "coordinator")
    url = _url("outcome-create", past_event)
    due = (date.today() + timedelta(days=30)).isoformat()
    assert (
        client.post(url, {"outcome-kind": "decision", "outcome-text": "Wärmeplanung wird Hauptthema"}).status_code
        == 302
    )
    data = {"outcome-kind": "action", "outcome-text": "Ausschreibung teilen", "outcome-due_date": due}
    assert client.post(url, {**data, "outcome-owner_person": personas.people["member"].pk}).status_code == 302
    data["outcome-text"] = "Daten liefern"
    assert client.post(url, {**data, "outcome-owner_organisation": membership.organisation_id}).status_code == 302
    outcomes = {o.text: o for o in past_event.outcomes.all()}
    assert outcomes["Ausschreibung teilen"].owner_person == personas.people["member"]
    assert outcomes["Daten liefern"].owner_organisation == membership.organisation
    page = client.get(_url("minutes-edit", past_event)).content.decode()
    assert "Wärmeplanung wird Hauptthema" in page and membership.organisation.name in page
    kind = page.split('name="outcome-kind"')[1].split("</select>")[0]
    assert f'<option value="" selected>{de("Please choose")}</option>' in kind and "-----" not in kind
    assert client.post(url, {"outcome-kind": "", "outcome-text": "Ohne Art"}).status_code == 400  # the form again
    assert not past_event.outcomes.filter(text="Ohne Art").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome-kind": "action", "outcome-text": "Ohne Verantwortliche"}, "owner_person"),
        ({"outcome-kind": "action", "outcome-text": "Zwei", "owner": "both"}, "owner_organisation"),
        ({"outcome-kind": "decision", "outcome-text": "Mit Person", "owner": "person"}, "owner_person"),
        ({"outcome-kind": "idea", "outcome-text": "Mit Frist", "outcome-due_date": "2030-01-01"}, "due_date"),
        ({"outcome-kind": "action", "outcome-text": "Fremde Person", "owner": "outsider"}, "owner_person"),
        ({"outcome-kind": "action", "outcome-text": "Fremde Org", "owner": "foreign_org"}, "owner_organisation"),
        ({"outcome-kind": "action", "outcome-text": "Ehemalige Org", "owner": "former_org"}, "owner_organisation"),
        ({"outcome-kind": "task", "outcome-text": "Unbekannte Art"}, "kind"),
        ({"outcome-kind": "decision", "outcome-text": ""}, "text"),
        ({"outcome-kind": "decision", "outcome-text": "x" * 501}, "text"),
        (
            {"outcome-kind": "action", "owner": "person", "outcome-text": "Datum", "outcome-due_date": "morgen"},
            "due_date",
        ),
    ],
)
def test_outcome_rules_are_form_errors(client, personas, past_event, data, field):
    member = personas.people["member"]
    membership = f.MembershipFactory(network=personas.network)
    foreign = f.MembershipFactory(network=personas.other)
    former = f.MembershipFactory(network=personas.network, since=date(2020, 1, 1), until=date(2021, 1, 1))
    owners = {
        "both": {"outcome-owner_person": member.pk, "outcome-owner_organisation": membership.organisation_id},
        "person": {"outcome-owner_person": member.pk},
        "outsider": {"outcome-owner_person": personas.people["other_network"].pk},
        "foreign_org": {"outcome-owner_organisation": foreign.organisation_id},
        "former_org": {"outcome-owner_organisation": former.organisation_id},
    }
    data = {**data, **owners.get(data.pop("owner", None), {})}
    personas.login(client, "coordinator")
    response = client.post(_url("outcome-create", past_event), data)
    assert response.status_code == 400
    assert response.context["outcome_form"].errors[field]
    assert not past_event.outcomes.exists()


def test_outcome_of_another_event_cannot_be_deleted_through_this_one(client, personas, past_event, foreign_event):
    other_event_here = EventFactory(network=personas.network)
    mine, foreign = OutcomeFactory(event=other_event_here), OutcomeFactory(event=foreign_event)
    personas.login(client, "coordinator")
    assert client.post(_url("outcome-delete", past_event, mine.pk)).status_code == 404
    assert client.post(_url("outcome-delete", past_event, foreign.pk)).status_code == 404
    assert Outcome.objects.filter(pk__in=[mine.pk, foreign.pk]).count() == 2


def test_outcome_for_another_networks_event_is_a_404(client, personas, foreign_event):
    personas.login(client, "coordinator")
    url = reverse("events:outcome-create", args=[personas.network.slug, foreign_event.pk])
    assert client.post(url, {"outcome-kind": "decision", "outcome-text": "Gekapert"}).status_code == 404
    assert not foreign_event.outcomes.exists()


# --- Documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "inline"),
    [
        ("folien.pdf", PDF, "application/pdf", True),
        ("foto.png", PNG, "image/png", True),
    ],
)
def test_upload_and_download(client, personas, past_event, name, content, content_type, inline):
    personas.login(client, "coordinator")
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(_url("document-upload", past_event), {"title": "", "kind": "photo", "file": upload})
    assert response.status_code == 302 and response["Location"].endswith(past_event.get_absolute_url() + "#documents")
    document = past_event.documents.get()
    assert document.content_type == content_type and document.size == len(content) and document.title == name

    personas.login(client, "member")
    response = client.get(_url("document-download", past_event, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment") and name in disposition


def test_office_documents_are_downloaded_as_attachment(client, personas, past_event):
    document = _document(past_event)
    Document.objects.filter(pk=document.pk).update(
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    personas.login(client, "member")
    response = client.get(_url("document-download", past_event, document.pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", EXE, "type"),
        ("praesentation.pdf", EXE, "type"),  # a renamed .exe
        ("slides.pdf", HTML, "type"),  # HTML called slides.pdf
        ("leer.pdf", b"", "empty"),
        ("gross.pdf", PDF + b"0" * (21 * 1024 * 1024), "too_large"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_error(client, personas, past_event, name, content, code):
    personas.login(client, "coordinator")
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    data = {"title": "X", "kind": "slides", "file": upload}
    response = client.post(_url("document-upload", past_event), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    (error,) = response.context["form"].errors.as_data()["file"]
    assert error.code == code
    assert error.messages[0] and escape(error.messages[0]) in response.content.decode()  # shown, in any language
    assert not Document.objects.exists()


def test_upload_without_file_or_with_unknown_kind_is_a_form_error(client, personas, past_event):
    personas.login(client, "coordinator")
    response = client.post(_url("document-upload", past_event), {"title": "X", "kind": "slides"})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    upload = SimpleUploadedFile("a.pdf", PDF)
    response = client.post(_url("document-upload", past_event), {"title": "X", "kind": "virus", "file": upload})
    assert response.status_code == 400 and response.context["form"].errors["kind"]
    assert not Document.objects.exists()


def test_document_ids_of_other_events_are_a_404(client, personas, past_event, foreign_event):
    sibling = EventFactory(network=personas.network, starts_at=in_days(-1))
    here, foreign = _document(sibling), _document(foreign_event)
    personas.login(client, "coordinator")
    for document in (here, foreign):
        assert client.get(_url("document-download", past_event, document.pk)).status_code == 404
        assert client.post(_url("document-delete", past_event, document.pk)).status_code == 404
    url = reverse("events:document-download", args=[personas.network.slug, foreign_event.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert Document.objects.count() == 2


def test_deleting_a_document_removes_the_file(client, personas, past_event, django_capture_on_commit_callbacks):
    document = _document(past_event)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    personas.login(client, "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("document-delete", past_event, document.pk)).status_code == 302
    assert not Document.objects.exists() and not storage.exists(name)


def test_missing_file_is_a_404_not_a_500(client, personas, past_event):
    document = _document(past_event)
    document.file.storage.delete(document.file.name)
    personas.login(client, "member")
    assert client.get(_url("document-download", past_event, document.pk)).status_code == 404


def test_documents_partial_lists_downloads_and_coordinator_links(personas, past_event):
    document = _document(past_event, title="Folien Wärmeplanung")
    context = {"network": personas.network, "event": past_event, "documents": [document]}
    html = render_to_string("events/partials/documents.html", {**context, "can_manage": False})
    assert _url("document-download", past_event, document.pk) in html and "Folien Wärmeplanung" in html
    assert (
        _url("document-upload", past_event) not in html and _url("document-delete", past_event, document.pk) not in html
    )
    html = render_to_string(
        "events/partials/documents.html", {**context, "can_manage": True}, request=RequestFactory().get("/")
    )
    assert _url("document-upload", past_event) in html and _url("document-delete", past_event, document.pk) in html


# --- Action items ---------------------------------------------------------------------------


def _items_url(network, **query):
    url = reverse("events:action-items", args=[network.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_action_items_list_open_first_overdue_marked_with_owners(client, personas, past_event, foreign_event):
    organisation = f.MembershipFactory(network=personas.network).organisation
    member = personas.people["member"]
    done = OutcomeFactory(event=past_event, text="Erledigte Aufgabe", status=Outcome.Status.DONE, owner_person=member)
    overdue = OutcomeFactory(
        event=past_event, text="Überfällige Aufgabe", owner_person=None, owner_organisation=organisation,
        due_date=date.today() - timedelta(days=3),
    )  # fmt: skip
    upcoming = OutcomeFactory(event=past_event, text="Kommende Aufgabe", owner_person=member)
    OutcomeFactory(event=past_event, kind=Outcome.Kind.DECISION, text="Ein Beschluss", owner_person=None, due_date=None)
    OutcomeFactory(event=foreign_event, text="Fremde Aufgabe")
    personas.login(client, "member")
    response = client.get(_items_url(personas.network))
    page = response.content.decode()
    assert [i.pk for i in response.context["page"]] == [overdue.pk, upcoming.pk, done.pk]
    assert "Ein Beschluss" not in page and "Fremde Aufgabe" not in page
    assert organisation.name in page and member.name in page and past_event.title in page
    row = page.split("Überfällige Aufgabe", 1)[1].split("</tr>", 1)[0]
    assert 'class="overdue"' in row
    assert 'class="overdue"' not in page.split("Kommende Aufgabe", 1)[1].split("</tr>", 1)[0]


def test_action_items_filter_by_status_and_mine(client, personas, past_event):
    member = personas.people["member"]
    mine = OutcomeFactory(event=past_event, owner_person=member, text="Meine")
    ours = OutcomeFactory(event=past_event, owner_person=None, owner_organisation=member.organisation, text="Unsere")
    OutcomeFactory(event=past_event, text="Fremde")
    finished = OutcomeFactory(event=past_event, text="Fertig", status=Outcome.Status.DONE)
    personas.login(client, "member")
    pks = lambda **q: {i.pk for i in client.get(_items_url(personas.network, **q)).context["page"]}  # noqa: E731
    assert pks(mine="on") == {mine.pk, ours.pk}
    assert pks(status="done") == {finished.pk}
    assert pks(status="done", mine="on") == set()
    assert len(pks(status="nonsense")) == 4  # an invalid filter is ignored, not an error


def test_owner_and_organisation_owner_may_change_the_status(client, personas, past_event):
    member = personas.people["member"]
    colleague = f.NetworkRoleFactory(network=personas.network, person__organisation=member.organisation).person
    item = OutcomeFactory(event=past_event, owner_person=None, owner_organisation=member.organisation)
    own = OutcomeFactory(event=past_event, owner_person=member)
    url = lambda o: reverse("events:action-item-status", args=[personas.network.slug, o.pk])  # noqa: E731
    client.force_login(colleague.user)
    response = client.post(url(item), {"status": "done", "back": "status=open&mine=on&evil=x"})
    assert response.status_code == 302
    assert response["Location"] == _items_url(personas.network) + "?status=open&mine=on"
    item.refresh_from_db()
    assert item.status == Outcome.Status.DONE and item.completed_at is not None
    assert client.post(url(own), {"status": "dropped"}).status_code == 403  # not the colleague's own
    personas.login(client, "member")
    assert client.post(url(own), {"status": "dropped"}).status_code == 302
    own.refresh_from_db()
    assert own.status == Outcome.Status.DROPPED and own.completed_at is None


def test_status_change_buttons_only_for_those_who_may(client, personas, past_event):
    member = personas.people["member"]
    own = OutcomeFactory(event=past_event, owner_person=member)
    other = OutcomeFactory(event=past_event)
    personas.login(client, "member")
    page = client.get(_items_url(personas.network)).content.decode()
    assert reverse("events:action-item-status", args=[personas.network.slug, own.pk]) in page
    assert reverse("events:action-item-status", args=[personas.network.slug, other.pk]) not in page
    personas.login(client, "coordinator")
    page = client.get(_items_url(personas.network)).content.decode()
    assert reverse("events:action-item-status", args=[personas.network.slug, other.pk]) in page


@pytest.mark.parametrize("status", ["finished", "", "OPEN"])
def test_unknown_status_is_a_400(client, personas, past_event, status):
    item = OutcomeFactory(event=past_event)
    personas.login(client, "coordinator")
    response = client.post(
        reverse("events:action-item-status", args=[personas.network.slug, item.pk]), {"status": status}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == Outcome.Status.OPEN


def test_status_of_a_decision_or_another_networks_item_is_a_404(client, personas, past_event, foreign_event):
    decision = OutcomeFactory(event=past_event, kind=Outcome.Kind.DECISION, owner_person=None, due_date=None)
    foreign = OutcomeFactory(event=foreign_event)
    personas.login(client, "coordinator")
    for item in (decision, foreign):
        url = reverse("events:action-item-status", args=[personas.network.slug, item.pk])
        assert client.post(url, {"status": "done"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Outcome.Status.OPEN


def test_action_items_queries_are_flat(client, personas, django_assert_num_queries):
    organisation = f.MembershipFactory(network=personas.network).organisation

    def grow(n):
        for i in range(n):
            event = EventFactory(network=personas.network, starts_at=in_days(-i - 1))
            OutcomeFactory(event=event, owner_person=personas.people["member"])
            OutcomeFactory(event=event, owner_person=None, owner_organisation=organisation)

    personas.login(client, "member")
    url = _items_url(personas.network)
    # session and account from the cache (no query); network, role (cached for is_member and is_coordinator), person,
    # count, page of items
    grow(1)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    grow(5)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_minutes_page_queries_are_flat(client, personas, past_event, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            f.NetworkRoleFactory(network=personas.network)
            f.MembershipFactory(network=personas.network)
            OutcomeFactory(event=past_event)

    personas.login(client, "coordinator")
    url = _url("minutes-edit", past_event)
    # session and account from the cache (no query); network, event, role, outcomes, people and organisations for the
    # owner choices, the network's working groups
    grow(2)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    grow(10)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_cancelled_event_documents_still_downloadable(client, personas, past_event):
    document = _document(past_event)
    Event.objects.filter(pk=past_event.pk).update(status=Event.Status.CANCELLED, updated_at=timezone.now())
    personas.login(client, "member")
    assert client.get(_url("document-download", past_event, document.pk)).status_code == 200


# --- The partials on the event page -----------------------------------------------------------


def test_event_page_shows_published_minutes_outcomes_and_documents(client, personas, past_event):
    services.minutes_save(event=past_event, text=EVIL_MARKDOWN, publish=True, by=None)
    OutcomeFactory(event=past_event, text="Aufgabe aus dem Treffen", due_date=date.today() - timedelta(days=1))
    document = _document(past_event, title="Folien zum Treffen")
    url = past_event.get_absolute_url()

    personas.login(client, "member")
    page = client.get(url).content.decode()
    minutes = page.split('id="minutes"', 1)[1].split("</section>", 1)[0]
    assert "<strong>Wärmeplanung</strong>" in minutes and "Aufgabe aus dem Treffen" in minutes
    assert 'class="overdue"' in minutes
    for bad in EVIL_MARKERS:
        assert bad not in minutes
    assert _url("document-download", past_event, document.pk) in page and "Folien zum Treffen" in page
    assert _url("minutes-edit", past_event) not in page and _url("document-upload", past_event) not in page

    personas.login(client, "coordinator")
    page = client.get(url).content.decode()
    assert _url("minutes-edit", past_event) in page and _url("document-upload", past_event) in page
    assert _url("document-delete", past_event, document.pk) in page


def test_public_event_page_shows_minutes_but_not_the_owners_to_outsiders(client, personas, public_event):
    services.minutes_save(event=public_event, text="Öffentliches Protokoll", publish=True, by=None)
    OutcomeFactory(event=public_event, text="Interne Aufgabe", owner_person=personas.people["member"])
    page = client.get(public_event.get_absolute_url()).content.decode()
    assert "Öffentliches Protokoll" in page
    assert "Interne Aufgabe" not in page and personas.people["member"].name not in page


def test_draft_minutes_are_only_shown_to_the_coordination(client, personas, past_event):
    services.minutes_save(event=past_event, text="Geheimer Entwurf", publish=False, by=None)
    personas.login(client, "member")
    assert "Geheimer Entwurf" not in client.get(past_event.get_absolute_url()).content.decode()
    personas.login(client, "coordinator")
    assert "Geheimer Entwurf" in client.get(past_event.get_absolute_url()).content.decode()


def test_media_files_are_not_served_directly(client, personas, past_event):
    document = _document(past_event)
    assert client.get("/media/" + document.file.name).status_code == 404
