"""The members' area's URLs, all named in the `groups:` namespace.

A working group's sections share one prefix, `members/<group_slug>/`, written once; each
feature lists its own sections in its `urls.py`. Included by `portal.urls` before
Wagtail's pages, so these paths win over any page at the same address (the meeting
pages' slugs keep clear of them: `groups.enums.RESERVED_SLUGS`).
"""

from django.urls import include, path

from .documents import urls as documents_urls
from .meetings import urls as meetings_urls
from .membership import urls as membership_urls
from .notifications import urls as notifications_urls
from .trends import urls as trends_urls
from .updates import urls as updates_urls

app_name = "groups"

group_patterns = [
    *meetings_urls.urlpatterns,
    *updates_urls.urlpatterns,
    *documents_urls.urlpatterns,
    *membership_urls.urlpatterns,
    *trends_urls.group_urlpatterns,
]

urlpatterns = [
    path("members/", include(notifications_urls)),
    path("members/<slug:group_slug>/", include(group_patterns)),
    *membership_urls.accept_urlpatterns,
    *trends_urls.urlpatterns,
]
