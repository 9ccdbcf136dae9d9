"""Factories of networks.channel. ThreadFactory makes a thread with its first post (as thread_create does)."""

import factory
from django.utils import timezone

from networks.channel.models import Category, Post, Thread
from tests.networks.factories import NetworkFactory, PersonFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.Sequence(lambda n: f"kategorie-{n}")


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Erfahrungen mit der Wärmeplanung {n}")
    author = factory.SubFactory(PersonFactory)
    last_post_by = factory.SelfAttribute("author")
    post_count = 1

    @factory.post_generation
    def first_post(self, create, extracted, **kwargs):
        if create:
            Post.objects.create(thread=self, number=1, author=self.author, body=extracted or "Wer hat Erfahrung?")


def add_posts(thread: Thread, count: int, *, author=None, body: str = "Eine Antwort.") -> list[Post]:
    """``count`` replies at the end of ``thread`` in one insert (for the query-count tests and the bench)."""
    author = author or thread.author
    start, now = thread.post_count, timezone.now()
    posts = Post.objects.bulk_create(
        [Post(thread=thread, number=start + i + 1, author=author, body=f"{body} {i}") for i in range(count)]
    )
    thread.post_count, thread.last_post_at, thread.last_post_by = start + count, now, author
    thread.save(update_fields=["post_count", "last_post_at", "last_post_by"])
    return posts
