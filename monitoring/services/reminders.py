"""Data-entry reminders through the outbox, once per (recipient, item, period). (reminders part)"""


def reminders_send() -> int:
    raise NotImplementedError
