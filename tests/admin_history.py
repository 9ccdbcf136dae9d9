"""What every admin history page (networks.admin_history.HistoryAdmin) must do, checked the same way for each model:
it answers staff with the second factor, names who changed which field before and after in German, refuses the
revert (403), answers the other personas with the login page or 403, and costs the same queries for 2 and 12 changes.
"""

from collections.abc import Callable

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

DENIED = ["anonymous", "citizen", "member", "coordinator", "editor"]


def staff_client(client, personas):
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    personas.login(client, "staff")  # with the second factor used in the session
    return client


def history_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def latest_entry(client, obj) -> dict:
    page = client.get(history_url(obj))
    assert page.status_code == 200
    return page.context["page_obj"].object_list[0].entry


def changes(entry: dict) -> dict:
    return {row["label"]: (row["old"], row["new"]) for row in entry["changes"]}


def assert_history_shows(client, obj, *, who: str, label: str, old: str, new: str) -> None:
    """The newest entry: the person's name, the field's German label, the values as the portal shows them."""
    entry = latest_entry(client, obj)
    assert entry["who"] == who and entry["kind"] == "~"
    assert changes(entry)[label] == (old, new)
    text = client.get(history_url(obj)).content.decode()
    assert label in text and who in text and 'style="' not in text  # the CSP would block a style attribute


def assert_read_only(client, obj) -> None:
    record = obj.history.order_by("history_date", "history_id").first()
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history", args=[obj.pk, record.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert "wiederherzustellen" not in client.get(history_url(obj)).content.decode()


def assert_denied(client, personas, persona: str, obj) -> None:
    personas.login(client, persona)
    response = client.get(history_url(obj))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/login/" in response["Location"]


def _page_queries(queries) -> list[str]:
    """The page's own queries: the session and the signed-in account come from the cache or not, depending on
    what else wrote to the shared cache just before (networks.backends), which is not the page's doing."""
    own = ('FROM "django_session"', 'FROM "networks_user" WHERE "networks_user"."id" =')
    return [q["sql"] for q in queries if not any(part in q["sql"] for part in own)]


def assert_flat_queries(client, make: Callable[[int], object]) -> None:
    """``make(n)`` returns an object changed n times; its history page costs the same at 2 and 12 changes."""
    counts = []
    small, large = make(2), make(12)
    client.get(history_url(small))  # warms what Django caches per process (content types, the site's apps)
    for obj in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(obj)).status_code == 200
        counts.append(len(_page_queries(queries)))
    assert counts[0] == counts[1], counts
