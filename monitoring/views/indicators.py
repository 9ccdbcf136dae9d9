"""Editors' pages: indicators, values entry and import."""

from __future__ import annotations


def organisation_overview(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part


def indicator_create(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part


def indicator_edit(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part


def indicator_delete(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part


def values_entry(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part


def values_import(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the indicators part
