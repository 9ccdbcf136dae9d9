"""Celery tasks of networks.search (filled in below)."""
