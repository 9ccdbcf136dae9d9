"""Write every stored file (local media or the bucket) into one tar.gz: ``manage.py media_export FILE``."""

from django.core.management.base import BaseCommand

from networks.media_archive import export_media


class Command(BaseCommand):
    help = "Write every stored file (local media or the object storage's bucket) into a tar.gz (make backup)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the archive to write (.tar.gz)")

    def handle(self, *args, file: str, **options) -> None:
        with open(file, "wb") as target:
            files, size = export_media(target)
        self.stdout.write(f"{files} files, {size} bytes written to {file}")
