"""Template tags for the site frame: navigation, breadcrumbs and search highlighting."""

import copy
import datetime
import re

from django import template
from django.contrib import messages as django_messages
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from wagtail.models import Page

from home import frame

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """Live, public pages directly under the home page that editors marked 'show in menus'
    (from the site's cached frame, see home.frame)."""
    request = context.get("request")
    return frame.main_navigation(request) if request else []


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The live, public ancestors of a page, below the site root, for the breadcrumb trail
    (kept with the site's frame, see home.frame)."""
    return frame.breadcrumbs(context.get("request"), page)


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each word of the search query in <mark>."""
    text = escape(text or "")
    words = [re.escape(escape(word)) for word in (query or "").split() if len(word) > 1]
    if not words:
        return mark_safe(text)
    pattern = re.compile("(" + "|".join(sorted(words, key=len, reverse=True)) + ")", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", text))


@register.filter
def machine_datetime(value):
    """A date or time for a `datetime` attribute: ISO 8601 in local time, to the second
    (Django's `date:"c"` adds microseconds, which the HTML standard's format allows but
    validators and some assistive technology stumble on)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


SITE_DESCRIPTION = (
    "Guidance, support and resources for professionals, parents and carers, and young people "
    "on online sexually coerced extortion of children (sextortion), from the regional working group."
)


@register.simple_tag
def meta_description(page):
    """A page's description for search engines: its search description, else its summary
    or introduction (as plain text, cut at a word), else the site's."""
    from home.search import plain_text  # noqa: PLC0415  (home.search imports the page models)

    for text in (
        getattr(page, "search_description", ""),
        getattr(page, "summary", ""),
        str(getattr(page, "introduction", "") or ""),
    ):
        text = plain_text(text)
        if text:
            return summary(text, 200)
    return SITE_DESCRIPTION


@register.filter(is_safe=True)
def with_site_name(title, site_name):
    """'Page title - Organisation' (with an en dash), or the title alone where it already names the
    organisation, or the organisation alone for an empty title: never the name twice."""
    title = " ".join(str(title).split())  # already escaped: it is the rendered title block
    site_name = conditional_escape(site_name)
    if not title:
        return site_name
    if site_name.casefold() in title.casefold():
        return mark_safe(title)
    return mark_safe(f"{title} \u2013 {site_name}")


SUMMARY_LENGTH = 300


@register.filter
def summary(text, length=SUMMARY_LENGTH):
    """The start of a long plain text for a list: its first `length` characters or fewer,
    cut at a word boundary and ended with an ellipsis, blank lines and bullets folded into
    one line. Text that fits is returned whole (folded the same way)."""
    folded = " ".join((text or "").split())
    if len(folded) <= length:
        return folded
    cut = folded[: length + 1]
    boundary = cut.rfind(" ")
    cut = cut[:boundary] if boundary > length // 2 else folded[:length]
    return cut.rstrip(" ,;:.-") + "…"


@register.filter
def is_summarised(text, length=SUMMARY_LENGTH):
    """Whether `summary` shortens `text`."""
    return len(" ".join((text or "").split())) > length


@register.simple_tag
def message_banner(messages):
    """The messages to show (reading them marks them shown) and whether they are all
    successes, which the GOV.UK notification banner shows in green and announces."""
    shown = list(messages)
    return {"messages": shown, "success": all(message.level == django_messages.SUCCESS for message in shown)}


@register.simple_tag(takes_context=True)
def is_current(context, page):
    current = context.get("page")
    return isinstance(current, Page) and (current.pk == page.pk or current.url_path.startswith(page.url_path))


@register.simple_tag(takes_context=True)
def is_current_group(context, group):
    """Whether the page being read is in working group `group` (the header's record of it:
    its pk and tree path): the group's page, a page beneath it, or one of its views."""
    in_view = context.get("group")
    if isinstance(in_view, Page) and in_view.pk == group["pk"]:
        return True
    page = context.get("page")
    return isinstance(page, Page) and page.path.startswith(group["path"])


GOVUK_WIDGET_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
GOVUK_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
# Django's own templates put a newline before a textarea's value and leave out an empty
# input's value; these keep what a person typed exactly as it was.
GOVUK_WIDGET_TEMPLATES = {
    "textarea": "components/widgets/textarea.html",
    **dict.fromkeys(["text", "email", "number", "url", "tel", "search"], "components/widgets/input.html"),
}
# Choice widgets drawn as a GOV.UK list of radios or checkboxes inside a fieldset.
GOVUK_CHOICE_LISTS = {"radioselect": "govuk-radios", "checkboxselectmultiple": "govuk-checkboxes"}


def hint_id(bound_field):
    return f"{bound_field.auto_id}_helptext"


def error_id(bound_field):
    return f"{bound_field.auto_id}_error"


def described_by(bound_field, *, hint=True):
    """The ids of a field's hint and error message, for `aria-describedby`."""
    ids = [hint_id(bound_field)] if hint else []
    if bound_field.errors:
        ids.append(error_id(bound_field))
    return " ".join(ids)


@register.filter
def govuk_widget(bound_field, hint=True):
    """Render a form field's widget with GOV.UK Frontend's class for its kind (and its error
    state), described by its hint and error message."""
    # A widget that names its own classes (a width, say) keeps them.
    css = bound_field.field.widget.attrs.get("class") or GOVUK_WIDGET_CLASSES.get(
        bound_field.widget_type, "govuk-input"
    )
    base = css.split()[0]
    if bound_field.errors and base in GOVUK_ERROR_CLASSES:
        css += " " + GOVUK_ERROR_CLASSES[base]
    attrs = {"class": css}
    if bound_field.widget_type != "checkbox" and described_by(bound_field, hint=hint):
        attrs["aria-describedby"] = described_by(bound_field, hint=hint)
    widget = None
    if bound_field.widget_type in GOVUK_WIDGET_TEMPLATES:
        widget = copy.copy(bound_field.field.widget)
        widget.template_name = GOVUK_WIDGET_TEMPLATES[bound_field.widget_type]
    return bound_field.as_widget(widget=widget, attrs=attrs)


@register.simple_tag
def govuk_field(bound_field, label=None, hint=None, size="", heading=False, small=True):
    """One field as a GOV.UK form group (`django/forms/field.html`), with the presentation a
    page may choose: the label or legend's text and size, a legend written as the page's h2,
    a hint other than the field's help text, and the full-size radios or checkboxes."""
    context = bound_field.get_context()
    context.update(label=label, hint=hint, size=size, heading=heading, small=small)
    return bound_field.render(context=context)


@register.simple_tag
def govuk_field_parts(bound_field, label=None, hint=None):
    """What the GOV.UK field template draws for a bound field: its kind, texts and ids.

    With no hint given the field's help text is the hint. Drawn by `{{ field }}` or
    `as_field_group` the template has no `hint` at all, which reaches this tag as "", not
    None: both mean "none given", so that the help text Django's own aria-describedby
    names is on the page."""
    hint = hint or bound_field.help_text
    choice_list = GOVUK_CHOICE_LISTS.get(bound_field.widget_type, "")
    return {
        "label": label or bound_field.label,
        "hint": hint,
        "hint_id": hint_id(bound_field),
        "error_id": error_id(bound_field),
        "described_by": described_by(bound_field, hint=bool(hint)),
        "choice_list": choice_list,
        "checkbox": bound_field.widget_type == "checkbox",
        "widget": "" if choice_list else govuk_widget(bound_field, hint=bool(hint)),
    }


@register.simple_tag
def error_summary_items(form):
    """(link target, message) for each of a form's errors, in the order of the page: the
    non-field errors unlinked, then each field's linked to its input (the first option of a
    list of radios or checkboxes). A form may say it otherwise with its own `error_summary()`."""
    if hasattr(form, "error_summary"):
        return list(form.error_summary())
    items = [("", error) for error in form.non_field_errors()]
    for field in form.visible_fields():
        target = f"{field.auto_id}_0" if field.widget_type in GOVUK_CHOICE_LISTS else field.id_for_label
        items += [(target, error) for error in field.errors]
    return items


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The query string for another page of results, keeping the request's other parameters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
