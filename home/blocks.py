"""StreamField blocks shared by every page type.

Guidance is long and read under pressure, so the blocks are the few shapes the seed
guidance actually uses: headed sections (which build the "On this page" list), callouts,
checklists of indicators, numbered steps, quotes, support-service links and document
downloads. Rich text may carry footnote references (wagtail-footnotes), listed at the
end of the page.
"""

from wagtail_footnotes.blocks import RichTextBlockWithFootnotes

from django.utils.text import slugify

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ul", "ol", "link", "document-link", "footnotes"]


class RichTextBlock(RichTextBlockWithFootnotes):
    """Body text; footnote references render as numbered links to the notes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", list(RICH_TEXT_FEATURES))
        super().__init__(**kwargs)

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


class DocumentDownloadsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    documents = blocks.ListBlock(DocumentChooserBlock(), min_num=1)

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
