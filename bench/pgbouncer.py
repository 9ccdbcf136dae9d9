"""A throwaway PgBouncer (transaction mode, as in production) in front of the bench's PostgreSQL server, for the
benchmarks' "through PgBouncer" runs: started with .ci/pgbouncer.sh (the one CI uses), stopped on exit.

    with PgBouncer() as pooled:   # pooled.url(): the bench database through it ("" when PgBouncer is missing)
        Gunicorn(..., **pooled.env())
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from bench.common import find_or_install

SCRIPT = Path(settings.BASE_DIR) / ".ci" / "pgbouncer.sh"
BASH = shutil.which("bash") or "/bin/bash"


class PgBouncer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="klimanetz-bench-pgbouncer-"))
        self.dir.chmod(0o755)  # noqa: S103 - run as root, PgBouncer runs as postgres and must reach its directory
        self.base = ""

    def __enter__(self) -> PgBouncer:
        if not find_or_install("pgbouncer", "pgbouncer") and not Path("/usr/sbin/pgbouncer").exists():
            print("PgBouncer is not installed (apt-get install pgbouncer): no runs through it", flush=True)
            return self
        db = connection.settings_dict
        command = [BASH, str(SCRIPT), "start", str(self.dir / "run"), db["HOST"] or "127.0.0.1"]
        command += [str(db["PORT"] or 5432), db["USER"], db["PASSWORD"] or ""]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603 (our own script)
        if result.returncode:
            raise RuntimeError(f"PgBouncer did not start:\n{result.stderr[-2000:]}")
        self.base = result.stdout.strip().splitlines()[-1]
        return self

    def url(self) -> str:
        """The bench database (connection's NAME) through PgBouncer; "" when it did not start."""
        return self.base + quote(connection.settings_dict["NAME"], safe="") if self.base else ""

    def env(self) -> dict[str, str]:
        """A server's or worker's environment for the bench database through PgBouncer."""
        return {"DATABASE_URL": self.url(), "DATABASE_POOLER": "pgbouncer"}

    def __exit__(self, *exc) -> None:
        subprocess.run([BASH, str(SCRIPT), "stop", str(self.dir / "run")], capture_output=True, timeout=30)  # noqa: S603
        shutil.rmtree(self.dir, ignore_errors=True)
