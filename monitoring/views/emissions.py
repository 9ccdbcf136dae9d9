"""Editors' pages: GHG balance, its import and the target path; heat planning and climate strategy."""

from __future__ import annotations


def balance_entry(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the emissions part


def balance_import(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the emissions part


def path_edit(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the emissions part


def heat_planning_edit(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the emissions part


def strategy_edit(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the emissions part
