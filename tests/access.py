"""What the generated access matrices share: the project's URL patterns, filled in with
objects, requested as each persona (see `personas` in tests/conftest.py), and what a
denial must look like."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# The personas every matrix walks, by their fixed names in tests/conftest.py.
PERSONAS = ["anonymous", "other_group_member", "editor", "member", "coordinator", "administrator"]

# Pages about the signed-in person, not a group, tested in their own files:
# tests/groups/notifications/test_notification_preferences.py.
PERSONAL_ROUTES = {"members/notifications/"}


def routes(resolver=None, prefix=""):
    """Every URL pattern of the project as (route, converter names)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, list(entry.pattern.converters)


def as_format(route, names=None):
    """A route as a format string: `<slug:group_slug>` becomes `{group_slug}`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def admin_page_url_patterns():
    """Every admin route whose only parameter is a page id, as a format string with {pk}."""
    for route, names in routes():
        if route.startswith("admin/pages/") and names in (["page_id"], ["parent_page_id"]):
            yield as_format(route).replace("{" + names[0] + "}", "{pk}")


def admin_urls_for_page(page, *, query):
    """Every admin endpoint about `page`: those with its id alone, and those that also take
    a revision or a parent (add, revisions, compare, preview), and the chooser's search
    for `query`."""
    revisions = list(page.revisions.order_by("pk").values_list("pk", flat=True))
    first, last = revisions[0], revisions[-1]
    urls = {pattern.format(pk=page.pk) for pattern in admin_page_url_patterns()}
    urls |= {
        f"/admin/pages/add/groups/meetingpage/{page.get_parent().pk}/",
        f"/admin/pages/{page.get_parent().pk}/add_subpage/",
        f"/admin/pages/{page.pk}/revisions/{first}/view/",
        f"/admin/pages/{page.pk}/revisions/{first}/revert/",
        f"/admin/pages/{page.pk}/revisions/compare/{first}...{last}/",
        f"/admin/pages/{page.pk}/revisions/compare/live...{last}/",
        f"/admin/pages/{page.pk}/revisions/{first}/unschedule/",
        f"/admin/pages/moderation/{first}/view_draft/",
        f"/admin/pages/{page.pk}/move/{page.get_parent().pk}/confirm/",
        f"/admin/choose-page/{page.get_parent().pk}/",
        f"/admin/choose-page/search/?q={query}",
    }
    return sorted(urls)


def members_url_patterns(*, prefix="members/", parameters=None):
    """Every Django (non-Wagtail) route under `prefix` about a group, as a format string;
    only those whose parameters are all among `parameters`, when given (each subject's
    matrix fills in its own objects)."""
    for route, names in routes():
        if route in PERSONAL_ROUTES:
            continue
        if route.startswith(prefix) and (parameters is None or set(names) <= set(parameters)):
            yield as_format(route)


def response_for(client, user, url, *, post_if_needed=True):
    """GET the URL as `user`; an endpoint that only accepts POST is POSTed (empty) instead,
    unless `post_if_needed` is False."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if post_if_needed and response.status_code == 405:
        response = client.post(url)
    return response


def assert_denied(response, persona, secret):
    """A denial: a sign-in redirect for anonymous visitors; otherwise 403, 404 or a
    redirect within the accounts or admin pages; and never a word of what is protected."""
    body = response.content.decode(errors="replace")
    if persona == "anonymous":
        assert response.status_code == 302
        # /admin/login/ only redirects to allauth's sign-in (see portal.urls).
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    else:
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/", "/admin/")), response["Location"]
    assert secret not in body
