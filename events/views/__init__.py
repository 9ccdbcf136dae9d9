"""Views of the events app, one module per area; urls.py sees them all here."""

from events.views.calendar import (  # noqa: F401
    calendar_token_renew,
    event_ics,
    event_list,
    my_calendar,
    network_calendar,
    network_feed,
    notification_settings,
    personal_feed,
)
from events.views.events import (  # noqa: F401
    event_cancel,
    event_copy,
    event_create,
    event_detail,
    event_edit,
    series_cancel,
    series_create,
    series_detail,
    series_edit,
)
from events.views.minutes import (  # noqa: F401
    action_item_status,
    action_items,
    document_delete,
    document_download,
    document_upload,
    minutes_edit,
    outcome_create,
    outcome_delete,
)
from events.views.participation import (  # noqa: F401
    attendance,
    faq,
    participant_export,
    participant_list,
    question_answer,
    question_create,
    question_delete,
    question_edit,
    question_remove,
    register,
    unregister,
)
