"""Links in the members' rich text (meeting notes, trend-summary narratives) stay inside
what their readers may see.

A link to another group's page or document would name it (its address, its title in
the editor) to people who must not learn it exists. A link may go to a public page or
document, or into the group's own area; anything else is refused when the text is saved
(`links_outside`) and, should one be stored anyway (older text, a page moved since, a
public copy read by everyone), left out when it is shown (`without_links_outside`), its
words kept. With no working group (the all-regions summary, a public copy), only public
targets are allowed.

The text is in Wagtail's database format: `<a linktype="page" id="…">`,
`<a linktype="document" id="…">` and `<a href="…">`. Links to the site itself written
as addresses (`/members/…`, `/documents/<id>/…`) are judged like the others.

Nothing here imports `groups.models`: page models' forms use it.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r'\b(linktype|id|href)\s*=\s*"([^"]*)"', re.IGNORECASE)
_DOCUMENT_PATH = re.compile(r"^/documents/(\d+)(/|$)")
MEMBERS_PREFIX = "/members/"

LINKS_OUTSIDE_MESSAGE = (
    "Links can go to public pages and documents or to this group's own pages and documents only: remove the others."
)


def _own_hosts():
    hosts = {urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}
    hosts.update(Site.objects.values_list("hostname", flat=True))
    return {host.lower() for host in hosts if host}


class _Judge:
    """Decides, for one working group (or None: public only), which link targets are allowed."""

    def __init__(self, working_group):
        self.working_group = working_group
        self.group_path = getattr(working_group, "path", None)
        self.restricted_page_paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        self.restricted_collection_paths = list(
            CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        )
        collection_id = getattr(working_group, "collection_id", None)
        paths = Collection.objects.filter(pk=collection_id).values_list("path", flat=True)
        self.group_collection_path = paths.first() if collection_id else None
        self._hosts = None

    def page_allowed(self, page_id):
        path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
        if path is None:
            return True  # a deleted page: Wagtail renders no address for it
        if self.group_path and path.startswith(self.group_path):
            return True
        return not any(path.startswith(restricted) for restricted in self.restricted_page_paths)

    def document_allowed(self, document_id):
        path = get_document_model().objects.filter(pk=document_id).values_list("collection__path", flat=True).first()
        if path is None:
            return True
        if self.group_collection_path and path.startswith(self.group_collection_path):
            return True
        return not any(path.startswith(restricted) for restricted in self.restricted_collection_paths)

    def address_allowed(self, href):
        parts = urlsplit(href.strip())
        if parts.scheme not in ("", "http", "https"):
            return True  # mailto:, tel: and the like
        if parts.netloc:
            if self._hosts is None:
                self._hosts = _own_hosts()
            if (parts.hostname or "").lower() not in self._hosts:
                return True  # another site
        path = parts.path or "/"
        if path.startswith(MEMBERS_PREFIX) and path != MEMBERS_PREFIX:
            group_url = getattr(self.working_group, "url", None)
            return bool(group_url) and path.startswith(group_url)
        if match := _DOCUMENT_PATH.match(path):
            return self.document_allowed(int(match.group(1)))
        return True

    def allowed(self, attributes):
        values = {name.lower(): value for name, value in _ATTRIBUTE.findall(attributes)}
        linktype, target = values.get("linktype"), values.get("id", "")
        if linktype == "page":
            return not target.isdigit() or self.page_allowed(int(target))
        if linktype == "document":
            return not target.isdigit() or self.document_allowed(int(target))
        if linktype is None and "href" in values:
            return self.address_allowed(values["href"])
        return True


def links_outside(html, *, working_group):
    """The links (their text) in `html` that go outside what `working_group`'s members, or
    with no group everyone, may see."""
    if not html or "<a" not in html.lower():
        return []
    judge = _Judge(working_group)
    return [text for attributes, text in _LINK.findall(html) if not judge.allowed(attributes)]


def without_links_outside(html, *, working_group):
    """`html` with each link outside what its readers may see replaced by its words."""
    if not html or "<a" not in html.lower():
        return html
    judge = _Judge(working_group)
    return _LINK.sub(lambda match: match.group(0) if judge.allowed(match.group(1)) else match.group(2), html)
