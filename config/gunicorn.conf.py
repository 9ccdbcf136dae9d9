"""gunicorn's configuration for production: ``gunicorn -c config/gunicorn.conf.py config.wsgi`` (README, Production).

gunicorn names itself in a ``Server`` header on every answer and has no setting to leave it out: the banner
tells a scanner which server (and so which known flaws) to try. The answers go out without it. Everything
else is given on the command line or in GUNICORN_CMD_ARGS.
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server_banner(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_banner


# --- Metrics of every worker (observability.metrics) --------------------------------------------------------------
# Each worker process writes its Prometheus values to files in PROMETHEUS_MULTIPROC_DIR and /metrics adds up the
# files of all of them. The directory must be set before the workers import prometheus_client (here, in the master,
# before they are forked), emptied when the server starts (the values of an earlier run's processes would be added
# in), and a worker that exits is marked dead (its live gauges leave the sum; its counters stay in it).
# Unset: a directory of its own under /tmp for this server, when metrics are switched on at all.
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR") and (
    os.environ.get("METRICS_TOKEN") or os.environ.get("METRICS_ALLOWED_NETWORKS")
):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="klimanetz-metrics-")


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for entry in os.scandir(directory):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
