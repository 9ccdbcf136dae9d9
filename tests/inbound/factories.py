"""Test data of networks.inbound: real messages (messages/*.eml) and messages built to order."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from django.utils import timezone

MESSAGES = Path(__file__).parent / "messages"
REPLY_DOMAIN = "klimanetz.example"


def sample(name: str, *, to: str = "", sender: str = "") -> bytes:
    """A stored sample; its reply address ``reply+TOKEN@klimanetz.example`` replaced by ``to``, its From address
    by ``sender`` (when given)."""
    raw = (MESSAGES / name).read_bytes()
    if to:
        raw = raw.replace(b"reply+TOKEN@klimanetz.example", to.encode())
    if sender:
        lines = raw.split(b"\r\n")
        for i, line in enumerate(lines):
            if line.lower().startswith(b"from:"):
                lines[i] = b"From: " + sender.encode()
                break
        raw = b"\r\n".join(lines)
    return raw


def reply_mail(
    *,
    to: str,
    sender: str,
    body: str = "Danke, das hilft uns weiter.\n\nAm 03.12.2026 um 10:15 schrieb Klimanetz:\n> Frage?\n",
    subject: str = "Re: Frage",
    message_id: str | None = None,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    """A reply as a mail program sends it (RFC 5322 bytes)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        msg[name] = value
    if html is not None and not body:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    for filename, mimetype, content in attachments:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()
