"""Mark the @mentions of posts written before mentions were marked (networks.markdown.mark_mentions): each post
with an "@" is rendered again as a save does. Idempotent; safe to run again.

    python manage.py channel_mark_mentions
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from networks.channel.mentions import has_mention
from networks.channel.models import Post


class Command(BaseCommand):
    help = "Render the posts that mention someone again, so that their @mentions are marked."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="posts per transaction (default 200)")

    def handle(self, *args, batch: int, **options):
        candidates = Post.objects.filter(body__contains="@").select_related("thread").order_by("pk")
        changed = seen = 0
        pks = list(candidates.values_list("pk", flat=True))
        for start in range(0, len(pks), batch):
            with transaction.atomic():
                for post in candidates.filter(pk__in=pks[start : start + batch]):
                    seen += 1
                    if not has_mention(post.body):
                        continue
                    before = post.body_html
                    post.save(update_fields=["body_html"])
                    changed += post.body_html != before
        self.stdout.write(f"{seen} posts with an @ read, {changed} rendered again with their mentions marked")
