"""Public pages offer documents from public collections only (issue: editors could publish
another group's private documents).

Checked when a block is saved (the admin refuses it) and again when a page is shown (a
document saved before, or whose collection has since become private, is not listed, and
a rich-text link to it has no address). Choosers offer each person only the documents
they may use.
"""

import pytest

from django.core.exceptions import ValidationError

from home.blocks import BodyStreamBlock, DocumentDownloadsBlock, RichTextBlock
from tests.factories import (
    GuidancePageFactory,
    make_document,
    make_editor,
    make_member,
    with_authenticator,
)

pytestmark = pytest.mark.django_db

SECRET = "pangolinmica"


@pytest.fixture
def documents(cumbria, yorkshire):
    from portal.roles import public_documents_collection

    public = make_document(collection=public_documents_collection(), title="Leaflet", filename="leaflet.pdf")
    private = make_document(collection=yorkshire.collection, title=f"Minutes {SECRET}", filename=f"{SECRET}.pdf")
    return public, private


def test_a_download_block_refuses_a_private_document(documents):
    public, private = documents
    block = DocumentDownloadsBlock()
    value = block.to_python({"heading": "Downloads", "documents": [public.pk]})
    block.clean(value)  # a public document is fine
    value = block.to_python({"heading": "Downloads", "documents": [public.pk, private.pk]})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_rich_text_on_a_public_page_refuses_a_link_to_a_private_document(documents):
    public, private = documents
    block = RichTextBlock()
    block.clean(block.to_python(f'<p><a linktype="document" id="{public.pk}">leaflet</a></p>'))
    with pytest.raises(ValidationError):
        block.clean(block.to_python(f'<p><a linktype="document" id="{private.pk}">minutes</a></p>'))


def test_the_page_editor_refuses_to_publish_a_private_document(documents):
    _public, private = documents
    stream = BodyStreamBlock()
    value = stream.to_python([{"type": "documents", "value": {"heading": "", "documents": [private.pk]}}])
    with pytest.raises(ValidationError):
        stream.clean(value)


def test_a_private_document_saved_on_a_public_page_is_never_shown(client, guidance_index, documents):
    """Saved without the admin's checks (or before its collection became private)."""
    public, private = documents
    page = GuidancePageFactory(
        parent=guidance_index,
        body=[
            ("documents", {"heading": "Downloads", "documents": [public, private]}),
            ("rich_text", f'<p>See <a linktype="document" id="{private.pk}">the minutes</a>.</p>'),
        ],
    )
    body = client.get(page.url).content.decode()
    assert "Leaflet" in body and public.url in body
    assert SECRET not in body
    assert private.url not in body


def test_choosers_offer_only_documents_the_person_may_use(client, cumbria, yorkshire, documents):
    _public, private = documents
    editor = with_authenticator(make_editor())
    coordinator_a = with_authenticator(make_member(cumbria, role="coordinator"))
    coordinator_b = with_authenticator(make_member(yorkshire, role="coordinator"))
    for user, sees_private in ((editor, False), (coordinator_a, False), (coordinator_b, True)):
        client.force_login(user)
        for url in ("/admin/documents/chooser/", "/admin/documents/chooser/results/?q=Minutes"):
            body = client.get(url).content.decode()
            assert (SECRET in body) is sees_private, (user, url)
        chosen = client.get(f"/admin/documents/chooser/chosen/{private.pk}/")
        missing = client.get("/admin/documents/chooser/chosen/987654/")
        if sees_private:
            assert chosen.status_code == 200
        else:
            assert (chosen.status_code, missing.status_code) == (404, 404)
            assert SECRET not in chosen.content.decode()
