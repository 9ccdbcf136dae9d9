"""Real identity providers for the sign-in tests (networks.signin), each run as its own process on loopback:
an OpenID provider (django-oauth-toolkit, oidc/) and a SAML 2.0 identity provider (pysaml2, saml/)."""

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(module: str, *args: str, env: dict | None = None, timeout: float = 30) -> tuple[subprocess.Popen, str]:
    """Start ``python -m module args`` and wait for its line "READY <base url>"; the process and the URL. A provider
    that does not come up fails the test (it needs nothing but Python packages from requirements.txt)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("READY "):
            return proc, line.split()[1].rstrip("/")
    stop(proc)
    pytest.fail(f"{module} did not start within {timeout:.0f}s:\n{''.join(lines)}", pytrace=False)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
