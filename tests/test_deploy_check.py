"""The production configuration passes Django's deployment checks, and refuses to start without a secret key.

Each test runs manage.py in a fresh process: settings.py reads the environment only at import.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

# Variables of the test process that must not leak into the "production" process.
DEV_ONLY = ["DJANGO_SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_FILE_PATH", "MFA_DEMO_BYPASS", "SQLITE_PATH"]


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DEV_ONLY}
    env.update(
        DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),  # 60 random characters
        ALLOWED_HOSTS="klimanetz.example",
        SITE_URL="https://klimanetz.example",  # the links of emails and .ics files (networks.checks)
        KLIMANETZ_TESTING="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONWARNINGS="ignore",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    env = production_env()
    assert len(env["DJANGO_SECRET_KEY"]) == 60
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_secret_key(secret_key):
    env = production_env()
    if secret_key is None:
        del env["DJANGO_SECRET_KEY"]
    else:
        env["DJANGO_SECRET_KEY"] = secret_key  # also wins over a DJANGO_SECRET_KEY in a local .env file
    result = manage("check", env=env)
    assert result.returncode != 0, f"started without a secret key:\n{result.stdout}\n{result.stderr}"
    assert "DJANGO_SECRET_KEY" in result.stderr, result.stderr
