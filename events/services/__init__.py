"""Every write of the events app with a rule in it; views and tasks call these (``from events import services``)."""

from events.services.events import (
    SERIES_TEMPLATE_FIELDS,
    SIGNIFICANT_FIELDS,
    agenda_set,
    event_cancel,
    event_copy_initial,
    event_create,
    event_update,
)
from events.services.minutes import (
    ALLOWED_DOCUMENT_TYPES,
    document_add,
    document_check,
    document_delete,
    minutes_save,
    minutes_unpublish,
)
from events.services.personal import calendar_token_get, calendar_token_renew
from events.services.questions import (
    question_answer,
    question_ask,
    question_delete,
    question_edit,
    question_remove,
)
from events.services.registration import (
    RegistrationError,
    attendance_set,
    registration_cancel,
    registration_register,
)
from events.services.reminders import REMINDERS, reminders_due, reminders_send
from events.services.series import (
    RULE_FIELDS,
    SERIES_HORIZON,
    series_cancel_from,
    series_create,
    series_materialise,
    series_materialise_all,
    series_occurrences,
    series_update_from,
)
from events.services.tasks import (
    outcome_save,
    outcome_set_status,
    task_comment_add,
    task_reminders_send,
)

__all__ = [
    "ALLOWED_DOCUMENT_TYPES",
    "REMINDERS",
    "RULE_FIELDS",
    "SERIES_HORIZON",
    "SERIES_TEMPLATE_FIELDS",
    "SIGNIFICANT_FIELDS",
    "RegistrationError",
    "agenda_set",
    "attendance_set",
    "calendar_token_get",
    "calendar_token_renew",
    "document_add",
    "document_check",
    "document_delete",
    "event_cancel",
    "event_copy_initial",
    "event_create",
    "event_update",
    "minutes_save",
    "minutes_unpublish",
    "outcome_save",
    "outcome_set_status",
    "question_answer",
    "question_ask",
    "question_delete",
    "question_edit",
    "question_remove",
    "registration_cancel",
    "registration_register",
    "reminders_due",
    "reminders_send",
    "series_cancel_from",
    "series_create",
    "series_materialise",
    "series_materialise_all",
    "series_occurrences",
    "series_update_from",
    "task_comment_add",
    "task_reminders_send",
]
