import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networks.models import Campaign, Expertise, Invitation, Membership, NetworkRole, Person, WorkingGroup
from tests.helpers import assert_flat
from tests.networks import factories as f


def _grow_directory(network, n):
    for _ in range(n):
        role = f.NetworkRoleFactory(network=network)
        f.ExpertiseFactory(person=role.person)
        f.ExpertiseFactory(person=role.person)


# --- Query counts stay flat as rows grow ----------------------------------------------------


def _assert_flat(*args):
    assert_flat(*args, sizes=(3, 30))


def test_home_and_network_list_queries_are_flat(client, db, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            f.MembershipFactory(network=f.NetworkFactory())

    # the count, the page of networks with their host and member counts; anonymous: no session
    _assert_flat(client, reverse("networks:network-list"), grow, django_assert_num_queries, 2)
    # home: a few networks and how many there are, the events panel's next public events, the measures panel's
    # roadmaps and how many there are
    _assert_flat(client, reverse("networks:home"), grow, django_assert_num_queries, 5)


def test_member_directory_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    url = reverse("networks:member-list", args=[personas.network.slug])
    # session and account from the cache (no query); network with the role check, filter organisations, count,
    # page of people, expertise
    _assert_flat(client, url, lambda n: _grow_directory(personas.network, n), django_assert_num_queries, 6)


def test_expertise_search_queries_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    # session and account from the cache (no query); networks for the filter, topics for the filter, count, page
    _assert_flat(
        client,
        reverse("networks:expertise-search"),
        lambda n: _grow_directory(personas.network, n),
        django_assert_num_queries,
        4,
    )


def test_working_group_and_campaign_lists_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "member")

    def grow(n):
        for _ in range(n):
            group = f.WorkingGroupFactory(network=personas.network)
            group.members.add(f.PersonFactory(), f.PersonFactory())
            campaign = f.CampaignFactory(network=personas.network)
            campaign.organisations.add(f.OrganisationFactory())

    slug = personas.network.slug
    _assert_flat(client, reverse("networks:working-group-list", args=[slug]), grow, django_assert_num_queries, 2)
    _assert_flat(client, reverse("networks:campaign-list", args=[slug]), grow, django_assert_num_queries, 3)
    # 7 of its own + 2 for the events panels (next events, open action items) + one each for the rooms' panels
    # (latest announcements, threads, documents); the session, the account and the access to the network from
    # the cache (grow() renews the page itself: a miss)
    _assert_flat(client, reverse("networks:network-space", args=[slug]), grow, django_assert_num_queries, 12)


def test_coordination_lists_are_flat(client, personas, django_assert_num_queries):
    personas.login(client, "coordinator")

    def grow(n):
        for _ in range(n):
            f.MembershipFactory(network=personas.network)
            f.NetworkRoleFactory(network=personas.network)
            f.InvitationFactory(network=personas.network, name="Eingeladen", organisation=f.OrganisationFactory())

    slug = personas.network.slug
    # session and account from the cache (no query) on both pages
    _assert_flat(client, reverse("networks:membership-list", args=[slug]), grow, django_assert_num_queries, 3)
    _assert_flat(client, reverse("networks:people-manage", args=[slug]), grow, django_assert_num_queries, 3)


def test_public_profile_queries_are_flat(client, personas, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            f.MembershipFactory(network=personas.network)

    # network with host, current memberships with organisations, the events panel's next events, pledges count,
    # the host's public roadmaps (measures panel)
    _assert_flat(client, personas.network.get_absolute_url(), grow, django_assert_num_queries, 5)


# --- What pages show ---------------------------------------------------------------------


def test_member_directory_filters_by_organisation_topic_and_search(client, personas):
    topic = f.TopicFactory(name="Kommunale Wärmeplanung")
    heat = f.NetworkRoleFactory(network=personas.network, person__name="Wärme-Expertin").person
    f.ExpertiseFactory(person=heat, topic=topic, level=3)
    outsider = f.NetworkRoleFactory(network=personas.other, person__name="Nicht im Netzwerk").person
    f.ExpertiseFactory(person=outsider, topic=topic)
    personas.login(client, "member")
    url = reverse("networks:member-list", args=[personas.network.slug])

    page = client.get(url).content.decode()
    assert "Wärme-Expertin" in page and "Koordinatorin" in page and "Nicht im Netzwerk" not in page
    page = client.get(url, {"topic": topic.pk, "level": 3}).content.decode()
    assert "Wärme-Expertin" in page and "Koordinatorin" not in page
    page = client.get(url, {"organisation": heat.organisation_id}).content.decode()
    assert "Wärme-Expertin" in page and "Mitglied" not in page.split("<main")[1].split("Mitgliederverzeichnis")[-1]
    page = client.get(url, {"q": "koordinator"}).content.decode()
    assert "Koordinatorin" in page and "Wärme-Expertin" not in page


def test_member_directory_sorts_by_name_or_organisation_and_keeps_the_sort_in_the_pagination(client, personas):
    for name, organisation in [("Anna Zeller", "Zweckverband"), ("Zora Albers", "Amt Albersdorf")]:
        f.NetworkRoleFactory(network=personas.network, person__name=name, person__organisation__name=organisation)
    for number in range(25):  # a second page
        f.NetworkRoleFactory(network=personas.network, person__name=f"Person {number:02}")
    personas.login(client, "member")
    url = reverse("networks:member-list", args=[personas.network.slug])

    def names(page):
        return [n for n in ("Anna Zeller", "Zora Albers") if n in page]

    page = client.get(url).content.decode()
    assert names(page) == ["Anna Zeller"]  # A… on the first page, Z… later
    page = client.get(url, {"sort": "-name"}).content.decode()
    assert names(page) == ["Zora Albers"]
    assert "sort=-name" in page.split('class="pagination"')[1]  # the next page keeps the sort
    page = client.get(url, {"sort": "organisation"}).content.decode()  # Amt … < Gemeinde … < Zweckverband
    assert names(page) == ["Zora Albers"]
    page = client.get(url, {"sort": "-organisation"}).content.decode()
    assert names(page) == ["Anna Zeller"]
    response = client.get(url, {"sort": "user__password"})  # not an offered sort: ignored, never a 500
    assert response.status_code == 200


def test_member_directory_hides_contact_details_of_people_who_chose_nobody(client, personas):
    shy = f.NetworkRoleFactory(network=personas.network, person__contact_visibility="nobody").person
    open_ = f.NetworkRoleFactory(network=personas.network, person__phone="0631 12345").person
    personas.login(client, "member")
    page = client.get(reverse("networks:member-list", args=[personas.network.slug])).content.decode()
    assert shy.user.email not in page
    assert open_.user.email in page and "0631 12345" in page


def test_member_directory_shows_the_contact_of_people_who_chose_everyone(client, personas):
    """ "public" (also named in public) includes what "members" allows: the members of the network see the contact."""
    public = f.NetworkRoleFactory(network=personas.network, person__contact_visibility="public").person
    assert public.contact_is_visible and public.is_publicly_named
    assert Person.objects.contact_visible().filter(pk=public.pk).exists()
    personas.login(client, "member")
    page = client.get(reverse("networks:member-list", args=[personas.network.slug])).content.decode()
    assert public.user.email in page


def test_invalid_filter_values_do_not_break_the_directory(client, personas):
    personas.login(client, "member")
    url = reverse("networks:member-list", args=[personas.network.slug])
    response = client.get(url, {"organisation": "abc", "topic": "99999", "level": "7", "page": "x"})
    assert response.status_code == 200


def test_expertise_search_only_covers_my_networks(client, personas):
    topic = f.TopicFactory(name="Mobilität")
    f.ExpertiseFactory(person=personas.people["coordinator"], topic=topic, note="Mobilstationen")
    f.ExpertiseFactory(person=personas.people["other_network"], topic=topic, note="Geheim anderswo")
    personas.login(client, "member")
    page = client.get(reverse("networks:expertise-search"), {"topic": topic.pk}).content.decode()
    assert "Mobilstationen" in page and "Geheim anderswo" not in page


def test_public_profile_lists_current_member_organisations_only(client, personas):
    f.MembershipFactory(network=personas.network, organisation__name="Aktuelle Stadt")
    f.MembershipFactory(
        network=personas.network,
        organisation__name="Ehemalige Gemeinde",
        since=timezone.localdate() - timedelta(days=400),
        until=timezone.localdate() - timedelta(days=10),
    )
    page = client.get(personas.network.get_absolute_url()).content.decode()
    assert "Aktuelle Stadt" in page and "Ehemalige Gemeinde" not in page
    assert reverse("networks:member-list", args=[personas.network.slug]) not in page


def test_home_lists_public_networks_only(client, personas):
    f.NetworkFactory(name="Geheimes Netzwerk", is_public=False)
    page = client.get(reverse("networks:home")).content.decode()
    assert personas.network.name in page and "Geheimes Netzwerk" not in page


def test_every_page_has_language_switch_and_footer_links(client, personas):
    page = client.get(reverse("networks:home")).content.decode()
    for url in [reverse("networks:imprint"), reverse("networks:privacy"), reverse("networks:accessibility")]:
        assert f'href="{url}"' in page
    assert 'name="language" value="en"' in page


def test_english_pages_live_under_en(client, personas):
    response = client.get("/en/netzwerke/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()
    assert client.get("/netzwerke/").headers["Content-Language"] == "de"


def test_language_switch_redirects_to_the_translated_url(client, personas):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/netzwerke/"})
    assert response.status_code == 302 and response["Location"] == "/en/netzwerke/"


def test_no_page_references_another_host(client, personas):
    personas.login(client, "coordinator")
    for url in [reverse("networks:home"), reverse("networks:member-list", args=[personas.network.slug])]:
        page = client.get(url).content.decode()
        assert 'src="http' not in page and 'href="//' not in page and 'stylesheet" href="http' not in page


def test_content_security_policy_forbids_inline_scripts(client, db):
    csp = client.get(reverse("networks:home")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp


def test_user_text_is_escaped(client, personas):
    personas.network.description = "<script>alert(1)</script>"
    personas.network.save(update_fields=["description"])
    page = client.get(personas.network.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# --- Coordination: writes and bad input ---------------------------------------------------


def _network_post(network, **changes):
    data = {
        "name": network.name,
        "short_name": network.short_name,
        "kind": network.kind,
        "region": network.region,
        "meeting_format": network.meeting_format,
        "description": network.description,
        "is_public": "on",
    }
    return {**data, **changes}


def test_coordinator_edits_the_network_and_history_is_kept(client, personas):
    personas.login(client, "coordinator")
    url = reverse("networks:network-edit", args=[personas.network.slug])
    response = client.post(url, _network_post(personas.network, region="Region Westpfalz"))
    assert response.status_code == 302
    personas.network.refresh_from_db()
    assert personas.network.region == "Region Westpfalz"
    assert personas.network.history.count() == 2
    assert personas.network.history.first().history_user == personas.user("coordinator")


@pytest.mark.parametrize(
    "changes",
    [
        {"funding_start": "2026-01-01", "funding_end": "2025-01-01"},
        {"funding_amount": "-5"},
        {"funding_amount": "1e400"},
        {"founded_year": "99999999"},
        {"reactivated_on": "31.02.2024"},
        {"name": ""},
        {"kind": "pirate"},
        {"name": "x" * 5000},
        {"website": "javascript:alert(1)"},
    ],
)
def test_network_edit_rejects_bad_input_with_a_form_error(client, personas, changes):
    personas.login(client, "coordinator")
    before = personas.network.name
    response = client.post(
        reverse("networks:network-edit", args=[personas.network.slug]), _network_post(personas.network, **changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    personas.network.refresh_from_db()
    assert personas.network.name == before


def test_coordinator_adds_and_ends_a_membership(client, personas):
    personas.login(client, "coordinator")
    org = f.OrganisationFactory(name="Stadt Kaiserslautern")
    url = reverse("networks:membership-list", args=[personas.network.slug])
    assert client.post(url, {"organisation": org.pk}).status_code == 302
    membership = Membership.objects.get(network=personas.network, organisation=org)
    assert client.post(url, {"organisation": org.pk}).status_code == 200  # already a member: not offered
    end = reverse("networks:membership-end", args=[personas.network.slug, membership.pk])
    assert client.post(end).status_code == 302
    membership.refresh_from_db()
    assert membership.until == timezone.localdate()


def test_membership_add_rejects_unknown_organisation(client, personas):
    personas.login(client, "coordinator")
    response = client.post(reverse("networks:membership-list", args=[personas.network.slug]), {"organisation": "9999"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Membership.objects.filter(network=personas.network).exists()


def test_coordinator_changes_and_removes_roles(client, personas):
    personas.login(client, "coordinator")
    member_role = NetworkRole.objects.get(person=personas.people["member"])
    url = reverse("networks:role-change", args=[personas.network.slug, member_role.pk])
    assert client.post(url, {"role": "coordinator"}).status_code == 302
    member_role.refresh_from_db()
    assert member_role.role == "coordinator"
    assert client.post(url, {"role": "emperor"}).status_code == 302
    member_role.refresh_from_db()
    assert member_role.role == "coordinator"
    remove = reverse("networks:role-remove", args=[personas.network.slug, member_role.pk])
    assert client.post(remove).status_code == 302
    assert not NetworkRole.objects.filter(pk=member_role.pk).exists()


def test_last_coordinator_cannot_remove_themselves_and_sees_why(client, personas):
    personas.login(client, "coordinator")
    own = NetworkRole.objects.get(person=personas.people["coordinator"])
    response = client.post(reverse("networks:role-remove", args=[personas.network.slug, own.pk]), follow=True)
    assert NetworkRole.objects.filter(pk=own.pk).exists()
    assert any("Koordination" in str(m) or "coordinator" in str(m) for m in response.context["messages"])


def test_coordinator_invites_and_the_mail_goes_through_the_outbox(client, personas, django_capture_on_commit_callbacks):
    personas.login(client, "coordinator")
    url = reverse("networks:invitation-create", args=[personas.network.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Neue.Kollegin@Kusel.de", "role": "member", "language": "de"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(network=personas.network)
    assert invitation.email == "neue.kollegin@kusel.de"
    assert invitation.invited_by == personas.people["coordinator"]
    assert len(mail.outbox) == 1 and invitation.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "role": "member", "language": "de"},
        {"email": "a@example.org", "role": "king", "language": "de"},
        {"email": "a@example.org", "role": "member", "language": "xx"},
        {"email": "", "role": "member", "language": "de"},
        {"email": "a@example.org", "role": "member", "language": "de", "message": "x" * 3000},
    ],
)
def test_invitation_form_rejects_bad_input(client, personas, data):
    personas.login(client, "coordinator")
    response = client.post(reverse("networks:invitation-create", args=[personas.network.slug]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_a_form_error(client, personas):
    personas.login(client, "coordinator")
    email = personas.people["member"].user.email
    response = client.post(
        reverse("networks:invitation-create", args=[personas.network.slug]),
        {"email": email.upper(), "role": "member", "language": "de"},
    )
    assert response.context["form"].errors["email"]


def test_working_group_create_and_edit(client, personas):
    personas.login(client, "coordinator")
    topic = f.TopicFactory()
    member = personas.people["member"]
    response = client.post(
        reverse("networks:working-group-create", args=[personas.network.slug]),
        {"name": "Energiemanagement", "topic": topic.pk, "members": [member.pk], "is_active": "on"},
    )
    group = WorkingGroup.objects.get(network=personas.network)
    assert response.status_code == 302 and list(group.members.all()) == [member]
    outsider = personas.people["other_network"]
    response = client.post(
        reverse("networks:working-group-edit", args=[personas.network.slug, group.pk]),
        {"name": "Energiemanagement", "members": [outsider.pk]},
    )
    assert response.status_code == 200 and response.context["form"].errors["members"]


def test_working_group_names_are_unique_per_network(client, personas):
    f.WorkingGroupFactory(network=personas.network, name="Mobilität")
    personas.login(client, "coordinator")
    response = client.post(
        reverse("networks:working-group-create", args=[personas.network.slug]), {"name": "Mobilität"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert WorkingGroup.objects.filter(network=personas.network).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"title": "PV", "kind": "pv", "status": "planned", "start": "2026-05-01", "end": "2026-04-01"},
        {"title": "", "kind": "pv", "status": "planned"},
        {"title": "PV", "kind": "nuclear", "status": "planned"},
        {"title": "PV", "kind": "pv", "status": "planned", "start": "not a date"},
    ],
)
def test_campaign_form_rejects_bad_input(client, personas, data):
    personas.login(client, "coordinator")
    response = client.post(reverse("networks:campaign-create", args=[personas.network.slug]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Campaign.objects.exists()


def test_campaign_only_offers_member_organisations(client, personas):
    member_org = f.MembershipFactory(network=personas.network).organisation
    stranger = f.OrganisationFactory()
    personas.login(client, "coordinator")
    url = reverse("networks:campaign-create", args=[personas.network.slug])
    data = {"title": "Wärmekampagne", "kind": "heat", "status": "running"}
    assert client.post(url, {**data, "organisations": [stranger.pk]}).status_code == 200
    assert client.post(url, {**data, "organisations": [member_org.pk]}).status_code == 302
    assert list(Campaign.objects.get().organisations.all()) == [member_org]


# --- Invitations: the invited person's side ----------------------------------------------


def test_invited_person_signs_up_through_the_link_and_joins(client, personas):
    invitation = f.InvitationFactory(network=personas.network, email="neu@kusel.de")
    accept = invitation.get_absolute_url()
    page = client.get(accept)
    assert page.status_code == 200 and "neu@kusel.de" in page.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": "neu@kusel.de", "password1": "Sonnenstrom-2026!", "password2": "Sonnenstrom-2026!", "name": "Neu"},
    )
    # the address came from the invitation mail, so no separate verification is needed
    assert response.status_code == 302 and response["Location"] == accept
    assert client.post(accept).status_code == 302
    role = NetworkRole.objects.get(network=personas.network, person__user__email="neu@kusel.de")
    assert role.role == invitation.role and role.person.name == "Neu"


def test_existing_user_logs_in_through_the_link_and_joins(client, personas):
    user = personas.user("other_network")
    invitation = f.InvitationFactory(network=personas.network, email=user.email, role="coordinator")
    client.get(invitation.get_absolute_url())
    response = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert response["Location"] == invitation.get_absolute_url()
    client.post(invitation.get_absolute_url())
    assert NetworkRole.objects.get(network=personas.network, person__user=user).role == "coordinator"


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, 410, "abgelaufen"),
        ({"used_at": timezone.now()}, 410, "bereits verwendet"),
        ({"revoked_at": timezone.now()}, 410, "zurückgezogen"),
    ],
)
def test_dead_invitation_links_get_a_clear_page(client, personas, change, status, text):
    invitation = f.InvitationFactory(network=personas.network, **change)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == status
    assert text in response.content.decode()


def test_unknown_and_foreign_tokens_get_a_clear_page(client, personas):
    assert client.get(reverse("networks:invitation-accept", args=["nonsense"])).status_code == 404
    invitation = f.InvitationFactory(network=personas.network, email="someone@example.org")
    personas.login(client, "citizen")
    assert client.get(invitation.get_absolute_url()).status_code == 403
    assert client.post(invitation.get_absolute_url()).status_code == 403
    assert not NetworkRole.objects.filter(person=personas.people["citizen"]).exists()


# --- The person's own pages -------------------------------------------------------------


def _profile_post(person, **extra):
    data = {
        "profile-name": person.name,
        "profile-job_title": "Energiemanager",
        "profile-contact_visibility": "members",
        "profile-language": "de",
        "expertise-TOTAL_FORMS": "2",
        "expertise-INITIAL_FORMS": "0",
        "expertise-MIN_NUM_FORMS": "0",
        "expertise-MAX_NUM_FORMS": "30",
    }
    return {**data, **extra}


def test_profile_saves_expertise(client, personas):
    personas.login(client, "member")
    topic = f.TopicFactory()
    response = client.post(
        reverse("networks:profile"),
        _profile_post(personas.people["member"], **{"expertise-0-topic": topic.pk, "expertise-0-level": "3"}),
    )
    assert response.status_code == 302
    assert Expertise.objects.get(person=personas.people["member"]).topic == topic


@pytest.mark.parametrize(
    "extra",
    [
        {"expertise-0-topic": "T", "expertise-1-topic": "T", "expertise-0-level": "2", "expertise-1-level": "2"},
        {"expertise-0-topic": "T", "expertise-0-level": "9"},
        {"profile-name": ""},
        {"profile-contact_visibility": "everyone"},
        {"expertise-TOTAL_FORMS": "5000"},
    ],
)
def test_profile_rejects_bad_input_without_writing(client, personas, extra):
    topic = f.TopicFactory()
    extra = {k: (str(topic.pk) if v == "T" else v) for k, v in extra.items()}
    person = personas.people["member"]
    personas.login(client, "member")
    response = client.post(reverse("networks:profile"), _profile_post(person, **extra))
    assert response.status_code == 200
    assert not Expertise.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.name == "Mitglied"
    assert response.context["form"].errors or response.context["formset"].total_error_count()


def test_profile_export_downloads_json(client, personas):
    personas.login(client, "member")
    response = client.get(reverse("networks:profile-export"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["person"]["name"] == "Mitglied"


def test_account_delete_needs_the_email_and_logs_out(client, personas):
    personas.login(client, "member")
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})  # asked first (test_hardening.py)
    url = reverse("networks:account-delete")
    assert client.post(url, {"confirm": "wrong@example.org"}).context["form"].errors
    email = personas.user("member").email
    response = client.post(url, {"confirm": email.upper()})
    assert response.status_code == 302
    assert client.get(reverse("networks:dashboard")).status_code == 302  # logged out
    personas.people["member"].refresh_from_db()
    assert personas.people["member"].anonymised_at is not None


def test_dashboard_shows_my_networks_and_pending_invitations(client, personas):
    f.InvitationFactory(network=personas.other, email=personas.user("member").email)
    personas.login(client, "member")
    page = client.get(reverse("networks:dashboard")).content.decode()
    assert personas.network.name in page and personas.other.name in page


def test_dashboard_links_the_organisations_i_edit_to_their_monitoring(client, personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    url = reverse("monitoring:organisation", args=[organisation.slug])
    personas.login(client, "editor")
    assert url in client.get(reverse("networks:dashboard")).content.decode()
    personas.login(client, "member")
    assert url not in client.get(reverse("networks:dashboard")).content.decode()


def test_network_list_counts_member_organisations_correctly_for_members(client, personas):
    f.NetworkRoleFactory.create_batch(3, network=personas.network)
    f.MembershipFactory.create_batch(2, network=personas.network)
    personas.login(client, "member")
    response = client.get(reverse("networks:network-list"))
    listed = {n.pk: n.organisation_count for n in response.context["networks"]}
    assert listed[personas.network.pk] == 2
