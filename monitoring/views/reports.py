"""Monitoring reports: request, progress, downloads, retry, publish, yearly schedule."""

from __future__ import annotations


def report_create(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_detail(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_status(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_download(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_retry(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_publish(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part


def report_schedule(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the reports part
