from django import template

from ..formatting import format_plain_text
from ..navigation import group_sections

register = template.Library()


@register.inclusion_tag("groups/components/group_nav.html")
def group_nav(group, current=None):
    """The working group's section navigation: `{% group_nav group "meeting_index" %}`."""
    return {"group": group, "sections": group_sections(group=group, current=current)}


@register.filter
def update_body(text):
    """An update's body with its safe, limited formatting (see groups.formatting)."""
    return format_plain_text(text)
