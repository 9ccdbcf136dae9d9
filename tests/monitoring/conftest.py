"""Helpers for monitoring tests that build their world once per module (reports are slow to build; the block:
tests/conftest.py ``built_once``)."""

from __future__ import annotations

import pytest


def fresh(obj):
    """The row of ``obj`` read again: the module's Python objects stay as built, whatever a test changed."""
    return type(obj)._default_manager.get(pk=obj.pk)


@pytest.fixture
def html_only(monkeypatch):
    """Builds that test the life of a report, not its files: the PDF, workbook and CSV as stand-ins."""
    from monitoring.reporting import RENDERERS

    for fmt in ("pdf", "xlsx", "csv"):
        monkeypatch.setitem(RENDERERS, fmt, lambda snapshot: b"stand-in")
