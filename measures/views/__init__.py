"""Views of the measures app, one module per area; urls.py sees them all here."""

from measures.views.data import (  # noqa: F401
    datapackage,
    import_job,
    import_job_status,
    measure_export,
    measure_import,
    open_data,
)
from measures.views.editor import (  # noqa: F401
    bulk_status,
    editor_dashboard,
    measure_create,
    measure_edit,
    measure_history,
    milestones_edit,
    roadmap_create,
    roadmap_edit,
    update_create,
)
from measures.views.listing import measure_list  # noqa: F401
from measures.views.page import measure_contact, measure_links_edit  # noqa: F401
from measures.views.participate import my_participation, participate, roadmap_participate  # noqa: F401
from measures.views.participation import (  # noqa: F401
    comment_create,
    comment_moderate,
    moderation_queue,
    pledge_edit,
    pledge_list,
    pledge_report,
    proposal_create,
    proposal_detail,
    proposal_list,
    proposal_moderate,
    proposal_support,
    proposal_to_measure,
)
from measures.views.public import (  # noqa: F401
    measure_detail,
    roadmap_detail,
    roadmap_list,
)
