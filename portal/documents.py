"""What may be uploaded as a document: a short list of office formats, checked by content.

An extension says nothing about what a file is: an HTML page, an SVG with a script or a
program renamed `.pdf` would otherwise be stored and served. Every upload path in the
Wagtail admin (single, multiple and the chooser's upload) builds its form from
WAGTAILDOCS_DOCUMENT_FORM_BASE, so `DocumentForm.clean_file` checks them all. The
signatures are written out here: the list is short, and each is a documented format
(PDF header; OOXML and OpenDocument are zip packages with required parts).
"""

import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import F, Subquery
from django.template.defaultfilters import filesizeformat

from wagtail.documents import get_document_model
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views import serve as wagtail_serve
from wagtail.models import Collection, CollectionViewRestriction

PDF = "pdf"
# Office Open XML: the part each kind of package must contain.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
# OpenDocument: the package's first entry, "mimetype", names the kind exactly.
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
TEXT = {"txt", "csv"}
# Markup a browser (or a spreadsheet) might act on, anywhere in a text file.
ACTIVE_TEXT = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml)\b|javascript:",
    re.IGNORECASE,
)
FORMAT_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "xlsx": "an Excel workbook",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument text document",
    "ods": "an OpenDocument spreadsheet",
    "odp": "an OpenDocument presentation",
    "txt": "a plain text file",
    "csv": "a CSV file",
}
IMAGE_ADVICE = "To share a picture or a screenshot, put it into a PDF or a Word document and upload that."


def allowed_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def upload_help_text():
    extensions = ", ".join(extension.upper() for extension in allowed_extensions())
    size = filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    return f"{extensions}; up to {size}. Images cannot be uploaded here: images are always public. {IMAGE_ADVICE}"


def _read_head(file, size):
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _zip_names(file):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            return package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return []
    finally:
        file.seek(0)


def _is_ooxml(file, extension):
    names = _zip_names(file)
    if "[Content_Types].xml" not in names or OOXML_PARTS[extension] not in names:
        return False
    # Macro-enabled packages (.docm and friends) renamed to .docx carry a VBA project.
    return not any(name.lower().endswith("vbaproject.bin") for name in names)


def _is_odf(file, extension):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            info = package.getinfo("mimetype")
            if info.file_size > 100:
                return False
            return package.read(info).strip() == ODF_MIMETYPES[extension]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return False
    finally:
        file.seek(0)


def _text_problem(file):
    file.seek(0)
    content = file.read()
    file.seek(0)
    if b"\x00" in content:
        return "it contains binary data"
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "it is not saved as UTF-8 text (in Excel, choose “CSV UTF-8”)"
    if ACTIVE_TEXT.search(content):
        return "it contains web page or script code"
    return None


def validate_document_file(file):
    """Refuse a file whose content is not what its extension says, or is too big.

    Raises ValidationError with a message that says what to do; returns nothing.
    """
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    allowed = allowed_extensions()
    if extension not in allowed:
        listed = ", ".join(extension.upper() for extension in allowed)
        raise ValidationError(f"This type of file cannot be uploaded. Upload one of: {listed}.", code="file_type")
    if file.size > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}: it must be "
            f"{filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)} or smaller.",
            code="file_too_large",
        )
    if file.size == 0:
        raise ValidationError("The file is empty.", code="file_empty")

    name = FORMAT_NAMES.get(extension, f"a .{extension} file")
    problem = None
    if extension == PDF:
        if _read_head(file, 5) != b"%PDF-":
            problem = "its content is not a PDF"
    elif extension in OOXML_PARTS:
        if not _is_ooxml(file, extension):
            problem = f"its content is not {name} (macro-enabled files are not accepted either)"
    elif extension in ODF_MIMETYPES:
        if not _is_odf(file, extension):
            problem = f"its content is not {name}"
    elif extension in TEXT:
        problem = _text_problem(file)
    if problem:
        raise ValidationError(
            f"This file is named as {name}, but {problem}. Upload the original file, or save it again as {name}.",
            code="file_content",
        )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, with the file checked by content and the upload rules
    (types, size, no images) said next to the file field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = upload_help_text()

    def _update_errors(self, errors):
        # Wagtail's multiple uploader completes a stored upload with a form that has no
        # file field; the model's extension check (WAGTAILDOCS_EXTENSIONS) then reports
        # on that missing field, which Django turns into a server error. The file was
        # checked, content and all, when it was uploaded.
        if "file" not in self.fields and hasattr(errors, "error_dict"):
            errors.error_dict.pop("file", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Only a newly uploaded file needs checking; an unchanged one was checked before.
        if file and "file" in self.changed_data:
            validate_document_file(file)
        return file


def _collection_is_public(collection_id):
    """Whether no view restriction covers the collection (one query, whether or not the
    collection exists, so the time taken tells nothing)."""
    target = Collection.objects.filter(pk=collection_id or 0).values("path")[:1]
    return not (
        CollectionViewRestriction.objects.annotate(target_path=Subquery(target))
        .filter(target_path__startswith=F("collection__path"))
        .exists()
    )


def serve(request, document_id, document_filename):
    """Wagtail's document download, with one rule first: someone signed out who asks for a
    document that is private, missing, or not under that file name is sent to sign in,
    the same answer and the same work (two queries) in every case, so neither the answer
    nor its timing tells whether a private document exists. Everything else (members'
    access, the 404 for signed-in outsiders, the download itself) is Wagtail's serve view
    and its before_serve_document hooks."""
    if not request.user.is_authenticated:
        document = get_document_model().objects.filter(pk=document_id).only("pk", "file", "collection_id").first()
        public = _collection_is_public(document.collection_id if document is not None else None)
        if document is None or not public or document.filename != document_filename:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    return wagtail_serve.serve(request, document_id, document_filename)
