"""The coordination composes, previews, tests and sends; the members read the archive. (Who may open which page is
the URL matrix's: tests/security/rooms/announcements.py; here the behaviour behind it.)"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from networks.announcements import services
from networks.announcements.models import Announcement
from networks.models import OutboxMessage
from tests.announcements.factories import AnnouncementFactory
from tests.announcements.html import page as parse
from tests.helpers import assert_flat, messages_of
from tests.networks import factories as f


def _url(name: str, network, *args) -> str:
    return reverse(f"announcements:{name}", args=[network.slug, *args])


def _form(**changes) -> dict:
    return {
        "audience": "members",
        "subject": "Netzwerktreffen am 7. Juni",
        "body": "Wir treffen uns im **Umweltamt**.",
        **changes,
    }


@pytest.fixture
def coordinator_client(client, personas):
    personas.login(client, "coordinator")
    return client


def test_compose_offers_the_audiences_and_saves_a_draft(coordinator_client, personas):
    network = personas.network
    page = parse(coordinator_client.get(_url("announcement-create", network)).content)
    assert {"members", "role:coordinator", "role:member"} <= {o["value"] for o in page.select("#id_audience option")}
    response = coordinator_client.post(_url("announcement-create", network), {**_form(), "action": "save"})
    draft = Announcement.objects.get()
    assert response.status_code == 302 and response.url == _url("announcement-edit", network, draft.pk)
    assert (draft.state, draft.author, draft.audience_label) == (
        "draft",
        personas.people["coordinator"],
        "Alle Mitglieder von KTT",
    )
    assert not OutboxMessage.objects.exists()


def test_a_form_with_errors_keeps_what_was_typed(coordinator_client, personas):
    body = "Ein langer Text, der nicht verloren gehen darf."
    response = coordinator_client.post(
        _url("announcement-create", personas.network), {**_form(subject="", body=body), "action": "send"}
    )
    assert response.status_code == 400
    page = parse(response.content)
    assert page.select_one("#id_body").text.strip() == body
    assert page.select_one(".field-invalid #id_subject") is not None or page.select(".errorlist")
    assert not Announcement.objects.exists()


def test_a_forged_audience_is_a_form_error(coordinator_client, personas):
    foreign = f.WorkingGroupFactory(network=personas.other)
    response = coordinator_client.post(
        _url("announcement-create", personas.network), {**_form(audience=f"group:{foreign.pk}"), "action": "save"}
    )
    assert response.status_code == 400 and not Announcement.objects.exists()


def test_preview_shows_the_email_and_the_count(coordinator_client, personas):
    network = personas.network
    f.NetworkRoleFactory.create_batch(3, network=network)
    response = coordinator_client.post(_url("announcement-create", network), {**_form(), "action": "preview"})
    draft = Announcement.objects.get()
    assert response.url.endswith("#preview")
    page = parse(coordinator_client.get(_url("announcement-edit", network, draft.pk)).content)
    preview = page.select_one("#preview")
    assert "[KTT] Netzwerktreffen am 7. Juni" in preview.text
    assert "5 Personen" in preview.text  # member, coordinator and three more
    assert preview.select_one("strong").text == "5 Personen"
    assert preview.select_one(".minutes-text strong").text == "Umweltamt"  # the rendered Markdown
    assert page.select_one("#id_subject")["value"] == "Netzwerktreffen am 7. Juni"  # the draft keeps everything


def test_send_a_test_to_me(coordinator_client, personas):
    network = personas.network
    coordinator_client.post(_url("announcement-create", network), {**_form(), "action": "save"})
    draft = Announcement.objects.get()
    response = coordinator_client.post(_url("announcement-edit", network, draft.pk), {**_form(), "action": "test"})
    assert response.status_code == 302
    email = personas.people["coordinator"].user.email
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [email]
    assert any(email in message for message in messages_of(response))
    draft.refresh_from_db()
    assert not draft.is_sent


def test_send_confirms_the_count_then_sends_once(coordinator_client, personas):
    network = personas.network
    response = coordinator_client.post(_url("announcement-create", network), {**_form(), "action": "send"})
    draft = Announcement.objects.get()
    assert response.url == _url("announcement-send", network, draft.pk)
    page = parse(coordinator_client.get(response.url).content)
    assert page.select_one("main form button").text.strip() == "Jetzt an 2 Personen senden"
    assert not OutboxMessage.objects.exists()
    sent = coordinator_client.post(response.url)
    assert sent.url == draft.get_absolute_url()
    assert "Die Ankündigung wurde an 2 Personen gesendet." in messages_of(sent)
    again = coordinator_client.post(response.url)  # the second click, another tab
    assert again.status_code == 302 and "Diese Ankündigung wurde bereits gesendet." in messages_of(again)
    assert OutboxMessage.objects.count() == 2
    edit = coordinator_client.post(
        _url("announcement-edit", network, draft.pk), {**_form(subject="Neu"), "action": "save"}
    )
    assert edit.status_code == 302 and Announcement.objects.get().subject == "Netzwerktreffen am 7. Juni"


def _navigate(document_url: str, form, response) -> str:
    """Where a browser lands after posting ``form`` from ``document_url`` and following ``response``'s redirect:
    an empty action posts to the document's URL with its fragment, and a Location without a fragment keeps the
    fragment of the URL that was posted to (Fetch, HTTP-redirect fetch)."""
    action = form["action"]
    posted = urljoin(document_url, action) if action else document_url
    location = urljoin(posted, response.url)
    fragment = urlsplit(posted).fragment
    return location if "#" in location or not fragment else f"{location}#{fragment}"


def test_sending_after_the_preview_lands_on_a_url_without_preview(coordinator_client, personas):
    """Preview → "Senden …" → "Jetzt senden": the sent announcement's URL carries no "#preview" (PRG, clean)."""
    network = personas.network
    previewed = coordinator_client.post(_url("announcement-create", network), {**_form(), "action": "preview"})
    draft = Announcement.objects.get()
    here = previewed.url
    assert here.endswith("#preview")
    compose = parse(coordinator_client.get(here).content).select_one("main form.announcement-form")
    to_send = coordinator_client.post(_url("announcement-edit", network, draft.pk), {**_form(), "action": "send"})
    here = _navigate(here, compose, to_send)
    assert here == _url("announcement-send", network, draft.pk)
    confirm = parse(coordinator_client.get(here).content).select_one("main form")
    sent = coordinator_client.post(_url("announcement-send", network, draft.pk))
    here = _navigate(here, confirm, sent)
    assert here == draft.get_absolute_url()
    assert "Die Ankündigung wurde an 2 Personen gesendet." in messages_of(sent)


def test_delete_a_draft(coordinator_client, personas):
    draft = AnnouncementFactory(network=personas.network)
    response = coordinator_client.post(_url("announcement-delete", personas.network, draft.pk))
    assert response.status_code == 302 and not Announcement.objects.exists()


def test_members_read_the_archive_and_the_announcement(client, personas):
    network = personas.network
    sent = AnnouncementFactory(network=network, author=personas.people["coordinator"], subject="Jahresplanung 2027")
    services.announcement_send(announcement=sent)
    AnnouncementFactory(network=network, subject="Geheimer Entwurf")
    personas.login(client, "member")
    page = parse(client.get(_url("announcement-list", network)).content)
    titles = [a.text for a in page.select(".announcement-list h2 a")]
    assert titles == ["Jahresplanung 2027"]  # drafts are the coordination's
    assert "Geheimer Entwurf" not in page.text
    detail = parse(client.get(sent.get_absolute_url()).content)
    assert detail.select_one("h1").text == "Jahresplanung 2027"
    assert detail.select_one(".minutes-text strong").text == "Wärmeplanung"


def test_the_archive_search_goes_through_the_one_search(client, personas, django_capture_on_commit_callbacks):
    network = personas.network
    texts = (("Wärmeplanung", "Treffen im Juni"), ("PV-Kampagne", "Dachflächen in Kusel"), ("Fremd", "Kusel auch"))
    with django_capture_on_commit_callbacks(execute=True):  # the index follows after commit
        for subject, body in texts[:2]:
            services.announcement_send(announcement=AnnouncementFactory(network=network, subject=subject, body=body))
        other = AnnouncementFactory(network=personas.other, subject=texts[2][0], body=texts[2][1])
        services.announcement_send(announcement=other)
    personas.login(client, "member")
    found = parse(client.get(_url("announcement-list", network) + "?q=Dachflaeche").content)  # stem and umlaut
    assert [a.text for a in found.select(".search-hit-title a")] == ["PV-Kampagne"]
    assert "Dachflächen" in found.select_one(".search-snippet mark").text
    nothing = parse(client.get(_url("announcement-list", network) + "?q=nichts+davon").content)
    assert nothing.select_one(".empty").text == "Keine Ankündigung enthält diese Wörter."


def test_archive_snippets_show_the_text_as_read_without_markdown_marks(
    client, personas, django_capture_on_commit_callbacks
):
    body = "Bitte merken Sie sich **den Workshop** vor.\n\n- Kampagnen\n- Talks"
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(
            announcement=AnnouncementFactory(network=personas.network, subject="Bitte", body=body)
        )
    personas.login(client, "member")
    found = parse(client.get(_url("announcement-list", personas.network) + "?q=Workshop").content)
    snippet = found.select_one(".search-snippet").text
    assert "Workshop" in snippet and "**" not in snippet and "- Kampagnen" not in snippet


def test_the_archive_keeps_its_queries_as_it_grows(client, personas, django_assert_num_queries):
    network = personas.network
    personas.login(client, "member")

    def grow(n):
        for _ in range(n):
            announcement = AnnouncementFactory(network=network, author=f.PersonFactory())
            services.announcement_send(announcement=announcement)

    # the network with the role (one query), the count, the page of announcements with their authors
    assert_flat(client, _url("announcement-list", network), grow, django_assert_num_queries, 3, sizes=(2, 30))


def test_the_archive_keeps_its_queries_for_the_coordination(client, personas, django_assert_num_queries):
    network = personas.network
    personas.login(client, "coordinator")

    def grow(n):
        for _ in range(n):
            AnnouncementFactory(network=network, author=f.PersonFactory())
            services.announcement_send(announcement=AnnouncementFactory(network=network))

    # as for members, and the drafts with their authors
    assert_flat(client, _url("announcement-list", network), grow, django_assert_num_queries, 4, sizes=(2, 30))


def test_the_network_space_shows_the_latest_announcements(client, personas):
    network = personas.network
    for n in range(4):
        services.announcement_send(announcement=AnnouncementFactory(network=network, subject=f"Nachricht {n}"))
    personas.login(client, "member")
    page = parse(client.get(reverse("networks:network-space", args=[network.slug])).content)
    panel = page.select_one("#announcements-heading").parent
    assert [a.text for a in panel.select(".announcement-list a")] == ["Nachricht 3", "Nachricht 2", "Nachricht 1"]
    assert "Ankündigung schreiben" not in panel.text  # members read; the coordination writes
