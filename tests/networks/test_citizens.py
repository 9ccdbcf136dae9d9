"""Citizens (networks.citizens, issue 16 §1): signed in without a role, never treated as a network member (header,
dashboard, profile); the home page for both audiences; the citizens' findings on the login and sign-up pages."""

import pytest
from django.urls import reverse

from networks.citizens import is_citizen
from networks.models import OutboxMessage
from tests.helpers import de, messages_of
from tests.measures import factories as mf
from tests.networks import factories as f


def confirmations(email: str) -> int:
    """The address-confirmation emails to ``email`` (allauth's mails go through the outbox: networks.adapters)."""
    return OutboxMessage.objects.filter(recipient__iexact=email, reason__startswith="email_confirmation").count()


PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]


def nav(response) -> str:
    html = response.content.decode()
    return html[html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))]


# --- The one rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_is_a_citizen(personas, persona):
    user = personas.user(persona)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    assert is_citizen(user) == (persona == "citizen")


def test_a_role_makes_a_citizen_a_member_at_once(client, personas):
    citizen = personas.people["citizen"]
    personas.login(client, "citizen")
    assert client.get(reverse("networks:dashboard")).status_code == 302
    f.NetworkRoleFactory(network=personas.network, person=citizen)
    assert client.get(reverse("networks:dashboard")).status_code == 200
    citizen.network_roles.all().delete()
    assert client.get(reverse("networks:dashboard")).status_code == 302
    f.OrganisationRoleFactory(person=citizen)
    assert client.get(reverse("networks:dashboard")).status_code == 200


def test_the_answer_is_remembered_with_the_account(client, personas, django_assert_num_queries):
    personas.login(client, "citizen")  # the backend computed it with the account
    user = personas.user("citizen")
    with django_assert_num_queries(0):
        assert is_citizen(user)


# --- Header, dashboard, profile -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_header_names_the_roadmaps_for_everyone_and_members_links_only_for_members(client, personas, persona):
    personas.login(client, persona)
    header = nav(client.get(reverse("networks:network-list")))
    assert f'href="{reverse("measures:roadmap-list")}"' in header
    assert de("Climate roadmaps") in header
    members_links = [f'href="{reverse(name)}"' for name in ("networks:expertise-search", "catalogue:entry-list")]
    if persona in ("anonymous", "citizen"):
        assert not any(link in header for link in members_links)
        assert f'href="{reverse("measures:participate")}"' in header
    else:
        assert all(link in header for link in members_links)  # "Wer weiß was", "Maßnahmenbibliothek"
    if persona == "citizen":
        assert f'href="{reverse("measures:my-participation")}"' in header
        assert f'href="{reverse("networks:dashboard")}"' not in header


def test_citizen_dashboard_is_their_own_area(client, personas):
    personas.login(client, "citizen")
    response = client.get(reverse("networks:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:my-participation")
    page = client.get(response["Location"])
    assert page.context["citizen"] is True
    assert de("My area") in page.content.decode()


def test_members_dashboard_links_their_participation(client, personas):
    personas.login(client, "member")
    html = client.get(reverse("networks:dashboard")).content.decode()
    assert f'href="{reverse("measures:my-participation")}"' in html


def test_citizen_profile_has_no_members_fields(client, personas):
    personas.login(client, "citizen")
    response = client.get(reverse("networks:profile"))
    assert sorted(response.context["form"].fields) == ["language", "name"]
    assert "formset" not in response.context
    html = response.content.decode()
    for name in ("profile-phone", "profile-job_title", "profile-contact_visibility", "expertise-TOTAL_FORMS"):
        assert f'name="{name}"' not in html
    response = client.post(
        reverse("networks:profile"), {"profile-name": "Berta Bürgerin", "profile-language": "en", "profile-phone": "1"}
    )
    assert response.status_code == 302
    citizen = personas.people["citizen"]
    citizen.refresh_from_db()
    assert (citizen.name, citizen.language, citizen.phone) == ("Berta Bürgerin", "en", "")


def test_citizen_profile_keeps_what_was_typed_on_an_error(client, personas):
    personas.login(client, "citizen")
    response = client.post(reverse("networks:profile"), {"profile-name": "", "profile-language": "de"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_members_profile_keeps_its_fields(client, personas):
    personas.login(client, "member")
    response = client.get(reverse("networks:profile"))
    assert "phone" in response.context["form"].fields
    assert "formset" in response.context


# --- Home for both audiences --------------------------------------------------------------------------------


def test_home_speaks_to_citizens(client, db):
    roadmap = mf.RoadmapFactory(title="Klima-Roadmap Kreis Düren")
    mf.MeasureFactory(roadmap=roadmap)
    response = client.get(reverse("networks:home"))
    html = response.content.decode()
    assert de("Climate protection where you live") in html
    assert 'id="take-part-heading"' in html
    assert f'href="{roadmap.get_absolute_url()}"' in html  # the roadmaps with their progress
    assert f'href="{reverse("measures:participate")}"' in html
    assert 'id="mine-heading"' not in html


def test_home_keeps_the_members_part(client, personas):
    personas.login(client, "member")
    html = client.get(reverse("networks:home")).content.decode()
    part = html[html.index('id="mine-heading"') : html.index("</section>", html.index('id="mine-heading"'))]
    assert f'href="{reverse("networks:dashboard")}"' in part
    assert f'href="{reverse("networks:network-space", args=[personas.network.slug])}"' in part


def test_home_of_a_citizen_links_their_area(client, personas):
    personas.login(client, "citizen")
    html = client.get(reverse("networks:home")).content.decode()
    part = html[html.index('id="mine-heading"') : html.index("</section>", html.index('id="mine-heading"'))]
    assert f'href="{reverse("measures:my-participation")}"' in part
    assert reverse("networks:dashboard") not in part


def test_home_queries_are_flat_for_a_member(client, personas, django_assert_num_queries):
    personas.login(client, "member")
    member = personas.people["member"]
    url = reverse("networks:home")
    for size in (2, 12):
        for _ in range(size):
            f.NetworkRoleFactory(person=member)
            mf.MeasureFactory(roadmap=mf.RoadmapFactory())
        client.get(url)  # a new role: whether the account is a citizen is asked once again (networks.citizens)
        # six public networks and their count, my networks, the events panel's next public events, six roadmaps
        # and their count (the home page shows a few of each with the way to all: issue 19 §6)
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200


# --- Login and sign-up pages --------------------------------------------------------------------------------


def test_login_after_submit_a_proposal_says_why(client, db):
    roadmap = mf.RoadmapFactory()
    target = reverse("measures:proposal-create", args=[roadmap.slug])
    response = client.get(target)
    assert response.status_code == 302
    login = client.get(response["Location"])
    reason = de("To submit a proposal, please log in or create an account.")
    assert reason == "Um einen Vorschlag einzureichen, melden Sie sich bitte an oder legen ein Konto an."
    assert reason in login.content.decode()
    signup = client.get(reverse("account_signup") + f"?next={target}")
    assert reason in signup.content.decode()
    assert "login-reason" not in client.get(reverse("account_login") + "?next=/netzwerke/").content.decode()
    assert "login-reason" not in client.get(reverse("account_login") + "?next=//example.org/").content.decode()


def test_remember_me_checkbox_sits_before_its_label(client, db):
    html = client.get(reverse("account_login")).content.decode()
    start = html.index('<div class="field field-checkbox">')
    field = html[start : html.index("</div>", start)]
    assert field.index('id="id_remember"') < field.index('<label for="id_remember"')


def test_check_your_mail_page_links_the_contact_and_sends_again(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "ein-langes-Passwort-42",
            "password2": "ein-langes-Passwort-42",
            "name": "Neue Bürgerin",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f'href="{reverse("networks:imprint")}"' in html
    assert f'href="{reverse("networks:verification-resend")}"' in html
    sent = confirmations("neu@example.org")
    assert sent == 1
    url = reverse("networks:verification-resend")
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "NEU@example.org"})
    assert response.status_code == 302
    # allauth's rate limit: one confirmation per address every three minutes
    assert confirmations("neu@example.org") == sent


def test_send_again_sends_the_confirmation_of_an_unconfirmed_address(client, db):
    person = f.PersonFactory(user__verified=False)
    response = client.post(reverse("networks:verification-resend"), {"email": person.user.email})
    assert response.status_code == 302
    assert confirmations(person.user.email) == 1
    said = messages_of(response)
    assert said == [
        de(
            "If this address belongs to an account that is not confirmed yet, we have sent the email "
            "again. Please also look in your spam folder."
        )
    ]


def test_send_again_says_the_same_for_an_unknown_or_confirmed_address(client, db):
    person = f.PersonFactory()
    for email in ("niemand@example.org", person.user.email):
        response = client.post(reverse("networks:verification-resend"), {"email": email})
        assert response.status_code == 302
    assert confirmations("niemand@example.org") + confirmations(person.user.email) == 0
    response = client.post(reverse("networks:verification-resend"), {"email": "kein-at-zeichen"})
    assert response.status_code == 400
    assert 'value="kein-at-zeichen"' in response.content.decode()  # what was typed stays
