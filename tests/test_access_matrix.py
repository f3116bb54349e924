"""Security matrix row C01: every members-only URL and admin page endpoint, for every persona.

The URLs are generated, not listed: the members' area's page tree, and every Wagtail
admin URL pattern that takes a page id, filled in with a private group page. A new
page type or admin endpoint is covered without editing this file. Private objects
deny with a sign-in redirect (anonymous), 403 or 404: never a 200, and never a page
that names what it protects.
"""

import re

import pytest

from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import (
    MembersAreaIndexPageFactory,
    UserFactory,
    WorkingGroupPageFactory,
    make_editor,
    make_member,
    with_authenticator,
)

pytestmark = pytest.mark.django_db

SECRET = "wallabyzircon"
PERSONAS = ["anonymous", "member of B", "editor", "member of A", "coordinator of A", "administrator"]
CAN_READ_GROUP_A = {"member of A", "coordinator of A", "administrator"}
CAN_EDIT_GROUP_A = {"coordinator of A", "administrator"}


def routes(resolver=None, prefix=""):
    """Every URL pattern of the project as (route, converter names, URL name)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, list(entry.pattern.converters), entry.name


def as_format(route, names):
    """A route as a format string: `<int:page_id>` and `<slug:group_slug>` become `{page_id}`, `{group_slug}`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def admin_page_url_patterns():
    """Every admin route whose only parameter is a page id, as a format string with {pk}."""
    for route, names, _ in routes():
        if route.startswith("admin/pages/") and names in (["page_id"], ["parent_page_id"]):
            yield as_format(route, names).replace("{" + names[0] + "}", "{pk}")


def members_url_patterns():
    """Every Django (non-Wagtail) route under /members/, as (URL name, format string)."""
    for route, names, name in routes():
        if route.startswith("members/"):
            yield name, as_format(route, names)


@pytest.fixture
def world(home_page):
    area = MembersAreaIndexPageFactory(parent=home_page)
    group_a = WorkingGroupPageFactory(parent=area, region="cumbria", title=f"Cumbria {SECRET}")
    group_b = WorkingGroupPageFactory(parent=area, region="yorkshire", title="Yorkshire working group")
    personas = {
        "anonymous": None,
        "member of B": make_member(group_b),
        "editor": make_editor(),
        "member of A": make_member(group_a),
        "coordinator of A": make_member(group_a, role="coordinator"),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    for user in personas.values():
        if user is not None:
            with_authenticator(user)
    return group_a, personas


def response_for(client, user, url):
    """GET the URL as `user`; an endpoint that only accepts POST is POSTed (empty) instead."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def assert_denied(response, persona):
    body = response.content.decode(errors="replace")
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/", "/admin/")), response["Location"]
    assert SECRET not in body


def test_members_area_pages_for_every_persona(client, world):
    group_a, personas = world
    tree = [page.url for page in group_a.get_descendants(inclusive=True)] + ["/members/cumbria/no-such-page/"]
    denied = total = 0
    for url in tree:
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if persona in CAN_READ_GROUP_A and "no-such-page" not in url:
                assert response.status_code == 200, (persona, url)
            else:
                assert_denied(response, persona)
                denied += 1
    assert total == len(tree) * len(PERSONAS)
    print(f"members' area: {denied} of {total} cells deny")


def test_admin_page_endpoints_for_every_persona(client, world):
    group_a, personas = world
    urls = sorted({pattern.format(pk=group_a.pk) for pattern in admin_page_url_patterns()})
    assert len(urls) >= 15  # the generator really found Wagtail's page endpoints
    denied = total = 0
    for url in urls:
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if persona in CAN_EDIT_GROUP_A:
                assert response.status_code != 500, (persona, url)
            else:
                assert_denied(response, persona)
                denied += 1
    print(f"admin page endpoints: {len(urls)} URLs, {denied} of {total} cells deny")


# Who may use each members-only view, by URL name. Every route under /members/ must be
# listed, so a new view cannot be left out of the sweep.
VIEW_ACCESS = {
    "invitation_create": CAN_EDIT_GROUP_A,
    "invitation_list": CAN_EDIT_GROUP_A,
    "invitation_resend": CAN_EDIT_GROUP_A,
    "invitation_cancel": CAN_EDIT_GROUP_A,
    # Trend returns: the return is the coordinator's organisation's, so the member of A
    # (another organisation) may not read it; an administrator has no organisation to submit for.
    "return_list": CAN_READ_GROUP_A,
    "return_submit": {"member of A", "coordinator of A"},
    "return_detail": CAN_EDIT_GROUP_A,
    "return_tracking": CAN_EDIT_GROUP_A,
    "return_remind": CAN_EDIT_GROUP_A,
    "return_import": CAN_EDIT_GROUP_A,
    "return_import_template": CAN_EDIT_GROUP_A,
}


def test_members_only_views_for_every_persona(client, world):
    from groups.services import invitation_create
    from tests.factories import OrganisationFactory, TrendReturnFactory

    group_a, personas = world
    invitation, _ = invitation_create(
        group=group_a,
        email="new.person@example.org",
        organisation=OrganisationFactory(),
        role="member",
        invited_by=personas["administrator"],
    )
    target = make_member(group_a).memberships.get()
    values = {
        "group_pk": group_a.pk,
        "group_slug": group_a.slug,
        "invitation_pk": invitation.pk,
        "membership_pk": target.pk,
        "return_pk": TrendReturnFactory(
            working_group=group_a, organisation=personas["coordinator of A"].memberships.get().organisation
        ).pk,
        "file_format": "csv",
    }
    views = dict(members_url_patterns())
    assert set(views) == set(VIEW_ACCESS), "list every members-only view in VIEW_ACCESS"
    denied = total = 0
    for name, pattern in sorted(views.items()):
        url = pattern.format(**values)
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if persona in VIEW_ACCESS[name]:
                # Allowed: the page, a redirect after a change, or 400 for an empty form.
                assert response.status_code in (200, 302, 400), (persona, url, response.status_code)
            else:
                assert_denied(response, persona)
                denied += 1
    print(f"members-only views: {len(views)} URLs, {denied} of {total} cells deny")
