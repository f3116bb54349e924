"""StreamField blocks shared by every page type.

Guidance is long and read under pressure, so the blocks are the few shapes the seed
guidance actually uses: headed sections (which build the "On this page" list), callouts,
checklists of indicators, numbered steps, quotes, support-service links and document
downloads. Rich text may carry footnote references (wagtail-footnotes), listed at the
end of the page.
"""

import re

from wagtail_footnotes.blocks import RichTextBlockWithFootnotes

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from portal.admin_access import is_public_document

RICH_TEXT_FEATURES = ["bold", "italic", "ul", "ol", "link", "document-link", "footnotes"]


PRIVATE_DOCUMENT_MESSAGE = (
    "This page is public, so it can only offer documents from a public collection "
    "(a working group's documents are for its members only)."
)
DOCUMENT_LINK = re.compile(r"""<a\b[^>]*\blinktype=["']document["'][^>]*>""")
LINK_ID = re.compile(r"""\bid=["'](\d+)["']""")


def private_documents_linked(source):
    """The documents linked from rich text `source` (its database form) that are not public."""
    ids = {int(match.group(1)) for tag in DOCUMENT_LINK.findall(source or "") if (match := LINK_ID.search(tag))}
    if not ids:
        return []
    documents = get_document_model().objects.filter(pk__in=ids).select_related("collection")
    return [document for document in documents if not is_public_document(document)]


class RichTextBlock(RichTextBlockWithFootnotes):
    """Body text; footnote references render as numbered links to the notes. Pages built
    from these blocks are public, so document links go to public documents only (and a
    private document's link is rendered without its address: see home.wagtail_hooks)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", list(RICH_TEXT_FEATURES))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if private_documents_linked(getattr(value, "source", "")):
            raise ValidationError(PRIVATE_DOCUMENT_MESSAGE)
        return value

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"
        preview_value = "<p>Children cannot consent to their own abuse.</p>"


class CalloutBlock(blocks.StructBlock):
    """A boxed message that must not be missed: important, a warning, or a reminder."""

    kind = blocks.ChoiceBlock(
        choices=[("important", "Important"), ("warning", "Warning"), ("remember", "Remember")],
        default="important",
    )
    heading = blocks.CharBlock(required=False, max_length=120)
    text = RichTextBlock()

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {
            "kind": "remember",
            "heading": "Remember",
            "text": "<p>What is happening is illegal and the child will not get into trouble.</p>",
        }


class IndicatorsChecklistBlock(blocks.StructBlock):
    """Signs a professional should look out for, as a scannable list."""

    heading = blocks.CharBlock(required=False, max_length=120)
    introduction = blocks.TextBlock(required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "tick"
        template = "blocks/indicators_checklist_block.html"
        preview_value = {
            "heading": "Possible indicators",
            "items": ["Suddenly withdrawn", "Avoiding school", "Less money than usual"],
        }


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    text = RichTextBlock(required=False)

    class Meta:
        icon = "list-ol"


class NumberedStepsBlock(blocks.StructBlock):
    """What to do, in order."""

    heading = blocks.CharBlock(required=False, max_length=120)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/numbered_steps_block.html"
        preview_value = {
            "heading": "What to do",
            "steps": [{"title": "Stay calm", "text": "<p>The child needs your support.</p>"}],
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {"quote": "The sooner they tell someone, the sooner they can be supported."}


class SupportServicesBlock(blocks.StructBlock):
    """Links to support services kept once in the resource library and reused everywhere."""

    heading = blocks.CharBlock(required=False, max_length=120)
    services = blocks.ListBlock(SnippetChooserBlock("resources.SupportService"), min_num=1)

    class Meta:
        icon = "link"
        template = "blocks/support_services_block.html"
        preview_value = {"heading": "Further guidance and support", "services": []}


class PublicDocumentChooserBlock(DocumentChooserBlock):
    """A document for a public page: from a public collection only, never a working group's."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not is_public_document(value):
            raise ValidationError(PRIVATE_DOCUMENT_MESSAGE)
        return value


class DocumentDownloadsBlock(blocks.StructBlock):
    """Downloads on a public page. Documents are checked when the block is saved and again
    when it is shown: one that is (or has since become) private is never listed."""

    heading = blocks.CharBlock(required=False, max_length=120)
    documents = blocks.ListBlock(PublicDocumentChooserBlock(), min_num=1)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["public_documents"] = [
            document for document in value["documents"] if document is not None and is_public_document(document)
        ]
        return context

    class Meta:
        icon = "doc-full"
        template = "blocks/document_downloads_block.html"
        preview_value = {"heading": "Downloads", "documents": []}


class SectionContentStreamBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    callout = CalloutBlock()
    indicators = IndicatorsChecklistBlock()
    steps = NumberedStepsBlock()
    quote = QuoteBlock()
    support_services = SupportServicesBlock()
    documents = DocumentDownloadsBlock()


class SectionBlock(blocks.StructBlock):
    """A headed section; every section heading appears in the page's contents list."""

    heading = blocks.CharBlock(max_length=160)
    content = SectionContentStreamBlock()

    class Meta:
        icon = "title"
        template = "blocks/section_block.html"
        preview_value = {
            "heading": "What can you do?",
            "content": [("rich_text", "<p>Look out for potential indicators.</p>")],
        }


class BodyStreamBlock(SectionContentStreamBlock):
    """A page body: headed sections, or free-standing blocks before the first heading."""

    section = SectionBlock()


def section_anchor(heading):
    return slugify(heading) or "section"


def anchored_blocks(body):
    """Pair each block of a body with its anchor: sections get one, unique within the page.

    Pages render through this, and build their "On this page" list from it, so the
    contents list and the headings it links to can never disagree.
    """
    pairs, seen = [], set()
    for block in body:
        anchor = None
        if block.block_type == "section":
            anchor = base = section_anchor(block.value["heading"])
            n = 2
            while anchor in seen:
                anchor, n = f"{base}-{n}", n + 1
            seen.add(anchor)
        pairs.append((block, anchor))
    return pairs
