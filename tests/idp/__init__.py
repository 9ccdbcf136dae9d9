"""Real identity providers for the sign-in tests (networks.signin), each run as its own process on loopback:
an OpenID provider (django-oauth-toolkit, oidc/) and a SAML 2.0 identity provider (pysaml2, saml/)."""

import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def launch(module: str, *args: str) -> subprocess.Popen:
    """Start ``python -m module args`` (it prints "READY <base url>" once it serves; idp.ready waits for it)."""
    return subprocess.Popen(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def ready(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The provider's base URL once it said READY. One that does not come up fails the test, never skips (it needs
    only Python packages from requirements.txt and Debian's xmlsec1, which .ci/run installs)."""
    lines = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([proc.stdout], [], [], left)[0]:
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("READY "):
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
            return line.split()[1].rstrip("/")
    stop(proc)
    pytest.fail(f"{proc.args[2]} did not start within {timeout:.0f}s:\n{''.join(lines)}", pytrace=False)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
