"""The settings pages and the one-click links (who may open them: tests/security/rooms/digest.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.digest import preferences
from networks.digest.models import DeliveryPreference, DigestSettings
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


def settings_data(networks, posts="weekly", announcements="digest", hour="18", weekday="4"):
    data = {"hour": hour, "weekday": weekday}
    for network in networks:
        data[f"n{network.pk}-posts"] = posts
        data[f"n{network.pk}-announcements"] = announcements
    return data


def test_settings_page_lists_the_persons_networks_with_defaults(client, personas, network, other_network):
    personas.login(client, "member")
    response = client.get(reverse("digest:settings"))
    forms = response.context["forms"]
    assert [form.network for form in forms] == [network]
    assert forms[0].initial == {"posts": "daily", "announcements": "email"}
    assert response.context["time_form"].initial == {"hour": 7, "weekday": 0}
    assert other_network.name not in response.content.decode()


def test_settings_are_saved(client, personas, network):
    member = personas.people["member"]
    personas.login(client, "member")
    response = client.post(reverse("digest:settings"), settings_data([network]))
    assert response.status_code == 302
    pref = DeliveryPreference.objects.get(person=member, network=network)
    assert (pref.posts, pref.announcements_by_email) == ("weekly", False)
    assert DigestSettings.objects.filter(person=member, hour=18, weekday=4).exists()


def test_a_bad_value_saves_nothing_and_keeps_what_was_chosen(client, personas, network):
    personas.login(client, "member")
    response = client.post(reverse("digest:settings"), settings_data([network], hour="24"))
    assert response.status_code == 200
    assert response.context["time_form"].errors["hour"]
    assert response.context["forms"][0]["posts"].value() == "weekly"  # what was typed stays
    assert not DeliveryPreference.objects.exists() and not DigestSettings.objects.exists()


def test_a_network_the_person_is_not_in_cannot_be_set_through_the_page(client, personas, network, other_network):
    personas.login(client, "member")
    client.post(reverse("digest:settings"), settings_data([network, other_network]))
    assert not DeliveryPreference.objects.filter(network=other_network).exists()


def test_settings_page_queries_are_flat(client, personas, django_assert_num_queries):
    member = personas.people["member"]
    personas.login(client, "member")
    client.get(reverse("digest:settings"))  # the session's first request warms what later ones read from the cache
    # person, the networks, their stored choices, the digest settings (the layout's account and citizen check come
    # from the cache): the same for 1 and 7 networks
    with django_assert_num_queries(4):
        client.get(reverse("digest:settings"))
    for _ in range(6):
        f.NetworkRoleFactory(person=member)
    client.get(reverse("digest:settings"))  # new roles renew the remembered citizen check (networks.citizens) once
    with django_assert_num_queries(4):
        response = client.get(reverse("digest:settings"))
    assert len(response.context["forms"]) == 7


def test_network_page_saves_one_network(client, personas, network):
    member = personas.people["member"]
    personas.login(client, "member")
    url = reverse("digest:network-settings", kwargs={"slug": network.slug})
    assert client.get(url).context["form"].network == network
    response = client.post(url, {f"n{network.pk}-posts": "each", f"n{network.pk}-announcements": "email"})
    assert response.status_code == 302
    assert preferences.post_modes(network, [member.pk]) == {member.pk: "each"}


def test_network_space_links_to_the_choices(client, personas, network):
    personas.login(client, "member")
    page = client.get(reverse("networks:network-space", kwargs={"slug": network.slug})).content.decode()
    assert reverse("digest:network-settings", kwargs={"slug": network.slug}) in page


def test_one_click_get_changes_nothing_post_moves_announcements(client, personas, network):
    member = personas.people["member"]
    url = preferences.one_click_url(member, network, "announcements-digest", "de")
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert preferences.announcements_by_email(network, [member.pk]) == {member.pk: True}
    assert client.post("/" + path).status_code == 302
    assert preferences.announcements_by_email(network, [member.pk]) == {member.pk: False}


def test_rfc8058_one_click_from_a_mail_program(client, personas, network, other_network):
    member = personas.people["member"]
    f.NetworkRoleFactory(person=member, network=other_network)
    preferences.set_announcements(member, network, False)
    token = preferences.one_click_token(member, None, "digest-off")
    response = client.post(reverse("digest:one-click", kwargs={"token": token}), {"List-Unsubscribe": "One-Click"})
    assert (response.status_code, response["Content-Type"]) == (200, "text/plain; charset=utf-8")
    rows = DeliveryPreference.objects.filter(person=member).values_list("network_id", "posts", "announcements_by_email")
    # no more digest anywhere; the announcements come by email again (never lost)
    assert sorted(rows) == sorted([(network.pk, "off", True), (other_network.pk, "off", True)])


def test_one_click_for_a_network_left_since_changes_nothing(client, personas, other_network):
    member = personas.people["member"]
    token = preferences.one_click_token(member, other_network, "posts-off")
    client.post(reverse("digest:one-click", kwargs={"token": token}))
    assert not DeliveryPreference.objects.exists()


def test_forged_one_click_is_refused(client, personas, network):
    token = preferences.one_click_token(personas.people["member"], network, "posts-off")
    forged = token.replace('"a":"posts-off"', '"a":"digest-off"')
    response = client.post(reverse("digest:one-click", kwargs={"token": forged[:-3] + "abc"}))
    assert response.status_code == 400
    assert not DeliveryPreference.objects.exists()


def test_english(client, personas):
    personas.login(client, "member")
    page = client.get("/en" + reverse("digest:settings")).content.decode()
    assert "Discussions, announcements and digests" in page


def test_the_operator_sees_runs_and_choices(client, personas, network):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from networks.digest.models import DigestRun

    member = personas.people["member"]
    preferences.set_posts(member, network, "weekly")
    now = timezone.now()
    DigestRun.objects.create(person=member, period="daily", period_key="2026-12-07", since=now, until=now, items=3)
    TOTP.activate(personas.user("staff"), generate_totp_secret())
    personas.login(client, "staff")
    for model in ("digestrun", "deliverypreference", "digestsettings"):
        assert client.get(reverse(f"admin:digest_{model}_changelist")).status_code == 200
    run = DigestRun.objects.get()
    assert client.get(reverse("admin:digest_digestrun_change", args=[run.pk])).status_code == 200


# --- The preview of the next digest ----------------------------------------------------------------------------


def _news(network, author, title: str, *, replies: int = 0):
    """A thread (and replies) written ten minutes ago: the digest's window ends a little before now (build.LAG)."""
    from datetime import timedelta

    from networks.channel.models import Post
    from networks.channel.services import post_reply, thread_create

    thread = thread_create(network=network, author=author, title=title, body="Was meinen Sie?")
    for _ in range(replies):
        post_reply(thread=thread, author=author, body="Noch eine Antwort")
    earlier = timezone.now() - timedelta(minutes=10)
    Post.objects.filter(thread=thread).update(created_at=earlier)
    type(thread).objects.filter(pk=thread.pk).update(created_at=earlier, last_post_at=earlier)
    return thread


def test_the_settings_page_links_the_preview_of_ones_own_next_digest(client, personas, network, other_network):
    from tests.announcements.html import page as parse

    _news(network, personas.people["coordinator"], "Wärmeplanung im Kreis")
    _news(other_network, personas.people["other_network"], "Nur für das NKK")
    personas.login(client, "member")
    settings_page = parse(client.get(reverse("digest:settings")).content)
    link = settings_page.select_one(f"main a[href='{reverse('digest:preview')}']")
    assert link.text == "So sieht Ihre nächste Zusammenfassung aus"
    page = parse(client.get(reverse("digest:preview")).content)
    assert page.select_one("h1").text == "So sieht Ihre nächste Zusammenfassung aus"
    titles = [a.text for a in page.select(".digest-preview li a")]
    assert titles == ["Wärmeplanung im Kreis"]  # the member's network only, never another's
    assert page.select_one(".digest-preview h2").text == network.name


def test_the_preview_never_shows_someone_elses_digest(client, personas, network, other_network):
    _news(other_network, personas.people["other_network"], "Nur für das NKK")
    personas.login(client, "member")
    other = personas.people["other_network"]
    for query in (f"?person={other.pk}", f"?pk={other.pk}&period=daily"):
        response = client.get(reverse("digest:preview") + query)
        assert response.status_code == 200 and "Nur für das NKK".encode() not in response.content


def test_the_weekly_preview_and_a_person_without_networks(client, personas, network):
    personas.login(client, "member")
    weekly = client.get(reverse("digest:preview") + "?period=weekly")
    assert "kommt keines Ihrer Netzwerke in der wöchentlichen Zusammenfassung".encode() in weekly.content
    preferences.set_posts(personas.people["member"], network, "weekly")
    _news(network, personas.people["coordinator"], "Wochenthema")
    weekly = client.get(reverse("digest:preview") + "?period=weekly")
    assert b"Wochenthema" in weekly.content
    personas.login(client, "citizen")
    assert b"kommt keines Ihrer Netzwerke" in client.get(reverse("digest:preview")).content


def test_nothing_new_says_no_digest_comes(client, personas, network):
    personas.login(client, "member")
    response = client.get(reverse("digest:preview"))
    assert b"ohne Neuigkeiten kommt keine Zusammenfassung" in response.content


def test_the_preview_writes_nothing_and_needs_a_login(client, personas, network):
    from networks.digest.models import DigestRun
    from networks.models import OutboxMessage

    _news(network, personas.people["coordinator"], "Etwas Neues")
    assert client.get(reverse("digest:preview")).status_code == 302  # anonymous: to the login
    personas.login(client, "member")
    client.get(reverse("digest:preview"))
    assert not DigestRun.objects.exists()
    assert not OutboxMessage.objects.filter(reason__startswith="digest_").exists()


def test_the_preview_keeps_its_queries_as_news_grows(client, personas, network, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import assert_flat

    coordinator = personas.people["coordinator"]
    personas.login(client, "member")
    client.get(reverse("digest:preview"))  # the session's first request warms the cache
    _news(network, coordinator, "Thema 0", replies=1)
    with CaptureQueriesContext(connection) as small:
        assert b"Thema 0" in client.get(reverse("digest:preview")).content

    def grow(n):
        for i in range(n):
            _news(network, coordinator, f"Thema {n}-{i}", replies=1)

    assert_flat(client, reverse("digest:preview"), grow, django_assert_num_queries, len(small), sizes=(3, 12))
