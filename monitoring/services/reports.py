"""Reports: request, build (snapshot → HTML, PDF, XLSX, CSV), fail, watchdog, yearly schedule. (reports part)"""

TIMEOUT_REASON = "timeout"


def report_build(report_id: int) -> str:
    raise NotImplementedError


def report_fail(report_id: int, reason: str) -> None:
    raise NotImplementedError


def reports_watchdog() -> int:
    raise NotImplementedError


def reports_schedule_yearly() -> int:
    raise NotImplementedError
