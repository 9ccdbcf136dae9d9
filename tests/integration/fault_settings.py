"""Settings of the fault tests' subprocesses: the project's, with mail recorded to a file (RecordingEmailBackend)."""

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.services.RecordingEmailBackend"
