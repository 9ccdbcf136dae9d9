"""Extract the text of stored files that have none yet (or of all files with --all), synchronously."""

from django.core.management.base import BaseCommand

from networks.library import tasks, texts
from networks.library.models import FileText


class Command(BaseCommand):
    help = "Extract the text of library and event documents that have none yet (for search)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Extract every file again.")

    def handle(self, *args, **options):
        if options["all"]:
            names = list(FileText.objects.values_list("storage_name", flat=True)) + tasks.files_without_text(10**9)
        else:
            names = tasks.files_without_text(10**9)
        done = failed = 0
        for name in names:
            row = texts.extract_file(name, force=options["all"])
            if row is None or row.error:
                failed += 1
            else:
                done += 1
        self.stdout.write(f"{done} extracted, {failed} without text (missing or unreadable).")
