"""The sections of a working group's area, in the order its navigation shows them.

Each section is one line: its label and the URL name of its view (in the `groups:`
namespace), which takes the group's slug (`group_slug`); the name is also its key. The
group's own page (the overview) comes first.
"""

from django.urls import reverse

SECTIONS = [
    ("Meetings", "meeting_index"),
    ("Updates", "update_list"),
    ("Documents", "document_list"),
    ("Trend returns", "return_list"),
    ("Trend summaries", "trend_summary_list"),
    ("People", "member_directory"),
]


def group_sections(*, working_group, current=None, request=None):
    """The group's overview and sections as dicts of label, url and whether it is `current`.

    With the `request`, the overview's URL comes from the site's paths already kept on it
    (home.frame) rather than from another read of the cache."""
    items = [{"label": "Overview", "url": working_group.get_url(request=request), "key": "overview"}]
    for label, url_name in SECTIONS:
        url = reverse(f"groups:{url_name}", kwargs={"group_slug": working_group.slug})
        items.append({"label": label, "url": url, "key": url_name})
    for item in items:
        item["current"] = item["key"] == (current or "overview")
    return items
