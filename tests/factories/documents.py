"""Documents in a collection, saved as an upload would be."""

PDF_CONTENT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_document(*, collection, title="Minutes", filename="minutes.pdf", content=PDF_CONTENT, uploaded_by=None):
    """A Wagtail document in `collection` (a group's is `group.collection`), saved as an
    upload would be: with its size and hash."""
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    document = get_document_model()(title=title, collection=collection, uploaded_by_user=uploaded_by)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document
