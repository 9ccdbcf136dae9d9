"""The webhook pages: who may use them (besides the URL matrix), registering with the once-shown secret, the SSRF
check of the form, the test event, resuming, and the delivery log's queries at two sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from networks import outbound
from networks.webhooks.models import Delivery, Endpoint
from tests.helpers import login_with_second_factor
from tests.networks import factories as f
from tests.webhooks.factories import endpoint_of

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.org/klimanetz"


@pytest.fixture
def org(personas):
    return personas.people["editor"].organisation_roles.get().organisation


def login(client, personas, name: str) -> None:
    if name == "staff":
        login_with_second_factor(client, personas.user(name))
    elif name != "anonymous":
        client.force_login(personas.user(name))


@pytest.mark.parametrize(
    ("persona", "org_status", "net_status"),
    [
        ("anonymous", 302, 302),
        ("citizen", 403, 403),
        ("member", 403, 403),
        ("other_network", 403, 403),
        ("editor", 200, 403),
        ("coordinator", 403, 200),
        ("staff", 200, 200),
    ],
)
def test_who_may_see_the_webhook_pages(client, personas, org, persona, org_status, net_status):
    hook = endpoint_of(org, URL)
    net_hook = endpoint_of(personas.network, URL, kinds=["event.created"])
    login(client, personas, persona)
    for name, args in (("endpoints", []), ("endpoint-create", []), ("endpoint", [hook.pk])):
        response = client.get(reverse(f"webhooks:organisation-{name}", args=[org.slug, *args]))
        assert response.status_code == org_status, (name, persona)
    for name, args in (("endpoints", []), ("endpoint", [net_hook.pk])):
        response = client.get(reverse(f"webhooks:network-{name}", args=[personas.network.slug, *args]))
        assert response.status_code == net_status, (name, persona)


def test_another_owners_endpoint_is_not_found(client, personas, org):
    foreign = endpoint_of(f.OrganisationFactory(), URL)
    client.force_login(personas.user("editor"))
    assert client.get(reverse("webhooks:organisation-endpoint", args=[org.slug, foreign.pk])).status_code == 404
    url = reverse("webhooks:organisation-endpoint-test", args=[org.slug, foreign.pk])
    assert client.post(url).status_code == 404
    assert not Delivery.objects.exists()


def test_register_shows_the_secret_once(client, personas, org, monkeypatch):
    monkeypatch.setattr("networks.outbound._resolve", lambda host, port: ("93.184.215.14",))
    client.force_login(personas.user("editor"))
    data = {"url": URL, "description": "Website des Kreises", "kinds": ["measure.changed", "report.published"]}
    response = client.post(reverse("webhooks:organisation-endpoint-create", args=[org.slug]), data)
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert (endpoint.organisation, endpoint.kinds) == (org, ["measure.changed", "report.published"])
    assert endpoint.created_by == personas.people["editor"]
    page = client.get(response["Location"])
    assert endpoint.secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert endpoint.secret not in client.get(response["Location"]).content.decode()  # once
    client.post(reverse("webhooks:organisation-endpoint-secret", args=[org.slug, endpoint.pk]))
    renewed = Endpoint.objects.get().secret
    assert renewed != endpoint.secret
    assert renewed in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("url", "resolved"),
    [
        ("http://hooks.example.org/", "93.184.215.14"),
        ("https://intranet.example.org/", "10.1.2.3"),
        ("https://169.254.169.254/latest/meta-data/", None),
        ("https://[::1]/", None),
        ("https://localhost:8000/", "127.0.0.1"),
    ],
)
def test_the_form_refuses_private_and_plain_http_targets(client, personas, org, monkeypatch, url, resolved):
    real = outbound._resolve
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: (resolved,) if resolved else real(host, port))
    client.force_login(personas.user("editor"))
    data = {"url": url, "description": "", "kinds": ["measure.changed"]}
    response = client.post(reverse("webhooks:organisation-endpoint-create", args=[org.slug]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not Endpoint.objects.exists()


def test_the_form_offers_only_the_owners_events(client, personas, monkeypatch):
    monkeypatch.setattr("networks.outbound._resolve", lambda host, port: ("93.184.215.14",))
    client.force_login(personas.user("coordinator"))
    url = reverse("webhooks:network-endpoint-create", args=[personas.network.slug])
    response = client.post(url, {"url": URL, "kinds": ["measure.changed"]})
    assert response.status_code == 400 and response.context["form"].errors["kinds"]
    response = client.post(url, {"url": URL, "kinds": ["event.created", "event.cancelled"]})
    assert response.status_code == 302
    assert Endpoint.objects.get().network == personas.network


def test_test_event_resume_and_delete(client, personas, org):
    hook = endpoint_of(org, URL, status="paused", paused_at=timezone.now(), failing_since=timezone.now())
    client.force_login(personas.user("editor"))
    args = [org.slug, hook.pk]
    assert client.get(reverse("webhooks:organisation-endpoint-test", args=args)).status_code == 405
    client.post(reverse("webhooks:organisation-endpoint-test", args=args))
    assert Delivery.objects.get().kind == "ping"
    client.post(reverse("webhooks:organisation-endpoint-resume", args=args))
    hook.refresh_from_db()
    assert hook.status == "active" and hook.failing_since is None
    client.post(reverse("webhooks:organisation-endpoint-delete", args=args))
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()


def test_the_delivery_log_runs_the_same_queries_at_two_sizes(client, personas, org, django_assert_num_queries):
    hook = endpoint_of(org, URL)
    client.force_login(personas.user("editor"))
    url = reverse("webhooks:organisation-endpoint", args=[org.slug, hook.pk])
    client.get(url)  # the session and the account are cached from here on

    def grow(n: int) -> None:
        now = timezone.now()
        Delivery.objects.bulk_create(
            Delivery(endpoint=hook, kind="measure.changed", body="{}", created_at=now - timedelta(minutes=i))
            for i in range(n)
        )

    for size in (3, 60):
        grow(size)
        # the organisation, the editor check, the endpoint, the count of deliveries, the page of deliveries
        with django_assert_num_queries(5):
            response = client.get(url)
        assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25


def test_the_endpoint_list_runs_the_same_queries_at_two_sizes(client, personas, org, django_assert_num_queries):
    client.force_login(personas.user("editor"))
    url = reverse("webhooks:organisation-endpoints", args=[org.slug])
    client.get(url)
    for size in (1, 8):
        for _ in range(size):
            hook = endpoint_of(org, URL)
            Delivery.objects.create(endpoint=hook, kind="measure.changed", body="{}", status="failed")
        # the organisation, the editor check, the endpoints with their counts and last delivery
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200


def test_the_admin_lists_endpoints_and_deliveries_without_the_secret(client, personas, org):
    hook = endpoint_of(org, URL)
    Delivery.objects.create(endpoint=hook, kind="measure.changed", body="{}")
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    login_with_second_factor(client, staff)
    for name in ("endpoint", "delivery"):
        assert client.get(reverse(f"admin:webhooks_{name}_changelist"), {"q": "x"}).status_code == 200
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[hook.pk])).content.decode()
    assert hook.url in page and hook.secret not in page
