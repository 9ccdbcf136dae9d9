"""The network board and the coordinators' health view."""

from __future__ import annotations


def board(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the network part


def health(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the network part


def health_detail(request, **kwargs):
    raise NotImplementedError  # placeholder: implemented by the network part
