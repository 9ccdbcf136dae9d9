"""The funding radar's part of the mail world (tests/mail/conftest.py): a call six weeks ahead that fits the
people's measures with open funding, and the reminder run."""

from __future__ import annotations

from measures.funding.services import reminders_send
from tests.funding.factories import programme_with_call


def send_funding_mails(people) -> int:
    programme_with_call(30, name="Kommunalrichtlinie – Klimaschutzmanagement", rate=70, is_demo=True)
    return reminders_send()
