"""The measure sheet and a new progress report are one form (issue 14 §4): a status changed together with a
report is saved with it, and an error in either keeps everything typed on the page and saves nothing."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from measures.models import Measure, MeasureUpdate
from tests.helpers import messages_of
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.measures.test_editor import _measure_data

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"measures:{name}", args=list(args))


@pytest.fixture
def editor(personas):
    return personas.people["editor"]


@pytest.fixture
def roadmap(editor):
    organisation = editor.organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def measure(roadmap):
    return MeasureFactory(
        roadmap=roadmap, code="M-01", title="Solaroffensive Kreishaus", status=Measure.Status.IN_PROGRESS
    )


def _sheet(**changes) -> dict:
    return {**_measure_data(code="M-01", title="Solaroffensive Kreishaus"), **changes}


def _report(text="Bauabschnitt 1 abgeschlossen", percent="100", public="on") -> dict:
    data = {"update-date": timezone.localdate().isoformat(), "update-text": text, "update-percent": percent}
    return {**data, "update-public": public} if public else data


def test_the_report_is_part_of_the_sheets_form(client, personas, roadmap, measure):
    personas.login(client, "editor")
    page = client.get(_url("measure-edit", roadmap.slug, measure.pk)).text
    form = page.split('class="measure-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="status"' in form and 'name="update-text"' in form
    assert _url("update-create", roadmap.slug, measure.pk) not in page  # no second form that drops the sheet
    assert 'class="measure-form" data-keep-input>' in page and "/static/js/keep-input.js" in page  # asks on leaving


def test_status_and_report_are_saved_together(client, personas, roadmap, measure, editor):
    personas.login(client, "editor")
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), {**_sheet(status="completed"), **_report()})
    assert response.status_code == 302 and response["Location"].endswith("#updates")
    measure.refresh_from_db()
    assert measure.status == Measure.Status.COMPLETED
    update = measure.updates.get()
    assert (update.text, update.percent, update.public, update.author) == (
        "Bauabschnitt 1 abgeschlossen",
        100,
        True,
        editor,
    )
    assert messages_of(response) == ["The measure has been saved.", "The progress report has been added."]


def test_an_empty_report_is_not_added(client, personas, roadmap, measure):
    personas.login(client, "editor")
    data = {**_sheet(status="paused"), **_report(text="", percent="")}
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == Measure.Status.PAUSED and not MeasureUpdate.objects.exists()


def test_a_report_with_an_error_keeps_the_status_typed_and_saves_nothing(client, personas, roadmap, measure):
    personas.login(client, "editor")
    data = {**_sheet(status="completed", summary="Neue Zusammenfassung"), **_report(percent="120")}
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), data)
    assert response.status_code == 400
    assert response.context["update_form"].errors["percent"]
    assert response.context["form"]["status"].value() == "completed"  # shown back as typed
    assert escape("Neue Zusammenfassung") in response.text
    assert "Bauabschnitt 1 abgeschlossen" in response.text
    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS and not MeasureUpdate.objects.exists()


def test_a_sheet_with_an_error_keeps_the_report_typed_and_saves_nothing(client, personas, roadmap, measure):
    personas.login(client, "editor")
    data = {**_sheet(status="completed", title=""), **_report()}
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert "Bauabschnitt 1 abgeschlossen" in response.text
    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS and not MeasureUpdate.objects.exists()


def test_a_report_refused_by_the_service_rolls_the_sheet_back(client, personas, roadmap, measure, monkeypatch):
    from django.core.exceptions import ValidationError

    from measures import services

    def refuse(**kwargs):
        raise ValidationError({"text": "nope"})

    monkeypatch.setattr(services, "update_add", refuse)
    personas.login(client, "editor")
    data = {**_sheet(status="completed"), **_report()}
    response = client.post(_url("measure-edit", roadmap.slug, measure.pk), data)
    assert response.status_code == 400 and response.context["update_form"].errors["text"]
    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS
    assert measure.history.count() == 1  # only its creation


def test_the_report_alone_still_works(client, personas, roadmap, measure):
    personas.login(client, "editor")
    response = client.post(_url("update-create", roadmap.slug, measure.pk), _report(public=""))
    assert response.status_code == 302
    assert measure.updates.get().date == date.today()
