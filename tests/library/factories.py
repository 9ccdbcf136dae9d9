"""Factories and sample files of the document library: real files of every allowed type, made in memory."""

from __future__ import annotations

import io
import zipfile

import factory

from networks.library import services
from networks.library.models import Document, Folder
from networks.library.pdf import minimal_pdf
from tests.networks.factories import NetworkFactory


class FolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Folder

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Ordner {n}")


def pdf(*lines: str, heading: str = "Folien") -> bytes:
    return minimal_pdf([(heading, list(lines) or ["Inhalt"])])


def docx(text: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Tabellenzelle"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx(text: str) -> bytes:
    import pptx as python_pptx

    presentation = python_pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Frühjahrstreffen"
    slide.placeholders[1].text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def xlsx(text: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Maßnahmen"
    workbook.active.append(["Kommune", "Stand"])
    workbook.active.append([text, 42])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Protokoll"))
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def store(network, person=None, *, title: str = "", name: str = "folien.pdf", content: bytes | None = None, **kw):
    """A document through the service, as an upload makes it."""
    return services.document_store(
        network=network, uploaded_by=person, name=name, content=content or pdf("Inhalt"), title=title, **kw
    )


__all__ = ["Document", "FolderFactory", "docx", "odt", "pdf", "pptx", "store", "xlsx", "zip_of"]
