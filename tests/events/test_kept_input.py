"""Nothing a person typed on the minutes page is lost (issue 14 §4): the minutes text, a new outcome and
the outcomes' delete buttons are one form; a new action item due in the past asks for confirmation."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events.forms.minutes import OutcomeForm
from events.models import Outcome
from tests.events.factories import EventFactory, OutcomeFactory, in_days
from tests.helpers import de, messages_of


@pytest.fixture
def past_event(personas):
    return EventFactory(network=personas.network, starts_at=in_days(-2), title="Netzwerktreffen Wärmeplanung")


def _url(name, event, *extra):
    return reverse(f"events:{name}", args=[event.network.slug, event.pk, *extra])


def _decision(text="Wärmeplanung wird Hauptthema"):
    return {"outcome-kind": "decision", "outcome-text": text}


def _action(due: date, **extra):
    return {
        "outcome-kind": "action",
        "outcome-text": "Ausschreibung teilen",
        "outcome-due_date": due.isoformat(),
        **extra,
    }


def test_the_minutes_page_is_one_form(client, personas, past_event):
    OutcomeFactory(event=past_event, text="Alte Entscheidung")
    personas.login(client, "coordinator")
    page = client.get(_url("minutes-edit", past_event)).text
    body = page.split(f'action="{_url("minutes-edit", past_event)}"', 1)[1].split("</form>", 1)[0]
    assert 'name="minutes"' in body and 'name="outcome-text"' in body
    assert f'formaction="{_url("outcome-create", past_event)}"' in body
    assert 'formaction="' + _url("outcome-delete", past_event, past_event.outcomes.get().pk) + '"' in body


def test_adding_an_outcome_keeps_the_minutes_typed(client, personas, past_event):
    personas.login(client, "coordinator")
    response = client.post(_url("outcome-create", past_event), {"minutes": "## TOP 1\r\nBegrüßung", **_decision()})
    assert response.status_code == 302
    past_event.refresh_from_db()
    assert past_event.minutes == "## TOP 1\r\nBegrüßung"
    assert past_event.outcomes.get().text == "Wärmeplanung wird Hauptthema"
    assert de("The minutes have been saved.") in messages_of(response)


def test_an_outcome_with_errors_shows_the_minutes_typed_and_saves_nothing(client, personas, past_event):
    past_event.minutes = "Alter Stand"
    past_event.save(update_fields=["minutes"])
    personas.login(client, "coordinator")
    data = {"minutes": "Neuer Text <wichtig>", "outcome-kind": "action", "outcome-text": "Ohne Verantwortliche"}
    response = client.post(_url("outcome-create", past_event), data)
    assert response.status_code == 400
    assert escape("Neuer Text <wichtig>") in response.text  # shown back in the textarea
    assert response.context["outcome_form"].errors["owner_person"]
    past_event.refresh_from_db()
    assert past_event.minutes == "Alter Stand" and not past_event.outcomes.exists()


def test_minutes_with_errors_add_no_outcome(client, personas, past_event):
    personas.login(client, "coordinator")
    response = client.post(_url("outcome-create", past_event), {"minutes": "", "publish": "on", **_decision()})
    assert response.status_code == 400
    assert response.context["minutes_form"].errors["minutes"]
    assert not past_event.outcomes.exists()


def test_saving_the_minutes_adds_an_outcome_filled_in(client, personas, past_event):
    """Enter in an outcome field presses the form's first button, "Save minutes": the outcome is not dropped."""
    personas.login(client, "coordinator")
    response = client.post(_url("minutes-edit", past_event), {"minutes": "Protokoll", **_decision()})
    assert response.status_code == 302
    past_event.refresh_from_db()
    assert past_event.minutes == "Protokoll" and past_event.outcomes.get().kind == Outcome.Kind.DECISION


def test_saving_the_minutes_with_an_empty_outcome_adds_none(client, personas, past_event):
    personas.login(client, "coordinator")
    data = {"minutes": "Protokoll", "outcome-kind": "", "outcome-text": "", "outcome-due_date": ""}
    assert client.post(_url("minutes-edit", past_event), data).status_code == 302
    assert not past_event.outcomes.exists()


def test_deleting_an_outcome_keeps_the_minutes_typed(client, personas, past_event):
    item = OutcomeFactory(event=past_event, text="Veraltet")
    personas.login(client, "coordinator")
    response = client.post(_url("outcome-delete", past_event, item.pk), {"minutes": "Getippt", "outcome-kind": ""})
    assert response.status_code == 302
    past_event.refresh_from_db()
    assert past_event.minutes == "Getippt" and not past_event.outcomes.exists()


def test_a_post_without_the_minutes_field_leaves_them_alone(client, personas, past_event):
    past_event.minutes = "Bleibt"
    past_event.save(update_fields=["minutes"])
    personas.login(client, "coordinator")
    response = client.post(_url("outcome-create", past_event), _decision())
    assert response.status_code == 302
    past_event.refresh_from_db()
    assert past_event.minutes == "Bleibt"
    assert de("The minutes have been saved.") not in messages_of(response)


# --- Due dates in the past ------------------------------------------------------------------------


def test_a_new_action_item_due_in_the_past_asks_for_confirmation(client, personas, past_event):
    member = personas.people["member"]
    yesterday = timezone.localdate() - timedelta(days=1)
    personas.login(client, "coordinator")
    url = _url("outcome-create", past_event)
    response = client.post(url, {"minutes": "Text", **_action(yesterday, **{"outcome-owner_person": member.pk})})
    assert response.status_code == 400
    assert response.context["outcome_form"].errors["due_date"]
    assert 'name="outcome-confirm_past_due"' in response.text
    assert not past_event.outcomes.exists()
    data = _action(yesterday, **{"outcome-owner_person": member.pk, "outcome-confirm_past_due": "on"})
    assert client.post(url, data).status_code == 302
    assert past_event.outcomes.get().due_date == yesterday


def test_today_or_later_needs_no_confirmation(client, personas, past_event):
    personas.login(client, "coordinator")
    data = _action(timezone.localdate(), **{"outcome-owner_person": personas.people["member"].pk})
    assert client.post(_url("outcome-create", past_event), data).status_code == 302
    page = client.get(_url("minutes-edit", past_event)).text
    assert "confirm_past_due" not in page  # offered only when a past date was sent


def test_an_existing_overdue_action_item_is_not_blocked(client, personas, past_event):
    item = OutcomeFactory(
        event=past_event, kind=Outcome.Kind.ACTION, owner_person=personas.people["member"], due_date=date(2020, 1, 1)
    )
    data = {"kind": "action", "text": "Umbenannt", "owner_person": item.owner_person_id, "due_date": "2020-01-01"}
    form = OutcomeForm(data, instance=item, network=personas.network)
    assert form.is_valid(), form.errors
    personas.login(client, "member")
    url = reverse("events:action-item-status", args=[personas.network.slug, item.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Outcome.Status.DONE


def test_leaving_the_page_after_typing_asks_first(client, personas, past_event):
    """The minutes and the event form ask before a link or the back button drops what was typed."""
    personas.login(client, "coordinator")
    for url in [_url("minutes-edit", past_event), _url("event-edit", EventFactory(network=personas.network))]:
        page = client.get(url).text
        assert "data-keep-input>" in page and "/static/js/keep-input.js" in page
    script = (settings.BASE_DIR / "static" / "js" / "keep-input.js").read_text()
    assert "beforeunload" in script and "form[data-keep-input]" in script
