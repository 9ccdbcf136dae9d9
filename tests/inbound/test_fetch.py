"""The configuration of the inbound path, the beat task's off state and the management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from networks.channel.models import Post
from networks.inbound import fetch, tasks
from networks.inbound.models import InboundMessage
from tests.inbound.factories import MESSAGES, reply_mail


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imaps://portal:geheim@mail.example.org/INBOX", ("ssl", "mail.example.org", 993, "portal", "geheim", "INBOX")),
        ("imap+starttls://p:x@mail.example.org/", ("starttls", "mail.example.org", 143, "p", "x", "INBOX")),
        ("starttls://p:x@mail.example.org:1143", ("starttls", "mail.example.org", 1143, "p", "x", "INBOX")),
        (
            "imap://klima%40stadt.de:p%2Fw%3A@127.0.0.1:1430/Antworten",
            ("plain", "127.0.0.1", 1430, "klima@stadt.de", "p/w:", "Antworten"),
        ),
        ("imaps://p:x@h/INBOX/Klimanetz", ("ssl", "h", 993, "p", "x", "INBOX/Klimanetz")),
    ],
)
def test_parse_url(url, expected):
    config = fetch.parse_url(url)
    assert (config.security, config.host, config.port, config.user, config.password, config.folder) == expected


def test_password_never_in_repr():
    config = fetch.parse_url("imaps://portal:Sehr-Geheim-42@mail.example.org/INBOX")
    assert "Sehr-Geheim-42" not in repr(config) and "Sehr-Geheim-42" not in str(config)


@pytest.mark.parametrize("url", ["", "pop3://a:b@h", "imaps://h/INBOX", "imaps:///INBOX", "https://a:b@h"])
def test_parse_url_refuses(url):
    with pytest.raises(ValueError):
        fetch.parse_url(url)


def test_task_is_off_without_url(settings):
    settings.INBOUND_IMAP_URL = ""
    assert tasks.inbound_fetch() == "off"


def test_task_releases_the_lock_when_the_server_is_away(settings):
    from django.core.cache import cache

    settings.INBOUND_IMAP_URL = "imap://p:x@127.0.0.1:1/INBOX"  # nothing listens on port 1
    with pytest.raises(OSError):
        tasks.inbound_fetch()
    assert cache.get(tasks.LOCK_KEY) is None


def test_beat_schedule_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["inbound-fetch"]
    assert entry["task"] == tasks.inbound_fetch.name
    assert entry["schedule"].total_seconds() == 60


def test_command_needs_the_url(settings):
    settings.INBOUND_IMAP_URL = ""
    with pytest.raises(CommandError, match="INBOUND_IMAP_URL"):
        call_command("inbound_fetch")


@pytest.mark.django_db
def test_command_processes_files(personas, thread, address_of, tmp_path):
    member = personas.people["member"]
    path = tmp_path / "antwort.eml"
    path.write_bytes(reply_mail(to=address_of(member, thread), sender=member.user.email, body="Per Datei."))
    out = StringIO()
    call_command("inbound_fetch", file=[str(path), str(MESSAGES / "bounce.eml")], stdout=out)
    assert out.getvalue().splitlines() == [f"{path}: posted", f"{MESSAGES / 'bounce.eml'}: dropped bounce"]
    assert Post.objects.get(thread=thread, via="email").body == "Per Datei."
    assert InboundMessage.objects.count() == 2
    with pytest.raises(CommandError, match="no such file"):
        call_command("inbound_fetch", file=[str(tmp_path / "fehlt.eml")])
