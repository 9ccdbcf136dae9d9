"""Personal settings: the calendar feed's secret and the notification switches."""

from __future__ import annotations

from django.db import transaction

from events.models import (
    CalendarToken,
    Notice,
    NotificationSetting,
    new_token,
)
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


def notification_settings_set(*, person: Person, enabled: set[str]) -> None:
    """Store the switched-off kinds; kinds not listed in ``enabled`` are off."""
    with transaction.atomic():
        NotificationSetting.objects.filter(person=person).delete()
        NotificationSetting.objects.bulk_create(
            NotificationSetting(person=person, kind=kind, enabled=False)
            for kind in Notice.Kind.values
            if kind not in enabled
        )
    person.__dict__.pop("_disabled_kinds", None)
