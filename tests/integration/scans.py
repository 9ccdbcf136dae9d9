"""Beat scans queued several times over, then worked off by a real Celery worker (threads, on Redis)."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from config.celery import app as celery_app
from networks.models import OutboxMessage
from tests.integration.test_celery_outbox import QUEUE, _start_worker, _stop_worker

WAIT_SECONDS = 40


@dataclass
class Run:
    log: str  # the worker's log
    mails: list[str]  # the text of every mail the worker sent

    def results(self, task_name: str) -> list[int]:
        """What each run of the task returned (the number it enqueued)."""
        return [int(n) for n in re.findall(rf"{task_name}\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)", self.log)]

    def mails_to(self, email: str) -> int:
        to = rf"^To: {re.escape(email)}$"
        return sum(len(re.findall(to, text, re.MULTILINE)) for text in self.mails)


def run_queued_scans(task, times: int, *, reason: str, mails: int, tmp_path: Path) -> Run:
    """Queue ``task`` ``times`` times (beat firing again while a scan is queued), start a worker and wait
    until every scan succeeded and ``mails`` messages of ``reason`` went out, then a moment longer (nothing
    else may arrive). Needs settings.CELERY_TASK_ALWAYS_EAGER = False (the test sets it)."""
    eager_before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete(QUEUE)
    mail_dir, log_path = tmp_path / "mail", tmp_path / "worker.log"
    name = task.name.rsplit(".", 1)[-1]
    worker = None
    try:
        for _ in range(times):
            task.delay()
        assert broker.llen(QUEUE) == times
        worker = _start_worker(mail_dir=mail_dir, log_path=log_path)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            sent = OutboxMessage.objects.filter(reason=reason, status="sent").count()
            scans = re.findall(rf"{name}\[[^\]]+\] succeeded", log_path.read_text(errors="replace"))
            if sent >= mails and len(scans) == times and broker.llen(QUEUE) == 0:
                break
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"sent={sent} scans={len(scans)}\n" + log_path.read_text(errors="replace")[-4000:], pytrace=False
                )
            time.sleep(0.2)
        time.sleep(1.5)
    finally:
        if worker is not None:
            _stop_worker(worker)
        celery_app.conf.task_always_eager = eager_before
    texts = [p.read_text(errors="replace") for p in sorted(mail_dir.iterdir())] if mail_dir.exists() else []
    return Run(log=log_path.read_text(errors="replace"), mails=texts)
