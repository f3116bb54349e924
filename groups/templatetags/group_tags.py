from django import template

from ..navigation import group_sections
from ..updates.formatting import format_plain_text

register = template.Library()


@register.inclusion_tag("groups/components/group_nav.html")
def group_nav(group, current=None):
    """The working group's section navigation: `{% group_nav group "meeting_index" %}`."""
    return {"group": group, "sections": group_sections(working_group=group, current=current)}


@register.filter
def update_body(text):
    """An update's body with its safe, limited formatting (see groups.updates.formatting)."""
    return format_plain_text(text)
