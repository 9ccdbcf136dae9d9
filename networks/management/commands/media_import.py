"""Write the files of a media archive back into the storage: ``manage.py media_import FILE``."""

from django.core.management.base import BaseCommand, CommandError

from networks.media_archive import import_media


class Command(BaseCommand):
    help = "Write the files of a media archive (media_export, or a tar of MEDIA_ROOT) into the storage (make restore)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the archive to read (.tar.gz)")

    def handle(self, *args, file: str, **options) -> None:
        try:
            with open(file, "rb") as source:
                files, size = import_media(source)
        except FileNotFoundError as error:
            raise CommandError(f"no archive at {file}") from error
        self.stdout.write(f"{files} files, {size} bytes restored from {file}")
