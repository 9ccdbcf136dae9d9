"""Take replies by email now: from the IMAP mailbox of INBOUND_IMAP_URL (what the beat task does every minute),
or from .eml files (``--file``: try reply by email without a mail server)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from networks.inbound import fetch, services


class Command(BaseCommand):
    help = "Fetch replies by email from INBOUND_IMAP_URL (or process .eml files) and post them."

    def add_arguments(self, parser):
        parser.add_argument("--file", action="append", default=[], help="an .eml file to process (repeatable)")
        parser.add_argument("--limit", type=int, default=500, help="at most this many messages per run")

    def handle(self, *args, **options):
        if options["file"]:
            for name in options["file"]:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"no such file: {name}")
                result = services.process(path.read_bytes())
                self.stdout.write(f"{name}: {result.outcome} {result.reason}".rstrip())
            return
        if not settings.INBOUND_IMAP_URL:
            raise CommandError("INBOUND_IMAP_URL is not set: inbound mail is off (see README, 'Antworten per E-Mail').")
        try:
            report = fetch.fetch_and_process(limit=options["limit"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(report))
