"""Text of stored files for search: PDF, DOCX, ODT/ODP/ODS, XLSX, PPTX, CSV and TXT.

Bounded: at most MAX_CHARS of text, MAX_PAGES pages / slides / sheets rows, and a deadline per file checked
between pages; a file that cannot be read raises ExtractionError (the task records it, the upload is unaffected).
Nothing in a file is executed: the Office readers parse XML (lxml / defusedxml), pypdf reads the text layer.
"""

from __future__ import annotations

import io
import time
import zipfile

MAX_CHARS = 2_000_000
MAX_PAGES = 500
MAX_ROWS = 20_000
DEADLINE_SECONDS = 60.0
MAX_UNPACKED = 100 * 1024 * 1024  # what an Office file may unpack to before its text is read


class ExtractionError(Exception):
    pass


class _Collector:
    """Collects text up to MAX_CHARS and stops the reader when the text is full or time is up."""

    def __init__(self, deadline: float) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.deadline = deadline

    @property
    def full(self) -> bool:
        return self.size >= MAX_CHARS or time.monotonic() > self.deadline

    def add(self, text: str | None) -> None:
        if not text or self.size >= MAX_CHARS:
            return
        text = text[: MAX_CHARS - self.size]
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "\n".join(self.parts).replace("\x00", "")


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ExtractionError("encrypted PDF")
    for index, page in enumerate(reader.pages):
        if index >= MAX_PAGES or out.full:
            break
        out.add(page.extract_text())


def _check_office_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as listing:
        if sum(entry.file_size for entry in listing.infolist()) > MAX_UNPACKED:
            raise ExtractionError("the file unpacks to more than 100 MB")


def _docx(data: bytes, out: _Collector) -> None:
    import docx

    _check_office_zip(data)
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if out.full:
            return
        out.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            if out.full:
                return
            out.add(" ".join(cell.text for cell in row.cells))


def _pptx(data: bytes, out: _Collector) -> None:
    import pptx

    _check_office_zip(data)
    presentation = pptx.Presentation(io.BytesIO(data))
    for index, slide in enumerate(presentation.slides):
        if index >= MAX_PAGES or out.full:
            return
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.add(shape.text_frame.text)
        if slide.has_notes_slide:
            out.add(slide.notes_slide.notes_text_frame.text)


def _xlsx(data: bytes, out: _Collector) -> None:
    import openpyxl

    _check_office_zip(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for index, row in enumerate(sheet.iter_rows(values_only=True)):
                if index >= MAX_ROWS or out.full:
                    break
                out.add(" ".join(str(value) for value in row if value is not None))
    finally:
        workbook.close()


def _odf(data: bytes, out: _Collector) -> None:
    from odf import teletype, text
    from odf.opendocument import load

    _check_office_zip(data)
    document = load(io.BytesIO(data))
    for element in document.body.getElementsByType(text.H) + document.body.getElementsByType(text.P):
        if out.full:
            return
        out.add(teletype.extractText(element))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel writes as "CSV" in Germany)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _text(data: bytes, out: _Collector) -> None:
    out.add(decode_text(data[: MAX_CHARS * 2]))


READERS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _pptx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx,
    "application/vnd.oasis.opendocument.text": _odf,
    "application/vnd.oasis.opendocument.presentation": _odf,
    "application/vnd.oasis.opendocument.spreadsheet": _odf,
    "text/csv": _text,
    "text/plain": _text,
}


def extract(data: bytes, content_type: str, *, seconds: float = DEADLINE_SECONDS) -> str:
    """The text of a file of this type ("" for types without text, such as images and ZIP archives)."""
    reader = READERS.get(content_type)
    if reader is None:
        return ""
    out = _Collector(time.monotonic() + seconds)
    try:
        reader(data, out)
    except ExtractionError:
        raise
    except Exception as error:  # a damaged or hostile file: whatever the reader raised, it is the file's fault
        raise ExtractionError(f"{type(error).__name__}: {error}"[:250]) from error
    return out.text()
