"""python manage.py search_reindex [--kind KIND]: rebuild the search index (all kinds or one)."""

import time

from django.core.management.base import BaseCommand, CommandError

from networks.search import registry


class Command(BaseCommand):
    help = "Rebuild the search index from every registered source (or from one kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="only this kind, e.g. measure, event, thread")

    def handle(self, *args, kind=None, **options):
        if kind and registry.get(kind) is None:
            known = ", ".join(s.kind for s in registry.sources())
            raise CommandError(f"Unknown kind {kind!r}; known: {known}")
        started = time.monotonic()
        total = registry.reindex(kind, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{total} items indexed in {time.monotonic() - started:.1f} s"))
