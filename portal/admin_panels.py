"""The admin dashboard's own panels: what each person's work asks of them today.

Each app adds its panels with Wagtail's `construct_homepage_panels` hook (resources:
guidance due for review; home: new feedback; groups: trend returns outstanding and
pending invitations). They share one look: a heading, one sentence, a few rows and a
link to the whole list. A panel answers only from what its person may see, and is not
shown at all to anyone whose work it is not.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class PanelRow:
    """One row: what it is (linked) and a detail beside it."""

    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class PanelContent:
    summary: str
    rows: list[PanelRow] = field(default_factory=list)
    more: str = ""  # a sentence under the rows, such as "and 3 more"
    warning: str = ""  # something to put right first, shown above the rest
    link_text: str = ""
    link_url: str = ""


class DashboardPanel(Component):
    """A dashboard panel; subclasses give `name`, `heading`, `order` and `content`."""

    template_name = "wagtailadmin/home/dashboard_panel.html"
    name = ""
    heading = ""
    order = 50  # before Wagtail's own panels (workflow 100-210, recent edits 250, locks 300)

    def __init__(self, request):
        self.request = request

    def content(self, user) -> PanelContent | None:
        """What the panel says to `user`, or None when it is not shown to them."""
        raise NotImplementedError

    def render_html(self, parent_context=None):
        content = self.content(self.request.user)
        if content is None:
            return ""
        context = {"panel_id": self.name, "heading": self.heading, "content": content}
        return render_to_string(self.template_name, context, request=self.request)


def panel_more(total, shown, noun):
    """ "and 3 more invitations" when the panel lists fewer than there are."""
    rest = total - shown
    return f"and {rest} more {noun}" if rest > 0 else ""
