"""Coordinators' member lists as spreadsheets: the exports (people, member organisations; CSV and XLSX) and the
import of people as invitations with a preview (networks.members_io, the views in networks.views)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook

from networks import members_io, services
from networks.models import Invitation, NetworkRole, OutboxMessage
from tests.conftest import PERSONAS
from tests.helpers import de, messages_of
from tests.networks import factories as f
from tests.networks.test_tabular import broken_workbooks

TODAY = date.today().isoformat()
HEADER = ["Name", "E-Mail", "Organisation", "Rolle"]


def csv_upload(rows, header=HEADER, name="mitglieder.csv", delimiter=";") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv")


def xlsx_upload(rows, header=HEADER, name="mitglieder.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_url(network) -> str:
    return reverse("networks:member-import", args=[network.slug])


def check(client, network, upload, **data):
    return client.post(import_url(network), {"action": "check", "file": upload, "language": "de", **data})


def confirm(client, network, payload):
    return client.post(import_url(network), {"action": "import", "payload": payload})


def payload_of(response) -> str:
    return response.context["confirm_form"]["payload"].value()


def actions(response) -> dict[str, str]:
    return {row.email or str(row.number): row.action or "error" for row in response.context["preview"].rows}


def errors(response) -> dict[int, list[str]]:
    return {row.number: row.errors for row in response.context["preview"].rows if row.errors}


def csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "German Excel needs the BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheets(response) -> list[list[tuple]]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]


@pytest.fixture
def coordinator_client(client, personas):
    personas.login(client, "coordinator")
    return client


# --- Permissions -----------------------------------------------------------------------------------

GET_URLS = [
    "networks:member-export-csv",
    "networks:member-export-xlsx",
    "networks:membership-export-csv",
    "networks:member-import",
    "networks:member-import-template-csv",
    "networks:member-import-template-xlsx",
]
EXPECTED = {"coordinator": 200, "staff": 200, "anonymous": 302} | dict.fromkeys(
    ["member", "other_network", "citizen", "editor"], 403
)


@pytest.mark.parametrize("name", GET_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_coordinators_and_staff_export_and_import(client, personas, name, persona):
    personas.login(client, persona)
    response = client.get(reverse(name, args=[personas.network.slug]))
    assert response.status_code == EXPECTED[persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_coordinators_may_post_an_import(client, personas, persona):
    """Check and confirm alike; nobody else gets as far as the file (a valid file would be a 200 preview)."""
    personas.login(client, persona)
    response = check(client, personas.network, csv_upload([["Neu", "neu@example.org", "", ""]]))
    assert response.status_code == EXPECTED[persona]
    response = confirm(client, personas.network, "x")
    assert response.status_code == {**EXPECTED, "coordinator": 400, "staff": 400}[persona]
    assert not Invitation.objects.filter(email="neu@example.org").exists()


@pytest.mark.parametrize("persona", ["citizen", "other_network", "editor"])
def test_outsiders_do_not_learn_that_a_private_network_exists(client, personas, persona):
    personas.network.is_public = False
    personas.network.save(update_fields=["is_public"])
    personas.login(client, persona)
    for name in GET_URLS:
        assert client.get(reverse(name, args=[personas.network.slug])).status_code == 404, name


def test_the_buttons_are_on_the_people_page_and_for_coordinators_on_the_member_list(client, personas):
    network = personas.network
    personas.login(client, "coordinator")
    people = client.get(reverse("networks:people-manage", args=[network.slug])).content.decode()
    directory = client.get(reverse("networks:member-list", args=[network.slug])).content.decode()
    for name in ("networks:member-export-csv", "networks:member-export-xlsx", "networks:member-import"):
        assert reverse(name, args=[network.slug]) in people
        assert reverse(name, args=[network.slug]) in directory
    assert reverse("networks:membership-export-csv", args=[network.slug]) in people
    personas.login(client, "member")
    directory = client.get(reverse("networks:member-list", args=[network.slug])).content.decode()
    assert reverse("networks:member-export-csv", args=[network.slug]) not in directory


# --- Export ----------------------------------------------------------------------------------------


@pytest.fixture
def members(personas):
    """A coordinator and a member with everything filled in, a hidden phone number and a formula-like name."""
    network = personas.network
    member = personas.people["member"]
    member.name, member.job_title, member.phone = '=HYPERLINK("http://x")', "@Klimaschutz", "+49 631 123456"
    member.contact_visibility = member.ContactVisibility.NOBODY
    member.save()
    organisation = f.OrganisationFactory(name="Stadt Kaiserslautern", ags="07312000", population=99845, state="RP")
    f.MembershipFactory(network=network, organisation=organisation, since=date(2021, 3, 1))
    f.MembershipFactory(
        network=network,
        organisation=f.OrganisationFactory(name="Ehemalige"),
        until=date(2022, 1, 1),
        since=date(2020, 1, 1),
    )
    return network


def test_the_people_csv_is_what_the_people_page_shows(coordinator_client, personas, members):
    response = coordinator_client.get(reverse("networks:member-export-csv", args=[members.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="mitglieder-ktt-{TODAY}.csv"'
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = csv_rows(response)
    assert header == ["Name", "Organisation", "Funktion", "Rolle", "E-Mail", "Im Netzwerk seit"]
    coordinator, member = personas.people["coordinator"], personas.people["member"]
    by_email = {row[4]: row for row in rows}
    assert set(by_email) == {coordinator.user.email, member.user.email}
    assert by_email[coordinator.user.email][:4] == [
        "Koordinatorin",
        coordinator.organisation.name,
        "Klimaschutzmanagerin",
        str(NetworkRole.Role.COORDINATOR.label),
    ]
    assert by_email[coordinator.user.email][5] == date.today().strftime("%d.%m.%Y")  # the exports' one date rule
    # formula guard: the name and the job title start with = and @
    assert by_email[member.user.email][0] == '\'=HYPERLINK("http://x")'
    assert by_email[member.user.email][2] == "'@Klimaschutz"
    # what the profile keeps from coordinators is not exported
    assert b"123456" not in response.content
    assert personas.people["other_network"].user.email.encode() not in response.content


def test_the_xlsx_has_the_people_and_the_member_organisations(coordinator_client, personas, members):
    response = coordinator_client.get(reverse("networks:member-export-xlsx", args=[members.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="mitglieder-ktt-{TODAY}.xlsx"'
    people, organisations = xlsx_sheets(response)
    assert people[0] == ("Name", "Organisation", "Funktion", "Rolle", "E-Mail", "Im Netzwerk seit")
    names = sorted(row[0] for row in people[1:])
    assert names == ['\'=HYPERLINK("http://x")', "Koordinatorin"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type == "s" for cell in workbook.worksheets[0]["A"][1:]), "never a formula"
    assert b"123456" not in response.content
    assert organisations[0] == (
        "Name",
        "Art",
        "Amtlicher Gemeindeschlüssel (AGS)",
        "Einwohnerzahl",
        "Bundesland",
        "Mitglied seit",
    )
    rows = {row[0]: row for row in organisations[1:]}
    assert "Ehemalige" not in rows, "only current member organisations"
    assert rows["Stadt Kaiserslautern"][2:5] == ("07312000", 99845, "Rheinland-Pfalz")
    assert rows["Stadt Kaiserslautern"][5].date() == date(2021, 3, 1)
    ags = next(row[2] for row in workbook.worksheets[1].iter_rows(min_row=2) if row[0].value == "Stadt Kaiserslautern")
    assert (ags.value, ags.data_type, ags.number_format) == ("07312000", "s", "@")  # text, also when edited


def test_the_member_organisations_csv(coordinator_client, members):
    response = coordinator_client.get(reverse("networks:membership-export-csv", args=[members.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="mitgliedsorganisationen-ktt-{TODAY}.csv"'
    header, *rows = csv_rows(response)
    assert header[0] == "Name" and header[-1] == "Mitglied seit"
    row = next(row for row in rows if row[0] == "Stadt Kaiserslautern")
    assert row[2:] == ["07312000", "99845", "Rheinland-Pfalz", "01.03.2021"]  # a date as German spreadsheets write it
    # the key quoted (text for LibreOffice's "quoted field as text" and Excel's text import); numbers are not
    assert b'Stadt Kaiserslautern;Gemeinde;"07312000";99845;Rheinland-Pfalz;' in response.content
    assert not any(row[0] == "Ehemalige" for row in rows)


def test_english_headers_on_english_pages(coordinator_client, members):
    with translation.override("en"):
        url = reverse("networks:member-export-csv", args=[members.slug])
    assert url.startswith("/en/")
    header, *_rows = csv_rows(coordinator_client.get(url))
    assert header == ["Name", "Organisation", "Job title", "Role", "Email", "In the network since"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("networks:member-export-csv", 4),
        ("networks:member-export-xlsx", 5),
        ("networks:membership-export-csv", 4),
    ],
)
def test_export_queries_do_not_grow_with_the_rows(
    coordinator_client, personas, django_assert_num_queries, name, expected
):
    # session, user, network with the role check (the access funnel), then the roles with their people,
    # organisations and accounts, or the memberships with their organisations (the XLSX reads both)
    # (the session is no query where sessions are read from the cache: at most ``expected``, the same at both sizes)
    network = personas.network
    url = reverse(name, args=[network.slug])
    counts = []
    for size in (2, 20):
        for _ in range(size):
            f.NetworkRoleFactory(network=network)
            f.MembershipFactory(network=network)
        coordinator_client.get(url)  # warm: the session and the access as every later page reads them (cache)
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= expected


def test_the_templates_have_the_import_columns(coordinator_client, personas):
    slug = personas.network.slug
    response = coordinator_client.get(reverse("networks:member-import-template-csv", args=[slug]))
    assert response["Content-Disposition"] == 'attachment; filename="mitglieder-importvorlage.csv"'
    assert csv_rows(response) == [["Name", "Organisation", "Rolle", "E-Mail"]]
    response = coordinator_client.get(reverse("networks:member-import-template-xlsx", args=[slug]))
    assert xlsx_sheets(response) == [[("Name", "Organisation", "Rolle", "E-Mail")]]


# --- Import: the preview -----------------------------------------------------------------------------


def test_the_preview_says_per_row_what_will_happen_and_writes_nothing(coordinator_client, personas):
    network = personas.network
    member = personas.people["member"]
    services.invitation_create(
        network=network, email="eingeladen@example.org", role="member", invited_by=personas.people["coordinator"]
    )
    invitations, mails = Invitation.objects.count(), OutboxMessage.objects.count()
    rows = [
        ["Neue Person", "Neu@Example.org", "Stadt Kusel", "Mitglied"],  # 2: invite (address lower-cased)
        [member.name, member.user.email.upper(), "", ""],  # 3: already a member
        ["Eingeladen", "eingeladen@example.org", "", "Koordination"],  # 4: already invited
        ["Kaputt", "keine-adresse", "", ""],  # 5: bad address
        ["Rolle", "rolle@example.org", "", "Chefin"],  # 6: unknown role
        ["Doppelt", "doppelt@example.org", "", ""],  # 7: duplicate address within the file
        ["", "namenlos@example.org", "", ""],  # 8: empty name
        ["Doppelt auch", "DOPPELT@example.org", "", ""],  # 9: the duplicate
    ]
    response = check(coordinator_client, network, csv_upload(rows))
    assert response.status_code == 400
    assert actions(response) == {
        "neu@example.org": members_io.INVITE,
        member.user.email.lower(): members_io.MEMBER,
        "eingeladen@example.org": members_io.INVITED,
        "keine-adresse": "error",
        "rolle@example.org": "error",
        "doppelt@example.org": "error",
        "namenlos@example.org": "error",
    }
    found = {number: " ".join(problems) for number, problems in errors(response).items()}
    assert found.keys() == {5, 6, 7, 8, 9}
    # the problems in the interface's language (German), as the page shows them
    assert de("“%(email)s” is not a valid email address.", email="keine-adresse") in found[5]
    unknown_role, _allowed = de(
        "“%(role)s” is not a role in the network. Allowed: %(allowed)s.", role="Chefin", allowed="|"
    ).split("|")
    assert unknown_role in found[6]
    also = "The address %(email)s is also in row %(rows)s: each person once per file."
    assert found[7] == de(also, email="doppelt@example.org", rows="9")
    assert found[9] == de(also, email="doppelt@example.org", rows="7")
    assert de("The name is missing.") in found[8]
    assert response.context["confirm_form"] is None
    page = response.content.decode()
    assert "Stadt Kusel" in page and str(members_io.ACTION_LABELS[members_io.INVITE]) in page
    assert (Invitation.objects.count(), OutboxMessage.objects.count()) == (invitations, mails)


def test_a_valid_file_offers_the_confirmation(coordinator_client, personas):
    response = check(
        coordinator_client, personas.network, csv_upload([["Neu", "neu@example.org", "", "Koordinatorin"]])
    )
    assert response.status_code == 200
    assert response.context["preview"].rows[0].role == NetworkRole.Role.COORDINATOR
    assert payload_of(response)
    assert not Invitation.objects.filter(email="neu@example.org").exists()


def test_english_headers_commas_and_xlsx_are_read_too(coordinator_client, personas):
    upload = csv_upload(
        [["New Person", "new@example.org", "City of Kusel", "coordinator"]],
        header=["name", "email address", "organization", "role"],
        delimiter=",",
    )
    response = check(coordinator_client, personas.network, upload)
    assert response.status_code == 200
    row = response.context["preview"].rows[0]
    assert (row.name, row.email, row.organisation, row.role) == (
        "New Person",
        "new@example.org",
        "City of Kusel",
        "coordinator",
    )
    response = check(coordinator_client, personas.network, xlsx_upload([["Neu", "neu@example.org", None, None]]))
    assert response.status_code == 200 and actions(response) == {"neu@example.org": members_io.INVITE}
    assert response.context["preview"].rows[0].role == NetworkRole.Role.MEMBER, "an empty role is a member"


def test_an_export_imports_back_with_nobody_to_invite(coordinator_client, personas):
    network = personas.network
    exported = coordinator_client.get(reverse("networks:member-export-csv", args=[network.slug])).content
    response = check(coordinator_client, network, SimpleUploadedFile("export.csv", exported))
    assert response.status_code == 200
    assert set(actions(response).values()) == {members_io.MEMBER}
    assert response.context["confirm_form"] is None


def test_expired_invitations_are_renewed(coordinator_client, personas):
    network = personas.network
    invitation = services.invitation_create(
        network=network, email="alt@example.org", role="member", invited_by=personas.people["coordinator"]
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = check(coordinator_client, network, csv_upload([["Alt", "alt@example.org", "", ""]]))
    assert actions(response) == {"alt@example.org": members_io.INVITE}


def test_preview_queries_do_not_grow_with_the_rows(coordinator_client, personas, django_assert_num_queries):
    # session, user, network, role check; the members' addresses, the open invitations; savepoint pair of the
    # session middleware aside, nothing per row
    network = personas.network
    counts = []
    for size in (3, 30):
        rows = []
        for n in range(size):
            role = f.NetworkRoleFactory(network=network)
            rows += [
                [role.person.name, role.person.user.email, "", ""],
                [f"Neu {size}-{n}", f"neu{size}-{n}@example.org", "", ""],
            ]
        coordinator_client.get(import_url(network))  # warm: the session and the access as later pages read them
        with CaptureQueriesContext(connection) as queries:
            assert check(coordinator_client, network, csv_upload(rows)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5  # (the session is no query where it is read from the cache)


BAD_FILES = [
    ("pdf", SimpleUploadedFile("liste.pdf", b"%PDF-1.4\n"), "Only CSV files"),
    ("exe-as-csv", SimpleUploadedFile("liste.csv", b"MZ\x90\x00\x03\x00\x00\x00"), "not a CSV file"),
    ("html-as-xlsx", SimpleUploadedFile("liste.xlsx", b"<html><script>alert(1)</script></html>"), "not a readable"),
    (
        "utf-8-and-windows-1252-mixed",
        SimpleUploadedFile(
            "liste.csv", "Name;E-Mail\nJörg;j@example.org\n".encode() + "Jürgen;x@example.org\n".encode("cp1252")
        ),
        "neither UTF-8 nor Windows-1252",
    ),
    ("not-windows-1252", SimpleUploadedFile("liste.csv", b"Name;E-Mail\nJ\x81rg;j@example.org\n"), "neither UTF-8"),
    ("unknown-column", SimpleUploadedFile("liste.csv", b"Name;E-Mail;Farbe\nA;a@example.org;rot\n"), "Farbe"),
    ("no-email-column", SimpleUploadedFile("liste.csv", b"Name;Organisation\nA;B\n"), "missing: Email"),
    ("header-only", SimpleUploadedFile("liste.csv", b"Name;E-Mail\n"), "no data rows"),
    ("too-large", SimpleUploadedFile("liste.csv", b"Name;E-Mail\n" + b"x" * members_io.MAX_BYTES), "larger than 1 MB"),
]


@pytest.mark.parametrize(("upload", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_files_are_form_errors(coordinator_client, personas, upload, message):
    with translation.override("en"):
        response = check(coordinator_client, personas.network, upload)
        assert response.status_code == 400
        assert message in " ".join(str(e) for e in response.context["form"].errors["file"])
    assert not Invitation.objects.exists()


def test_too_many_rows_are_refused(coordinator_client, personas):
    rows = [[f"P {n}", f"p{n}@example.org", "", ""] for n in range(members_io.MAX_ROWS + 1)]
    with translation.override("en"):
        response = check(coordinator_client, personas.network, csv_upload(rows))
        assert response.context["form"].errors["file"] == ["The file has more than 500 rows. Please split it."]
    rows = rows[: members_io.MAX_ROWS]
    assert check(coordinator_client, personas.network, csv_upload(rows)).status_code == 200


# --- Import: the confirmation --------------------------------------------------------------------------


def sent_message(count: int) -> str:
    with translation.override("de"):
        return ngettext("%(count)s invitation sent", "%(count)s invitations sent", count) % {"count": count}


def test_confirming_invites_through_the_outbox_once(
    coordinator_client, personas, django_capture_on_commit_callbacks, mailoutbox
):
    network = personas.network
    rows = [["Neu", "neu@example.org", "", ""], ["Koordination", "koord@example.org", "", "Koordination"]]
    upload = csv_upload(rows)
    payload = payload_of(check(coordinator_client, network, upload, message="Willkommen im KTT!"))
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(coordinator_client, network, payload)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:people-manage", args=[network.slug])
    assert messages_of(response) == [sent_message(2)]
    invitations = {i.email: i for i in Invitation.objects.filter(network=network)}
    assert invitations["koord@example.org"].role == NetworkRole.Role.COORDINATOR
    assert invitations["neu@example.org"].invited_by == personas.people["coordinator"]
    assert invitations["neu@example.org"].message == "Willkommen im KTT!"
    assert sorted(m.to[0] for m in mailoutbox) == ["koord@example.org", "neu@example.org"]
    # the same confirmation again, and the same file again: nobody is invited twice
    with django_capture_on_commit_callbacks(execute=True):
        again = confirm(coordinator_client, network, payload)
    assert messages_of(again)[-1] == sent_message(0)  # after the first one, not yet shown
    upload.seek(0)
    preview = check(coordinator_client, network, upload)
    assert set(actions(preview).values()) == {members_io.INVITED} and preview.context["confirm_form"] is None
    assert len(mailoutbox) == 2
    assert Invitation.objects.filter(network=network).count() == 2
    assert OutboxMessage.objects.filter(reason="invitation").count() == 2


def test_the_confirmation_checks_every_row_again(coordinator_client, personas):
    """A payload the server signed but whose rows are invalid now (or were never checked) writes nothing."""
    network, user = personas.network, personas.user("coordinator")
    rows = [members_io.RawRow(2, "Gut", "gut@example.org"), members_io.RawRow(3, "Schlecht", "kein-at")]
    payload = members_io.sign(network=network, user=user, batch=members_io.Batch(rows, "de", ""))
    response = confirm(coordinator_client, network, payload)
    assert response.status_code == 400
    assert errors(response).keys() == {3}
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


def test_someone_joining_between_preview_and_confirmation_is_left_alone(coordinator_client, personas):
    network = personas.network
    payload = payload_of(
        check(coordinator_client, network, csv_upload([["A", "a@example.org", "", ""], ["B", "b@example.org", "", ""]]))
    )
    f.NetworkRoleFactory(network=network, person__user__email="a@example.org")
    response = confirm(coordinator_client, network, payload)
    assert messages_of(response) == [sent_message(1)]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["b@example.org"]


def test_a_failure_half_way_writes_nothing(coordinator_client, personas, monkeypatch):
    network = personas.network
    rows = [["A", "a@example.org", "", ""], ["B", "b@example.org", "", ""]]
    payload = payload_of(check(coordinator_client, network, csv_upload(rows)))
    real, calls = services.invitation_create, []

    def flaky(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 2:
            from django.db import IntegrityError

            raise IntegrityError("invitation_one_pending_per_email")
        return real(**kwargs)

    monkeypatch.setattr(services, "invitation_create", flaky)
    response = confirm(coordinator_client, network, payload)
    assert response.status_code == 302 and response["Location"] == import_url(network)
    assert len(calls) == 2
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("case", ["tampered", "other-network", "other-user", "expired", "garbage"])
def test_a_payload_the_server_did_not_sign_for_this_confirmation_is_refused(client, personas, monkeypatch, case):
    network, coordinator = personas.network, personas.user("coordinator")
    batch = members_io.Batch([members_io.RawRow(2, "A", "a@example.org")], "de", "")
    payload = members_io.sign(network=network, user=coordinator, batch=batch)
    if case == "tampered":
        payload = payload.replace(payload[5], "A" if payload[5] != "A" else "B", 1)
    elif case == "other-network":
        payload = members_io.sign(network=personas.other, user=coordinator, batch=batch)
    elif case == "other-user":
        payload = members_io.sign(network=network, user=personas.user("staff"), batch=batch)
    elif case == "expired":
        monkeypatch.setattr(members_io, "PAYLOAD_MAX_AGE", -1)
    else:
        payload = "x" * 5000
    personas.login(client, "coordinator")
    response = confirm(client, network, payload)
    assert response.status_code == 400
    assert response.context["confirm_form"].errors["payload"]
    assert not Invitation.objects.exists()


def test_run_writes_nothing_when_a_row_is_invalid(personas):
    network = personas.network
    rows = [members_io.RawRow(2, "A", "a@example.org"), members_io.RawRow(3, "", "b@example.org")]
    preview = members_io.run(network=network, rows=rows, by=personas.people["coordinator"], language="de")
    assert not preview.ok and not Invitation.objects.exists()


@pytest.mark.parametrize("kind", list(broken_workbooks(["Name"], ["A"])))
def test_a_broken_or_hostile_workbook_is_a_form_error(coordinator_client, personas, kind):
    content = broken_workbooks(HEADER, ["Ada", "ada@example.org", "", ""])[kind]
    with translation.override("en"):
        response = check(coordinator_client, personas.network, SimpleUploadedFile("liste.xlsx", content))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is not a readable Excel workbook (.xlsx)."]
    assert not Invitation.objects.exists()


def test_a_windows_1252_csv_as_german_excel_saves_it_is_read(coordinator_client, personas):
    """German Excel's plain "CSV (Trennzeichen-getrennt)" is Windows-1252: Ü is one byte, 0xDC."""
    town = f.MembershipFactory(network=personas.network, organisation__name="Stadt Übach-Palenberg").organisation
    content = "Name;E-Mail;Organisation;Rolle\nJürgen Öztürk;jo@example.org;Stadt Übach-Palenberg;Mitglied\n"
    assert "Ü".encode("cp1252") == b"\xdc" and b"\xdc" in content.encode("cp1252")
    upload = SimpleUploadedFile("mitglieder.csv", content.encode("cp1252"), content_type="text/csv")
    response = check(coordinator_client, personas.network, upload)
    assert response.status_code == 200
    [row] = response.context["preview"].rows
    assert (row.name, row.organisation, row.organisation_match) == ("Jürgen Öztürk", "Stadt Übach-Palenberg", town)
