"""Belonging to an organisation is granted (issue 14 §2.5): a person asks on their profile, the organisation's
editors or a coordinator of one of its networks confirm; leaving is at once; every denied persona is tested."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks import affiliations
from networks.models import AffiliationRequest, NetworkRole, OutboxMessage
from tests.networks import factories as f

pytestmark = pytest.mark.django_db

PENDING = AffiliationRequest.Status.PENDING


@pytest.fixture
def organisation(personas):
    """The editor's organisation, a member of the coordinator's network."""
    organisation = personas.people["editor"].organisation_roles.get().organisation
    f.MembershipFactory(network=personas.network, organisation=organisation)
    return organisation


@pytest.fixture
def requester(personas):
    return personas.people["member"]


@pytest.fixture
def pending(requester, organisation):
    return AffiliationRequest.objects.create(person=requester, organisation=organisation, note="Seit März dabei")


def _ask(client, organisation, note="", **extra):
    data = {"affiliation-organisation": organisation.pk if organisation else "", "affiliation-note": note, **extra}
    return client.post(reverse("networks:affiliation-change"), data)


def _decide(client, request, decision="confirm"):
    return client.post(reverse("networks:affiliation-decide", args=[request.pk]), {"decision": decision})


# --- The person's side ------------------------------------------------------------------------------------


def test_choosing_another_organisation_asks_and_keeps_the_old_one(client, personas, requester, organisation):
    before = requester.organisation
    personas.login(client, "member")
    assert _ask(client, organisation, note="Klimaschutzmanagerin seit März").status_code == 302
    requester.refresh_from_db()
    assert requester.organisation == before
    request = AffiliationRequest.objects.get(person=requester)
    assert (request.organisation, request.status, request.note) == (
        organisation,
        PENDING,
        "Klimaschutzmanagerin seit März",
    )
    page = client.get(reverse("networks:profile")).text
    assert f"Ihre Zugehörigkeit zu {organisation.name} wartet auf Bestätigung" in page
    told = set(OutboxMessage.objects.filter(reason="affiliation_requested").values_list("recipient", flat=True))
    assert told == {personas.user("editor").email, personas.user("coordinator").email}


def test_the_profile_form_no_longer_sets_the_organisation(client, personas, requester, organisation):
    before = requester.organisation
    personas.login(client, "member")
    data = {
        "profile-name": "Mitglied",
        "profile-organisation": organisation.pk,
        "profile-contact_visibility": "members",
        "profile-language": "de",
        "expertise-TOTAL_FORMS": "0",
        "expertise-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("networks:profile"), data).status_code == 302
    requester.refresh_from_db()
    assert requester.organisation == before


def test_a_person_without_organisation_asks_the_same_way(client, personas, organisation):
    citizen = personas.people["citizen"]
    personas.login(client, "citizen")
    _ask(client, organisation)
    citizen.refresh_from_db()
    assert citizen.organisation is None
    assert AffiliationRequest.objects.get(person=citizen).status == PENDING


def test_the_profile_shows_a_pending_request_with_its_withdraw_button_instead_of_the_form(
    client, personas, requester, pending
):
    """While a request waits, the profile offers to withdraw it, not to ask again with it preselected."""
    personas.login(client, "member")
    page = client.get(reverse("networks:profile")).text
    assert f"Ihre Zugehörigkeit zu {pending.organisation.name} wartet auf Bestätigung" in page
    assert reverse("networks:affiliation-withdraw") in page
    assert 'name="affiliation-organisation"' not in page and "Zugehörigkeit anfragen" not in page
    assert f'<option value="{pending.organisation.pk}" selected>' not in page


def test_after_withdrawing_the_form_is_back_with_the_current_organisation(client, personas, requester, pending):
    requester.organisation = personas.people["coordinator"].organisation
    requester.save(update_fields=["organisation"])
    personas.login(client, "member")
    client.post(reverse("networks:affiliation-withdraw"))
    response = client.get(reverse("networks:profile"))
    assert response.context["affiliation_pending"] is None
    form = response.context["affiliation_form"]
    assert form is not None and form.initial["organisation"] == requester.organisation_id
    assert 'name="affiliation-organisation"' in response.text and "Zugehörigkeit anfragen" in response.text


def test_asking_again_replaces_the_pending_request(client, personas, requester, pending):
    other = personas.people["coordinator"].organisation
    f.MembershipFactory(network=personas.network, organisation=other)
    personas.login(client, "member")
    _ask(client, other)
    pending.refresh_from_db()
    assert pending.status == AffiliationRequest.Status.WITHDRAWN
    assert AffiliationRequest.objects.pending().get(person=requester).organisation == other


def test_an_editor_of_the_organisation_belongs_at_once(client, personas):
    editor = personas.people["editor"]
    organisation = editor.organisation_roles.get().organisation
    personas.login(client, "editor")
    _ask(client, organisation)
    editor.refresh_from_db()
    assert editor.organisation == organisation
    assert not AffiliationRequest.objects.pending().exists()


def test_leaving_is_at_once_and_withdraws_the_request(client, personas, requester, pending):
    personas.login(client, "member")
    assert client.post(reverse("networks:affiliation-change"), {"leave": "1"}).status_code == 302
    requester.refresh_from_db()
    pending.refresh_from_db()
    assert requester.organisation is None
    assert pending.status == AffiliationRequest.Status.WITHDRAWN


def test_withdrawing_the_request(client, personas, requester, pending):
    before = requester.organisation
    personas.login(client, "member")
    assert client.post(reverse("networks:affiliation-withdraw")).status_code == 302
    pending.refresh_from_db()
    requester.refresh_from_db()
    assert pending.status == AffiliationRequest.Status.WITHDRAWN and requester.organisation == before


@pytest.mark.parametrize(
    "data",
    [
        {},  # nothing chosen: not a way to leave
        {"affiliation-organisation": ""},
        {"affiliation-organisation": "ORPHAN"},  # nobody could confirm it: not offered
        {"affiliation-organisation": "999999"},
        {"affiliation-organisation": "1" * 30},
        {"affiliation-organisation": "ORG", "affiliation-note": "x" * 501},
    ],
)
def test_bad_requests_are_form_errors_and_write_nothing(client, personas, requester, organisation, data):
    orphan = f.OrganisationFactory()
    data = {k: {"ORPHAN": str(orphan.pk), "ORG": str(organisation.pk)}.get(v, v) for k, v in data.items()}
    before = requester.organisation
    personas.login(client, "member")
    response = client.post(reverse("networks:affiliation-change"), data)
    assert response.status_code == 400
    assert response.context["affiliation_form"].errors
    requester.refresh_from_db()
    assert requester.organisation == before and not AffiliationRequest.objects.exists()


def test_a_long_note_is_shown_back(client, personas, organisation):
    personas.login(client, "member")
    response = _ask(client, organisation, note="Mein Text " + "x" * 500)
    assert response.status_code == 400 and "Mein Text" in response.text


# --- Who decides ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decider", ["editor", "coordinator", "staff"])
def test_editors_coordinators_and_staff_confirm(client, personas, requester, organisation, pending, decider):
    personas.login(client, decider)
    assert _decide(client, pending).status_code == 302
    pending.refresh_from_db()
    requester.refresh_from_db()
    assert requester.organisation == organisation
    assert (pending.status, pending.decided_by) == (AffiliationRequest.Status.CONFIRMED, personas.people[decider])
    mail = OutboxMessage.objects.get(reason="affiliation_decided")
    assert mail.recipient == personas.user("member").email and organisation.name in mail.subject


def test_declining_keeps_the_old_organisation_and_tells_the_person(client, personas, requester, pending):
    before = requester.organisation
    personas.login(client, "editor")
    _decide(client, pending, "decline")
    pending.refresh_from_db()
    requester.refresh_from_db()
    assert pending.status == AffiliationRequest.Status.DECLINED and requester.organisation == before
    assert "abgelehnt" in OutboxMessage.objects.get(reason="affiliation_decided").subject


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),  # the requester themself
        ("citizen", 404),
        ("other_network", 404),  # a member of another organisation and network
        ("other_coordinator", 404),  # a coordinator of a network the organisation is not in
        ("other_editor", 404),  # an editor of another organisation
    ],
)
def test_who_may_not_decide(client, personas, requester, pending, who, status):
    before = requester.organisation
    if who == "other_coordinator":
        client.force_login(f.NetworkRoleFactory(network=personas.other, role=NetworkRole.Role.COORDINATOR).person.user)
    elif who == "other_editor":
        client.force_login(f.OrganisationRoleFactory().person.user)
    else:
        personas.login(client, who)
    assert _decide(client, pending).status_code == status
    assert who == "member" or pending.pk not in [
        r.pk for r in client.get(reverse("networks:affiliation-requests")).context["page"]
    ]
    pending.refresh_from_db()
    requester.refresh_from_db()
    assert pending.status == PENDING and requester.organisation == before


def test_anonymous_is_sent_to_login(client, pending):
    response = _decide(client, pending)
    assert response.status_code == 302 and "login" in response.url
    pending.refresh_from_db()
    assert pending.status == PENDING


def test_a_coordinator_cannot_confirm_their_own_request(client, personas, organisation):
    coordinator = personas.people["coordinator"]
    personas.login(client, "coordinator")
    _ask(client, organisation)
    request = AffiliationRequest.objects.get(person=coordinator)
    assert _decide(client, request).status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.organisation != organisation
    with pytest.raises(ValidationError):
        affiliations.affiliation_decide(request=request, confirm=True, by=coordinator)


def test_a_decided_request_is_not_decided_again(client, personas, requester, pending):
    personas.login(client, "editor")
    _decide(client, pending, "decline")
    response = _decide(client, pending, "confirm")
    assert response.status_code == 302
    pending.refresh_from_db()
    requester.refresh_from_db()
    assert pending.status == AffiliationRequest.Status.DECLINED and requester.organisation != pending.organisation


def test_a_decision_without_a_choice_is_refused(client, personas, pending):
    personas.login(client, "editor")
    response = client.post(reverse("networks:affiliation-decide", args=[pending.pk]), {"decision": "maybe"})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == PENDING


def test_the_list_and_the_dashboard_show_what_one_may_decide(client, personas, pending):
    personas.login(client, "editor")
    page = client.get(reverse("networks:affiliation-requests"))
    assert [r.pk for r in page.context["page"]] == [pending.pk]
    assert "Seit März dabei" in page.text
    assert '<th scope="col">Gewünschte Organisation</th>' in page.text  # was the broken "möchte gehören zu"
    assert reverse("networks:affiliation-requests") in client.get(reverse("networks:dashboard")).text
    personas.login(client, "member")
    assert reverse("networks:affiliation-requests") not in client.get(reverse("networks:dashboard")).text


def test_the_list_keeps_its_queries_flat(client, personas, organisation):
    personas.login(client, "coordinator")
    url = reverse("networks:affiliation-requests")

    def grow(n):
        for _ in range(n):
            AffiliationRequest.objects.create(person=f.PersonFactory(), organisation=organisation, note="x")

    def queries(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(url).context["page"].object_list) == expected_rows
        return len(captured)

    grow(2)
    client.get(url)  # warm the session
    small = queries(2)
    grow(10)
    # the count of the requests and the page of them with person, organisation and the person's organisation;
    # session and account (two more where the cache does not keep them: networks.backends)
    assert queries(12) == small <= 4


# --- Granted directly --------------------------------------------------------------------------------------


def test_an_invitation_naming_the_organisation_confirms_the_request(personas, organisation):
    from networks import services

    citizen = personas.people["citizen"]
    request = AffiliationRequest.objects.create(person=citizen, organisation=organisation)
    invitation = f.InvitationFactory(network=personas.network, email=citizen.user.email, organisation=organisation)
    services.invitation_accept(invitation=invitation, user=citizen.user)
    citizen.refresh_from_db()
    request.refresh_from_db()
    assert citizen.organisation == organisation and request.status == AffiliationRequest.Status.CONFIRMED


def test_personal_data_and_account_deletion(personas, pending, requester):
    from networks import services

    assert services.person_export(person=requester)["affiliation_requests"][0]["note"] == "Seit März dabei"
    services.account_delete(user=requester.user)
    assert not AffiliationRequest.objects.exists()


def test_an_invitation_grants_only_what_the_networks_coordination_may_grant(client, personas, organisation):
    """A coordinator names only a member organisation of the network (or its host); one named otherwise (an
    invitation from before) is not granted on joining."""
    from networks import services

    stranger = f.OrganisationFactory(name="Stadt Dortmund")
    personas.login(client, "coordinator")
    url = reverse("networks:invitation-create", args=[personas.network.slug])
    data = {"email": "neu@example.org", "role": "member", "language": "de", "organisation": stranger.pk}
    response = client.post(url, data)
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    offered = set(response.context["form"].fields["organisation"].queryset)
    assert offered == {organisation, personas.network.host}
    citizen = personas.people["citizen"]
    invitation = f.InvitationFactory(network=personas.network, email=citizen.user.email, organisation=stranger)
    services.invitation_accept(invitation=invitation, user=citizen.user)
    citizen.refresh_from_db()
    assert citizen.organisation is None


def test_the_member_import_matches_only_the_networks_organisations(client, personas, organisation):
    from tests.networks.test_member_import_export import check, csv_upload

    f.OrganisationFactory(name="Stadt Dortmund")
    personas.login(client, "coordinator")
    rows = [["A", "a@example.org", "stadt dortmund", ""], ["B", "b@example.org", organisation.name, ""]]
    preview = check(client, personas.network, csv_upload(rows)).context["preview"]
    assert [row.organisation_match for row in preview.rows] == [None, organisation]
