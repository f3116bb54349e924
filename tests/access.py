"""What the generated access matrices share: the project's URL patterns, filled in with
objects, requested as each persona (see `personas` in tests/conftest.py), and what a
denial must look like."""

import re

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from portal.middleware import SessionTimeoutMiddleware
from portal.sessions import SAVED_AT_KEY

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
    persona_client = _client_for(client, user)
    response = persona_client.get(url)
    if post_if_needed and response.status_code == 405:
        response = persona_client.post(url)
    return response


# What the portal writes into every signed-in session on its first request (the sign-in
# time for the absolute timeout, the last write).
_KEYS_EVERY_REQUEST_SETS = {SessionTimeoutMiddleware.key, SAVED_AT_KEY}


class _PersonaClient:
    """A test client signed in as one persona, and what its session held then."""

    def __init__(self, client, user):
        self.client = type(client)(**client.defaults)
        self.user_id = getattr(user, "pk", None)
        if user is not None:
            self.client.force_login(user)
        self.cookie = self._cookie()
        self.keys = set(self.client.session.keys()) | _KEYS_EVERY_REQUEST_SETS if user is not None else set()

    def _cookie(self):
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie is not None else None

    def as_signed_in(self):
        """Whether the session is still the one signing in made, holding no more than it and
        any request put there (a message left by a response, say, would count)."""
        if self._cookie() != self.cookie:
            return False
        return self.user_id is None or set(self.client.session.keys()) <= self.keys


def _client_for(client, user):
    """A client signed in as `user` (signed out, for None), kept on `client` for the next
    request as them: a matrix asks hundreds of URLs as a handful of people, and signing in
    anew for each cost more than many of the requests. One whose session was ended,
    flushed or renewed, or holds anything more than signing in left, is replaced: each
    request starts from a session as fresh as signing in makes it."""
    kept = client.__dict__.setdefault("_access_persona_clients", {})
    user_id = getattr(user, "pk", None)
    persona_client = kept.get(user_id)
    if persona_client is None or not persona_client.as_signed_in():
        persona_client = kept[user_id] = _PersonaClient(client, user)
    return persona_client.client


def ask_everyone(client, personas, urls, *, may, secret, check_allowed):
    """Ask every URL as every persona: a persona that `may(persona, url)` is checked with
    `check_allowed(response, persona, url)`, any other must be denied (`assert_denied`).
    Returns (cells denied, cells asked)."""
    denied = total = 0
    for url in urls:
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if may(persona, url):
                check_allowed(response, persona, url)
            else:
                assert_denied(response, persona, secret)
                denied += 1
    return denied, total


def answered(response, persona, url):
    """An allowed cell that answers the page."""
    assert response.status_code == 200, (persona, url)


def did_not_fail(response, persona, url):
    """An allowed cell of an endpoint that may answer anything but a failure."""
    assert response.status_code != 500, (persona, url)


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
