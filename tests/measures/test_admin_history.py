"""The measure's history in the Django admin: the portal's audit rows, readable (who by name, German labels,
values as the portal shows them), paged with a constant number of queries, read-only, staff only."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure
from measures.services import measure_save
from tests.helpers import login_with_second_factor
from tests.measures.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, personas):
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    login_with_second_factor(client, staff)
    return client


def change(measure, by, n: int) -> None:
    for i in range(n):
        measure.summary = f"Stand {i + 1}"
        measure.status = Measure.Status.PAUSED if i % 2 == 0 else Measure.Status.IN_PROGRESS
        measure_save(measure=measure, by=by)


def history(client, measure, **params):
    return client.get(reverse("admin:measures_measure_history", args=[measure.pk]), params)


def test_history_shows_who_changed_which_field_before_and_after(operator, personas):
    measure = MeasureFactory(summary="Vorher")
    change(measure, personas.people["editor"], 1)
    page = history(operator, measure)
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["title"] == f"Verlauf von {measure.code} {measure.title}"
    latest = page.context["page_obj"].object_list[0].entry
    assert latest["who"] == "Redakteurin" and latest["kind"] == "~"
    assert {row["label"]: (row["old"], row["new"]) for row in latest["changes"]} == {
        "Kurzbeschreibung": ("Vorher", "Stand 1"),
        "Status": ("in Umsetzung", "pausiert"),  # the labels, not the stored keys
    }
    assert personas.user("editor").email in text and "in_progress" not in text
    assert 'style="' not in text  # the CSP would block it


def test_the_last_entry_of_a_page_is_compared_with_the_one_on_the_next_page(operator, personas):
    from measures.admin import MeasureAdmin

    measure = MeasureFactory()
    change(measure, personas.people["editor"], MeasureAdmin.history_list_per_page)  # one record more than a page
    last = history(operator, measure).context["page_obj"].object_list[-1].entry
    assert last["kind"] == "~" and last["changes"]  # not shown as "saved without a change"


def test_history_queries_do_not_grow_with_the_entries(operator, personas):
    small, large = MeasureFactory(), MeasureFactory()
    change(small, personas.people["editor"], 2)
    change(large, personas.people["editor"], 12)
    history(operator, small)  # warms what Django caches per process (the content type of the user model)
    counts = []
    for measure in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert history(operator, measure).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_no_revert_from_the_admin(operator, personas):
    measure = MeasureFactory(summary="Vorher")
    change(measure, personas.people["editor"], 1)
    first = measure.history.earliest("history_date")
    url = reverse("admin:measures_measure_simple_history", args=[measure.pk, first.history_id])
    assert operator.get(url).status_code == 403
    assert operator.post(url, {"summary": "Vorher"}).status_code == 403
    measure.refresh_from_db()
    assert measure.summary == "Stand 1"
    assert "wiederherzustellen" not in history(operator, measure).content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "editor", "coordinator"])
def test_only_staff_see_the_admin_history(client, personas, persona):
    measure = MeasureFactory()
    personas.login(client, persona)
    response = history(client, measure)
    assert response.status_code in (302, 403)
    assert "Location" not in response or "/login/" in response["Location"]


def test_other_histories_show_no_style_attribute_and_no_none(operator, personas):
    network = personas.network
    network.region = "Pfalz"
    network.save(update_fields=["region"])
    text = operator.get(reverse("admin:networks_network_history", args=[network.pk])).content.decode()
    assert 'style="' not in text and ">None<" not in text.replace(" ", "").replace("\n", "")
