"""The sections of a working group's area, in the order its navigation shows them.

Each section is one line: its label and the URL name of its view, which takes the
group's slug (`group_slug`). The group's own page (the overview) comes first.
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


def group_sections(*, group, current=None):
    """The group's overview and sections as dicts of label, url and whether it is `current`."""
    items = [{"label": "Overview", "url": group.url, "key": "overview"}]
    for label, url_name in SECTIONS:
        items.append({"label": label, "url": reverse(url_name, kwargs={"group_slug": group.slug}), "key": url_name})
    for item in items:
        item["current"] = item["key"] == (current or "overview")
    return items
