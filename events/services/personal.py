"""Personal settings: the calendar feed's secret (the email switches are networks.mail's)."""

from __future__ import annotations

from events.models import CalendarToken, new_token
from networks.models import Person

# --- Personal settings -----------------------------------------------------------


def calendar_token_get(*, person: Person) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(person=person)
    return token


def calendar_token_renew(*, person: Person) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    token, created = CalendarToken.objects.get_or_create(person=person)
    if not created:
        token.token = new_token()
        token.save(update_fields=["token", "created_at"])
    return token
