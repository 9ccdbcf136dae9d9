"""A digest world of its own: sections that show what a test puts into them (the real ones are set aside)."""

from datetime import datetime

import pytest

from networks.digest import sections as registry


class Board:
    """Items per stream, as a room would find them in its tables; each section filters by networks and window."""

    def __init__(self):
        self.items = {s: [] for s in registry.STREAMS}

    def add(self, stream: str, network, title: str, date: datetime, **kwargs) -> registry.Item:
        item = registry.Item(
            network=network, title=title, url=f"/x/{title}/", date=date, key=f"{stream}:{title}", **kwargs
        )
        self.items[stream].append(item)
        return item

    def batch(self, stream: str):
        def items_batch(requests):
            return {
                r.person.pk: [
                    i
                    for i in self.items[stream]
                    if i.network_id in {n.pk for n in r.networks} and r.since < i.date <= r.until
                ]
                for r in requests
            }

        return items_batch


@pytest.fixture
def board(monkeypatch):
    board = Board()
    monkeypatch.setattr(registry, "_SECTIONS", {})
    registry.register(
        key="t-posts", title="Diskussionen", order=10, stream=registry.POSTS, items_batch=board.batch("posts")
    )
    registry.register(
        key="t-ann",
        title="Ankündigungen",
        order=5,
        stream=registry.ANNOUNCEMENTS,
        items_batch=board.batch("announcements"),
    )
    registry.register(key="t-news", title="Termine", order=20, stream=registry.NEWS, items_batch=board.batch("news"))
    return board
