from django import template
from django.utils.timezone import localtime

from wagtail.models import Page

from ..links import without_links_outside
from ..models import MembersAreaIndexPage
from ..navigation import group_sections
from ..updates.formatting import format_plain_text

register = template.Library()


# The section a members' page belongs to, for pages whose view does not say (`nav` in the
# context): by the URL name of the view, or by the type of the Wagtail page being served.
SECTION_OF_VIEW = {
    "meeting_index": "meeting_index",
    "meeting_calendar": "meeting_index",
    "action_detail": "meeting_index",
    "document_list": "document_list",
    "member_directory": "member_directory",
    "trend_summary_list": "trend_summary_list",
}
SECTION_OF_PAGE_TYPE = {
    "MeetingPage": "meeting_index",
    "TrendSummaryPage": "trend_summary_list",
}


def _bare(url_name):
    """A URL name without its namespace, so `groups:meeting_index` matches `meeting_index`."""
    return (url_name or "").rpartition(":")[2]


def current_section(context):
    """The key of the group section the page being rendered belongs to, or None for the overview."""
    if context.get("nav"):
        return context["nav"]
    page = context.get("page")
    if isinstance(page, Page):
        return SECTION_OF_PAGE_TYPE.get(type(page).__name__)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return SECTION_OF_VIEW.get(_bare(match.url_name)) if match else None


@register.inclusion_tag("groups/components/group_nav.html", takes_context=True)
def group_nav(context, group, current=None):
    """The working group's section navigation, the current section marked.

    `{% group_nav group %}` works the section out (see `current_section`);
    `{% group_nav group "meeting_index" %}` names it.
    """
    current = _bare(current or current_section(context)) or "overview"
    sections = group_sections(working_group=group, request=context.get("request"))
    for section in sections:
        section["current"] = _bare(section["key"]) == current
    return {"group": group, "sections": sections}


@register.filter
def update_body(text):
    """An update's body with its safe, limited formatting (see groups.updates.formatting)."""
    return format_plain_text(text)


INVITATION_PROBLEM_HEADINGS = {
    "expired": "This invitation has expired",
    "accepted": "This invitation has already been used",
    "cancelled": "This invitation has been cancelled",
    "wrong_account": "This invitation is for a different email address",
    "member": "You are already a member",
    "privileged": "An administrator needs to restore your account",
}


@register.filter
def invitation_problem_heading(problem):
    """The heading (and page title) for why an invitation link cannot be used (groups.membership.views)."""
    return INVITATION_PROBLEM_HEADINGS.get(problem, "This invitation link does not work")


@register.filter
def display_name(user):
    """A person as members see them: their full name, or their username when they have none."""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def members_area_url():
    """The members' area's address: its index page's URL, or /members/ before one exists."""
    index = MembersAreaIndexPage.objects.live().first()
    return (index.url if index else None) or "/members/"


@register.filter
def meeting_place(meeting):
    """Where a meeting is, in a few words: its location, "and online" when it also has a link."""
    if meeting.location and meeting.online_link:
        return f"{meeting.location} and online"
    return meeting.location or ("Online" if meeting.online_link else "")


@register.filter
def meeting_end_format(meeting):
    """The date format for a meeting's end: the time alone when it ends on the day it starts."""
    same_day = meeting.start and meeting.end and localtime(meeting.end).date() == localtime(meeting.start).date()
    return "H:i" if same_day else "l j F Y, H:i"


@register.simple_tag
def breakdown_hint(breakdown):
    """The hint under a trend return breakdown's legend: its own hint, then how to fill it in."""
    if not (breakdown.hint or breakdown.partition):
        return ""
    parts = [breakdown.hint] if breakdown.hint else []
    if breakdown.partition:
        parts.append("These add up to the number identified.")
    parts.append("Leave blank for none.")
    return " ".join(parts)


@register.filter
def links_for_group(html, working_group):
    """Members' rich text without links to what the group's members may not see
    (groups.links); the words of such a link are kept. Apply before `richtext`."""
    return without_links_outside(html, working_group=working_group)


@register.filter
def links_for_public(html):
    """Rich text for everyone: only links to public pages and documents are kept."""
    return without_links_outside(html, working_group=None)
