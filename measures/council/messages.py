"""What the editors read about a council information system's last reading, in their language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from measures.council.models import CouncilEndpoint, SyncError


def error_message(endpoint: CouncilEndpoint) -> str:
    """The last reading's failure as a sentence ("" when it did not fail)."""
    url = endpoint.last_error_url or endpoint.system_url
    texts = {
        SyncError.REFUSED: _(
            "The address %(url)s was refused: it leads into a private or internal network, or does not start with "
            "https://. Please enter the public OParl address of your council information system."
        ),
        SyncError.TIMEOUT: _(
            "The council information system did not answer in time (%(url)s). The next reading tries again."
        ),
        SyncError.TOO_LARGE: _("An answer of the council information system was too large to read (%(url)s)."),
        SyncError.UNREACHABLE: _("The council information system cannot be reached (%(url)s)."),
        SyncError.HTTP_STATUS: _(
            "The council information system answered with an error (HTTP %(status)s at %(url)s). "
            "The next reading tries again."
        ),
        SyncError.NOT_JSON: _(
            "The council information system did not answer with valid JSON (%(url)s). Please check that the "
            "address is its OParl interface."
        ),
        SyncError.NOT_OPARL: _(
            "The answer is not what an OParl interface sends (%(url)s). Please enter the system address of the "
            "OParl 1.0 or 1.1 interface (it usually ends in /oparl/v1 or similar)."
        ),
        SyncError.NO_BODY: _("The council information system lists no body (council or district) (%(url)s)."),
        SyncError.UNEXPECTED: _(
            "Reading the council information system failed unexpectedly. The operators of Klimanetz can see why "
            "in their log; the next reading tries again."
        ),
    }
    text = texts.get(endpoint.last_error)
    return text % {"url": url, "status": endpoint.last_error_status or "?"} if text else ""
