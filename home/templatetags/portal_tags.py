"""Template tags for the site frame: navigation, breadcrumbs and search highlighting."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """Live, public pages directly under the home page that editors marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().only("id", "title", "url_path"))


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The live, public ancestors of a page, below the site root, for the breadcrumb trail."""
    return list(page.get_ancestors().filter(depth__gt=1).live().public().only("id", "title", "url_path"))


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each word of the search query in <mark>."""
    text = escape(text or "")
    words = [re.escape(escape(word)) for word in (query or "").split() if len(word) > 1]
    if not words:
        return mark_safe(text)
    pattern = re.compile("(" + "|".join(sorted(words, key=len, reverse=True)) + ")", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", text))


@register.simple_tag(takes_context=True)
def is_current(context, page):
    current = context.get("page")
    return isinstance(current, Page) and (current.pk == page.pk or current.url_path.startswith(page.url_path))


GOVUK_WIDGET_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
}


@register.filter
def govuk_widget(bound_field):
    """Render a form field's widget with GOV.UK Frontend's class for its kind."""
    css = GOVUK_WIDGET_CLASSES.get(bound_field.widget_type, "govuk-input")
    if bound_field.errors:
        css += {"govuk-input": " govuk-input--error", "govuk-textarea": " govuk-textarea--error"}.get(css, "")
    return bound_field.as_widget(attrs={"class": css})


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The query string for another page of results, keeping the request's other parameters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
