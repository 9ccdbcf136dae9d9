"""THE upload rule of the portal: which files may be stored (library documents, event documents, email
attachments), checked by their content, never by the name or the browser's claim alone.

``check_upload(name, content)`` returns the file's real MIME type or raises a ValidationError with a message
for the person who uploaded it. Nothing is ever executed or unpacked: ZIP archives (and the Office formats,
which are ZIP files too) are only listed, to refuse bombs, encrypted entries and programs inside.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 20 * 1024 * 1024
HEAD = 8192

# By content (magic bytes, as filetype reads them); the value is how the interface names the type.
BINARY_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (pptx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument Text (odt)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument Presentation (odp)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument Spreadsheet (ods)",
    "application/zip": "ZIP",
}
# Plain text has no magic bytes: allowed by its extension, when its content really is text.
TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain"}
TEXT_LABELS = {"text/csv": "CSV", "text/plain": "TXT"}
ALLOWED_TYPES = {**BINARY_TYPES, **TEXT_LABELS}
ZIP_BASED = {mime for mime in BINARY_TYPES if mime == "application/zip" or "openxml" in mime or "opendocument" in mime}

# ZIP listing limits: a bomb expands far beyond its size; a real archive of documents does not.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL = 500 * 1024 * 1024
ZIP_MAX_RATIO = 100
PROGRAM_SUFFIXES = {
    ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".sys", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".wsh", ".ps1", ".psm1", ".hta", ".lnk", ".jar", ".apk", ".app", ".dmg", ".sh",
    ".elf", ".bin", ".reg", ".iso", ".img", ".vhd", ".vhdx", ".docm", ".xlsm", ".pptm", ".xlam", ".application",
}  # fmt: skip
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
MARKUP = re.compile(rb"^\s*<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b", re.IGNORECASE)
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def allowed_labels() -> str:
    """The allowed types as the interface names them (for help texts and error messages)."""
    return ", ".join(sorted(set(ALLOWED_TYPES.values())))


def _size(content) -> int:
    return len(content) if isinstance(content, bytes) else content.size


def _head(content) -> bytes:
    if isinstance(content, bytes):
        return content[:HEAD]
    content.seek(0)
    head = content.read(HEAD)
    content.seek(0)
    return head


def _refuse_type() -> ValidationError:
    return ValidationError(
        _("This file type is not allowed. Allowed: %(types)s.") % {"types": allowed_labels()}, code="type"
    )


def _is_text(head: bytes) -> bool:
    """UTF-8 (with or without BOM) or Windows-1252 text without control characters or a markup prolog."""
    if CONTROL.search(head) or MARKUP.match(head.removeprefix(b"\xef\xbb\xbf")):
        return False
    for cut in range(4):  # the head may end inside a multi-byte UTF-8 sequence
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _open(content) -> IO[bytes]:
    if isinstance(content, bytes):
        return io.BytesIO(content)
    content.seek(0)
    return content


def _check_zip(content, *, archive: bool) -> None:
    """List the archive (never unpack it): refuse bombs, encrypted entries, programs and nested archives."""
    handle = _open(content)
    try:
        with zipfile.ZipFile(handle) as listing:
            entries = listing.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise ValidationError(_("The archive holds too many files."), code="zip_entries")
            total = sum(entry.file_size for entry in entries)
            packed = max(1, sum(entry.compress_size for entry in entries))
            if total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
                raise ValidationError(_("The archive unpacks to an unusually large size."), code="zip_bomb")
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise ValidationError(_("Encrypted archives cannot be stored."), code="zip_encrypted")
            if archive:
                _check_zip_entries(listing, entries)
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is damaged and cannot be read."), code="damaged") from error
    finally:
        if not isinstance(content, bytes):
            content.seek(0)


def _check_zip_entries(listing: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    for entry in entries:
        if entry.is_dir():
            continue
        suffix = os.path.splitext(entry.filename.lower())[1]
        if suffix in PROGRAM_SUFFIXES:
            raise ValidationError(
                _("The archive contains a program (%(name)s); programs cannot be stored.") % {"name": entry.filename},
                code="zip_program",
            )
        if suffix in {".zip", ".7z", ".rar", ".gz", ".tar", ".bz2", ".xz", ".cab"}:
            raise ValidationError(
                _("The archive contains another archive (%(name)s); please upload its files directly.")
                % {"name": entry.filename},
                code="zip_nested",
            )
        with listing.open(entry) as member:  # the first bytes only: a program renamed to .pdf
            if member.read(4).startswith(PROGRAM_MAGIC):
                raise ValidationError(
                    _("The archive contains a program (%(name)s); programs cannot be stored.")
                    % {"name": entry.filename},
                    code="zip_program",
                )


def check_upload(name: str, content) -> str:
    """The real MIME type of ``content`` (bytes or a Django File / UploadedFile) named ``name``, or a
    ValidationError for a type or size that may not be stored. Leaves a file positioned at its start."""
    size = _size(content)
    if size > MAX_SIZE:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    head = _head(content)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime not in BINARY_TYPES:
            raise _refuse_type()
        if kind.mime in ZIP_BASED:
            _check_zip(content, archive=kind.mime == "application/zip")
        return kind.mime
    mime = TEXT_TYPES.get(os.path.splitext((name or "").lower())[1])
    if mime is None or head.startswith(PROGRAM_MAGIC) or not _is_text(head):
        raise _refuse_type()
    return mime


def sniff(name: str, head: bytes) -> str:
    """The type of an already stored file from its first bytes (for text extraction): "" when unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    return TEXT_TYPES.get(os.path.splitext((name or "").lower())[1], "")
