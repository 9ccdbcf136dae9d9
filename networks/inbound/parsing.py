"""Reading an inbound email: pure functions, no database.

``parse_message(raw)`` reads an RFC 5322 message (any charset, quoted-printable or base64, text or HTML only)
into a ``ParsedMessage``: its Message-ID (or a hash of its bytes), the From address, the addresses it was sent to,
whether it was written by a machine (auto-reply, bounce, our own mail), the text of the reply above the quote and
its attachments.

``reply_text(text)`` takes the new text of a reply and leaves out what mail programs add below or above it:
- the marker line the portal's notifications start with ("## Bitte schreiben Sie Ihre Antwort oberhalb dieser
  Zeile ##") and everything after it;
- the quote header and everything after it: "Am 03.12.2026 um 10:15 schrieb Anna <a@b.de>:" (also broken over
  two or three lines, also "Anna schrieb am ...:"), "On ... wrote:", Outlook's header blocks ("Von: ... Gesendet:
  ... An: ... Betreff:", "From: ... Sent: ...", "-----Ursprüngliche Nachricht-----", "-----Original Message-----",
  a line of underscores before such a block), forwarded-message separators;
- a block of "> " quoted lines at the end (top posting without a header). Quoted lines between the person's own
  paragraphs (answers written between the lines of the quote) stay: they are Markdown quotes and give the
  answers their meaning;
- the signature below the "-- " line and mobile footers ("Von meinem iPhone gesendet", "Sent from my iPhone",
  "Outlook für iOS beziehen" ...). A greeting such as "Mit freundlichen Grüßen / Anna Beispiel" stays: it is
  part of what the person wrote, as it would be in the mail itself (and it is what Discourse keeps as well).

This is the heuristics of GitHub's email_reply_parser and Mailgun's talon with the German forms added; the
PyPI packages for it either lost their maintenance (talon, email-reply-parser) or rewrite every line
(mail-parser-reply strips all indentation, which breaks Markdown code and lists), so the rules live here and
are tested against real-world samples (tests/inbound/messages/*.eml).
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

MAX_TEXT = 100_000  # characters of the reply kept (a post's own limit applies after)
# A message larger than this is not read beyond its headers (and refused): the upload rule allows files up to
# 20 MB, which base64 makes about 27 MB in a mail.
MAX_MESSAGE_BYTES = 30 * 1024 * 1024
MAX_HTML = 2_000_000  # characters of an HTML-only mail converted (the text of a reply is far shorter)

# --- The reply above the quote ---------------------------------------------------------------------------------

_WROTE_PATTERNS = [
    # German: "Am 03.12.2026 um 10:15 schrieb Anna Beispiel <anna@example.org>:", "Am Mi., 3. Dez. 2026 ...",
    # Thunderbird's "Anna Beispiel schrieb am 03.12.2026 um 10:15:", Apple's "Am 03.12.2026 um 10:15 schrieb ...:"
    r"^am\s.{4,300}?\sschrieb\b.{0,300}:$",
    r"^.{1,200}\sschrieb\sam\s.{4,200}:$",
    r"^.{1,200}\s(?:hat|haben)\sam\s.{4,200}\sgeschrieben:$",
    # English: "On Wed, Dec 3, 2026 at 10:15 AM Anna <anna@example.org> wrote:", "On 03/12/2026 10:15, Anna wrote:"
    r"^on\s.{4,300}?\swrote:$",
    r"^.{1,200}\swrote\son\s.{4,200}:$",
    # French and Dutch mail programs in border regions: "Le 3 déc. 2026 à 10:15, Anna a écrit :", "Op ... schreef"
    r"^le\s.{4,300}?\sa\sécrit\s?:$",
    r"^op\s.{4,300}?\sschreef.{0,300}:$",
]
_WROTE_RE = re.compile("|".join(f"(?:{p})" for p in _WROTE_PATTERNS), re.IGNORECASE)

_SEPARATOR_RE = re.compile(
    r"^-{2,}\s*(?:ursprüngliche nachricht|original message|original[- ]nachricht|weitergeleitete nachricht|"
    r"forwarded message|message d'origine|begin forwarded message)\s*-{0,}\s*$|"
    r"^(?:begin forwarded message|anfang der weitergeleiteten nachricht|weitergeleitete nachricht):\s*$",
    re.IGNORECASE,
)
# Outlook's block: "Von: ..." / "From: ..." followed by "Gesendet:"/"Sent:"/"Datum:"/"Date:" and "An:"/"To:"
# or "Betreff:"/"Subject:" within the next lines (also bold from HTML: "*Von:* ...").
_HEADER_FIELD_RE = re.compile(
    r"^\**\s*(von|from|gesendet|sent|datum|date|an|to|cc|betreff|subject|de|envoyé|à|objet)\s*:?\**\s*:",
    re.IGNORECASE,
)
_HEADER_FROM = {"von", "from", "de"}
_HEADER_REST = {"gesendet", "sent", "datum", "date", "an", "to", "betreff", "subject", "envoyé", "à", "objet", "cc"}
_UNDERSCORES_RE = re.compile(r"^_{10,}\s*$")
# The line networks.channel's notifications start with ("## Bitte schreiben Sie Ihre Antwort oberhalb dieser Zeile
# ##"), also quoted or in another language of the portal: everything from it on is the notification.
_MARKER_RE = re.compile(r"^[>\s]*#{2,}.*(?:above this line|oberhalb dieser zeile).*#{2,}\s*$", re.IGNORECASE)
_SIGNATURE_RE = re.compile(r"^--\s?$")
_MOBILE_RE = re.compile(
    r"^(?:von meinem .{1,60} gesendet\.?|gesendet von meinem .{1,60}|gesendet (?:von|mit) (?:der )?.{1,40}"
    r"(?:app|mail)\.?|sent from my .{1,60}|sent from (?:outlook|mail|yahoo mail|gmail).{0,60}|"
    r"get outlook for .{1,30}|outlook für .{1,30} (?:beziehen|herunterladen)|von mail für windows gesendet\.?|"
    r"diese nachricht wurde von meinem .{1,60} gesendet\.?)$",
    re.IGNORECASE,
)


_HEADER_START = _HEADER_FROM | {"gesendet", "sent", "datum", "date", "envoyé"}


def _is_outlook_block(lines: list[str], i: int) -> bool:
    """A block of quoted mail headers starting on line ``i``: Outlook's "Von: / Gesendet: / An: / Betreff:",
    GMX's and WEB.DE's "Gesendet: / Von: / An: / Betreff:", and their English forms. It needs a sender field
    and two more within seven lines (a header value may wrap onto the next line)."""
    match = _HEADER_FIELD_RE.match(lines[i].strip())
    if not match or match[1].lower() not in _HEADER_START:
        return False
    seen = {match[1].lower()}
    for line in lines[i + 1 : i + 7]:
        field_match = _HEADER_FIELD_RE.match(line.strip())
        if field_match:
            seen.add(field_match[1].lower())
    return bool(seen & _HEADER_FROM) and len(seen & _HEADER_REST) >= 2


def _wrote_header_at(lines: list[str], i: int) -> bool:
    """A quote header starting on line ``i``, written on one line or broken over up to three."""
    first = lines[i].strip()
    if not first or first.startswith(">"):
        return False
    joined = first
    for extra in range(3):
        if extra:
            if i + extra >= len(lines):
                break
            nxt = lines[i + extra].strip()
            if not nxt or nxt.startswith(">"):
                break
            joined = f"{joined} {nxt}"
        if len(joined) <= 600 and _WROTE_RE.match(joined):
            return True
    return False


def reply_text(text: str) -> str:
    """The new text of a reply: the quote header and all below it, a trailing quote and the signature cut off."""
    # Only the beginning can become the post (MAX_TEXT); the rules never look further, whatever the mail's size.
    text = text[: MAX_TEXT + 10_000]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if (
            _MARKER_RE.match(stripped)
            or _SIGNATURE_RE.match(line.rstrip("\n"))
            or _SEPARATOR_RE.match(stripped)
            or _MOBILE_RE.match(stripped)
            or _wrote_header_at(lines, i)
            or _is_outlook_block(lines, i)
        ):
            cut = i
            break
        if _UNDERSCORES_RE.match(stripped) and any(_is_outlook_block(lines, j) for j in range(i + 1, i + 3)):
            cut = i
            break
    kept = lines[:cut]
    # the quote below the text (top posting without a header line), then blank lines
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    result = "\n".join(line.rstrip() for line in kept)
    return result[:MAX_TEXT].strip("\n")


# --- HTML-only mail to text ----------------------------------------------------------------------------------

# Containers mail programs put the quoted mail or their own additions in (Gmail, Outlook, Apple Mail,
# Thunderbird, Yahoo, GMX/WEB.DE): left out with everything inside.
_QUOTE_CLASSES = {"gmail_quote", "gmail_extra", "yahoo_quoted", "moz-cite-prefix", "ms-outlook-mobile-reference"}
# (Outlook's own header block, div#divRplyFwdMsg, stays: its "Von: ... Gesendet: ..." lines are where the text
# rules cut, and the quoted mail Outlook puts after it, outside any container, goes with it.)
_QUOTE_IDS = {"mail-editor-reference-message-container", "yahoo_quoted"}
_SKIP_TAGS = {"blockquote", "head", "style", "script", "title", "template", "svg", "noscript"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_BLOCK = {"p", "div", "section", "article", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0  # > 0 inside a left-out element
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a skip)
        self.links: list[str | None] = []
        self.pre = 0
        self.list_stack: list[list] = []  # ["ul"|"ol", counter]
        self.has_text = False

    def _newlines(self, n: int) -> None:
        """End the text so far with ``n`` line breaks (nothing before the first text). Looks back only as far as
        the trailing line breaks go: linear in the length of the mail."""
        if not self.has_text:
            return
        have = 0
        for piece in reversed(self.out):
            stripped = piece.rstrip("\n")
            have += len(piece) - len(stripped)
            if stripped:
                break
        self.out.append("\n" * max(0, n - have))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").lower().split())
        ident = (attrs.get("id") or "").lower()
        skip = tag in _SKIP_TAGS or bool(classes & _QUOTE_CLASSES) or ident in _QUOTE_IDS
        if attrs.get("type", "").lower() == "cite":
            skip = True
        if tag not in _VOID:
            self.stack.append((tag, skip))
        if skip:
            self.skip_depth += 1
            if tag in _VOID:
                self.skip_depth -= 1
            return
        if self.skip_depth:
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self._newlines(2)
        elif tag in ("ul", "ol"):
            self.list_stack.append([tag, 0])
            self._newlines(2)
        elif tag == "li":
            self._newlines(1)
            if self.list_stack and self.list_stack[-1][0] == "ol":
                self.list_stack[-1][1] += 1
                self.out.append(f"{self.list_stack[-1][1]}. ")
            else:
                self.out.append("- ")
        elif tag in _BLOCK:
            self._newlines(2 if tag != "div" and tag != "tr" else 1)
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            self.links.append((attrs.get("href"), len(self.out)))
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        # close up to the matching open tag (mail HTML is often unbalanced)
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                for _name, skipped in self.stack[depth:]:
                    if skipped:
                        self.skip_depth -= 1
                del self.stack[depth:]
                break
        else:
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol") and self.list_stack:
            self.list_stack.pop()
            self._newlines(2)
        elif tag in _BLOCK or tag == "li":
            self._newlines(2 if tag not in ("div", "tr", "li") else 1)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if href and href.lower().startswith(("http://", "https://")):
                # the visible text is already out; add the address unless the text is the address itself
                label = "".join(self.out[start:]).strip()
                if label.rstrip("/") != href.strip().rstrip("/"):
                    self.out.append(f" <{href}>" if label else href)

    def handle_data(self, data):
        if self.skip_depth:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            text = "".join(self.out[-1:])
            if (not text or text.endswith(("\n", " "))) and data.startswith(" "):
                data = data.lstrip(" ")
        self.out.append(data)
        self.has_text = self.has_text or bool(data.strip())

    def text(self) -> str:
        raw = "".join(self.out).replace("\xa0", " ")
        lines = [line.rstrip() for line in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """The text of an HTML mail: paragraphs and line breaks kept, lists as "- ", links as "text <url>", quotes
    (``<blockquote>``, Gmail's, Outlook's and Thunderbird's quote containers), styles and scripts left out."""
    parser = _TextExtractor()
    markup = (markup or "")[:MAX_HTML]
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 (html.parser raises on very broken markup; fall back to the bare text)
        return html.unescape(re.sub(r"<[^>]*>", " ", markup or "")).strip()
    return parser.text()


# --- The message ---------------------------------------------------------------------------------------------


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedMessage:
    message_id: str  # "<...>" from the header, or "sha256:<hex>" of the bytes when it has none
    from_address: str  # lower case, "" when missing
    from_name: str
    recipients: list[str]  # every address it was delivered to (Delivered-To, X-Original-To, To, Cc), lower case
    subject: str
    automatic: str  # "" for a person's mail, else why it is a machine's: "auto-reply", "bounce", "list", "ours"
    text: str  # the whole text (text/plain, or the HTML part converted)
    reply: str  # the new text above the quote (reply_text)
    attachments: list[Attachment] = field(default_factory=list)
    from_html: bool = False
    too_large: bool = False  # over MAX_MESSAGE_BYTES: only the headers were read


_RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc")


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 (a malformed header must not stop the message)
        value = None
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:  # noqa: BLE001
        return ""


def _all_headers(msg: EmailMessage, name: str) -> list[str]:
    try:
        values = msg.get_all(name) or []
    except Exception:  # noqa: BLE001
        return []
    out = []
    for value in values:
        try:
            out.append(str(value))
        except Exception:  # noqa: BLE001, S112 (a header that cannot be read is left out)
            continue
    return out


def automatic_reason(msg: EmailMessage, *, own_marker: str = "X-Klimanetz-Message") -> str:
    """Why the message was written by a machine ("" when a person wrote it): RFC 3834 Auto-Submitted, Precedence,
    the X-Autoreply family, an empty Return-Path (a bounce, RFC 5321), a delivery or read report (multipart/report,
    RFC 6522), a mailer daemon, or one of our own mails coming back."""
    if _header(msg, own_marker):
        return "ours"
    if msg.get_content_type() == "multipart/report":
        return "bounce"
    if any(value.strip() in ("<>", "") for value in _all_headers(msg, "Return-Path")) and msg.get("Return-Path"):
        return "bounce"
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return "auto-reply"
    if _header(msg, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply", "auto-reply"):
        return "auto-reply"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Autoreply", "X-AutoReply-From"):
        if _header(msg, name):
            return "auto-reply"
    suppress = _header(msg, "X-Auto-Response-Suppress").lower()
    if suppress and any(word in suppress for word in ("all", "oof", "autoreply")):
        # Exchange marks its own automatic mails (out-of-office, recall) like this
        return "auto-reply"
    if _header(msg, "List-Id") or _header(msg, "List-Unsubscribe"):
        return "list"
    sender = parseaddr(_header(msg, "From"))[1].lower()
    if sender.split("@")[0] in ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply"):
        return "bounce"
    return ""


def _decode_part(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        for encoding in (charset, "utf-8", "windows-1252"):
            try:
                return payload.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
        return payload.decode("utf-8", errors="replace")


def _fix_charset(text: str, part) -> str:
    # mail labelled iso-8859-1 is mostly windows-1252 in truth (Outlook's „quotes“ and the euro sign)
    if (part.get_content_charset() or "").lower() in ("iso-8859-1", "latin-1", "latin1") and re.search(
        r"[\x80-\x9f]", text
    ):
        payload = part.get_payload(decode=True) or b""
        try:
            return payload.decode("windows-1252")
        except UnicodeDecodeError:
            return text
    return text


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed text (Thunderbird, Apple Mail) as the paragraphs the person wrote: a line ending in
    a space continues on the next line of the same quote depth (the portal shows every remaining line break as
    one). Space-stuffing is undone; the signature separator "-- " stays a line of its own."""
    out: list[str] = []
    joining = False
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        quote, content = line[:depth], line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed (or the space after the quote marks)
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if joining and out and out[-1][0] == depth:
            out[-1] = (depth, out[-1][1] + content)
        else:
            out.append((depth, (quote + " " if quote else "") + content))
        joining = flowed
    return "\n".join(text for _depth, text in out)


def _bodies_and_attachments(msg: EmailMessage) -> tuple[str, str, list[Attachment]]:
    plain, markup, attachments = "", "", []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if content_type == "message/rfc822" or (disposition == "attachment" or filename):
            if content_type.startswith("message/"):
                continue  # a forwarded mail inside the reply: not an attachment for the library
            if disposition != "attachment" and part.get("Content-ID"):
                continue  # an image the HTML shows (a signature's logo), not a file the person attached
            payload = part.get_payload(decode=True)
            if payload is not None and (filename or disposition == "attachment"):
                name = (filename or "anhang").strip() or "anhang"
                attachments.append(Attachment(filename=name, content_type=content_type, content=payload))
            continue
        if content_type == "text/plain" and not plain:
            plain = _fix_charset(_decode_part(part), part)
            if (part.get_param("format") or "").lower() == "flowed":
                plain = unflow(plain, delsp=(part.get_param("delsp") or "").lower() == "yes")
        elif content_type == "text/html" and not markup:
            markup = _fix_charset(_decode_part(part), part)
    return plain, markup, attachments


def message_key(raw: bytes, message_id: str) -> str:
    message_id = (message_id or "").strip()
    if message_id and len(message_id) <= 250:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def parse_message(raw: bytes) -> ParsedMessage:
    too_large = len(raw) > MAX_MESSAGE_BYTES
    if too_large:
        msg = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    else:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    from_name, from_address = parseaddr(_header(msg, "From"))
    recipients: list[str] = []
    for name in _RECIPIENT_HEADERS:
        for _display, address in getaddresses(_all_headers(msg, name)):
            address = address.strip().lower()
            if address and address not in recipients:
                recipients.append(address)
    plain, markup, attachments = ("", "", []) if too_large else _bodies_and_attachments(msg)
    from_html = not plain.strip() and bool(markup.strip())
    text = html_to_text(markup) if from_html else plain
    return ParsedMessage(
        message_id=message_key(raw, _header(msg, "Message-ID")),
        from_address=from_address.strip().lower(),
        from_name=from_name.strip(),
        recipients=recipients,
        subject=" ".join(_header(msg, "Subject").split())[:250],
        automatic=automatic_reason(msg),
        text=text,
        reply=reply_text(text),
        attachments=attachments,
        from_html=from_html,
        too_large=too_large,
    )
