"""Helpers for monitoring tests that build their world once per module (reports are slow to build)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from tests.conftest import rolled_back


@contextmanager
def built_once(django_db_blocker) -> Iterator[Path]:
    """A block that builds data once for a module, inside a transaction rolled back when the block ends
    (tests/conftest.py ``rolled_back``).

    Yields the media directory of the block (the reports' files); each test runs in a savepoint inside the
    transaction (pytest-django's ``db``) and points MEDIA_ROOT at this directory (see ``media_of``).
    """
    with (
        tempfile.TemporaryDirectory(prefix="klimanetz-monitoring-") as media,
        rolled_back(django_db_blocker),
        override_settings(MEDIA_ROOT=media),
        translation.override("de"),
    ):
        yield Path(media)


def fresh(obj):
    """The row of ``obj`` read again: the module's Python objects stay as built, whatever a test changed."""
    return type(obj)._default_manager.get(pk=obj.pk)


@pytest.fixture
def html_only(monkeypatch):
    """Builds that test the life of a report, not its files: the PDF, workbook and CSV as stand-ins."""
    from monitoring.reporting import RENDERERS

    for fmt in ("pdf", "xlsx", "csv"):
        monkeypatch.setitem(RENDERERS, fmt, lambda snapshot: b"stand-in")
