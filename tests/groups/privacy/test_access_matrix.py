"""Security matrix row C01: every members-only URL and admin page endpoint, for every persona.

The URLs are generated, not listed: the members' area's page tree, and every Wagtail
admin URL pattern that takes a page id, filled in with a private group page. A new
page type or admin endpoint is covered without editing this file. Private objects
deny with a sign-in redirect (anonymous), 403 or 404: never a 200, and never a page
that names what it protects.
"""

import datetime

import pytest

from django.urls import resolve

from tests.access import (
    PERSONAS,
    admin_page_url_patterns,
    admin_urls_for_page,
    answered,
    ask_everyone,
    assert_denied,
    did_not_fail,
    members_url_patterns,
    response_for,
)
from tests.factories import (
    TrendReturnFactory,
    WorkingGroupPageFactory,
    make_meeting,
    make_member,
    make_trend_summary,
)

pytestmark = pytest.mark.django_db

SECRET = "wallabyzircon"
SECRET_B = "numbatquartz"
CAN_READ_GROUP_A = {"member", "coordinator", "administrator"}
CAN_EDIT_GROUP_A = {"coordinator", "administrator"}
# Members-only views that only the group's coordinators (and administrators) may use;
# every other view under /members/ is for all the group's members.
COORDINATOR_VIEWS = {
    "invitation_create",
    "invitation_list",
    "invitation_resend",
    "invitation_cancel",
    "membership_manage",
    "membership_role",
    "membership_suspend",
    "membership_reinstate",
    "membership_remove",
    # Trend returns: the walker's return is the coordinator's organisation's, so the member
    # of A (another organisation) may not read it.
    "return_detail",
    "return_tracking",
    "return_remind",
    "return_import",
    "return_import_template",
}
# Views for the group's active members alone: an administrator who is not a member has no
# organisation in the group to post under (tests/groups/updates/test_updates_access.py).
POSTING_VIEWS = {"update_create", "return_submit"}
CAN_POST_IN_GROUP_A = {"member", "coordinator"}
# Authenticated by their token alone: every session, anonymous included, gets 404 for the
# walker's token, which is nobody's.
TOKEN_VIEWS = {"meeting_calendar_feed"}
# Views of one update, walked with an update of the right author and state by
# tests/groups/updates/test_updates_access.py (the walker's pk is an action's).
OWN_MATRIX_VIEWS = {"update_detail", "update_edit", "update_delete", "update_hide", "update_unhide"}


def allowed_personas(url_name):
    """Who may use a members-only view of group A ("token": nobody with the walker's token)."""
    if url_name in TOKEN_VIEWS:
        return "token"
    if url_name in COORDINATOR_VIEWS:
        return CAN_EDIT_GROUP_A
    if url_name in POSTING_VIEWS:
        return CAN_POST_IN_GROUP_A
    return CAN_READ_GROUP_A


@pytest.fixture
def cumbria(members_area):
    """Group A: its pages all carry SECRET, even its title."""
    return WorkingGroupPageFactory(parent=members_area, region="cumbria", title=f"Cumbria {SECRET}")


@pytest.fixture
def secret_group_a(cumbria, yorkshire, personas):
    """(group A with a meeting and a trend summary, the personas, all made)."""
    for persona in PERSONAS:
        personas[persona]
    action = {"description": f"Action {SECRET}", "due_date": datetime.date(2026, 5, 1)}
    make_meeting(cumbria, title=f"Meeting {SECRET}", agenda=[("Notes", f"<p>{SECRET}</p>")], actions=[action])
    make_trend_summary(cumbria, title=f"Trend summary {SECRET}", narrative=f"<p>{SECRET}</p>")
    return cumbria, personas


@pytest.fixture
def meeting_b(secret_group_a, yorkshire):
    """A meeting of group B, with a draft revision: no persona of group A may reach it."""
    meeting = make_meeting(
        yorkshire,
        title=f"Meeting {SECRET_B}",
        agenda=[("Notes", f"<p>{SECRET_B}</p>")],
        actions=[{"description": f"Action {SECRET_B}", "due_date": datetime.date(2026, 5, 1)}],
    )
    meeting.save_revision()
    return meeting


def test_members_area_pages_for_every_persona(client, secret_group_a):
    group_a, personas = secret_group_a
    tree = [page.url for page in group_a.get_descendants(inclusive=True)] + ["/members/cumbria/no-such-page/"]
    denied, total = ask_everyone(
        client,
        personas,
        tree,
        may=lambda persona, url: persona in CAN_READ_GROUP_A and "no-such-page" not in url,
        secret=SECRET,
        check_allowed=answered,
    )
    assert total == len(tree) * len(PERSONAS)
    print(f"members' area: {denied} of {total} cells deny")


def test_admin_page_endpoints_for_every_persona(client, secret_group_a):
    from groups.models import MeetingPage, TrendSummaryPage

    group_a, personas = secret_group_a
    meeting_a = MeetingPage.objects.child_of(group_a).get()
    summary_a = TrendSummaryPage.objects.child_of(group_a).get()
    urls = sorted(
        {
            pattern.format(pk=page.pk)
            for pattern in admin_page_url_patterns()
            for page in (group_a, meeting_a, summary_a)
        }
    )
    assert len(urls) >= 15  # the generator really found Wagtail's page endpoints
    denied, total = ask_everyone(
        client,
        personas,
        urls,
        may=lambda persona, url: persona in CAN_EDIT_GROUP_A,
        secret=SECRET,
        check_allowed=did_not_fail,
    )
    print(f"admin page endpoints: {len(urls)} URLs, {denied} of {total} cells deny")


def test_admin_trend_release_views_for_every_persona(client, secret_group_a):
    """The admin's trend releases (every route under /admin/trend-releases/, generated), with
    group A's summary waiting for a data steward: administrators (and data stewards,
    tests/groups/trends/test_trend_release_admin.py) only; every other persona is denied
    and learns nothing of it."""
    from groups.models import TrendSummaryPage
    from groups.trends.quarters import reporting_quarter
    from groups.trends.services import trend_summary_submit

    group_a, personas = secret_group_a
    summary = TrendSummaryPage.objects.child_of(group_a).get()
    summary.save_revision(user=personas.administrator)
    trend_summary_submit(page=summary, submitted_by=personas.administrator)
    values = {"quarter": reporting_quarter().code}
    urls = sorted({pattern.format(**values) for pattern in members_url_patterns(prefix="admin/trend-releases/")})
    assert len(urls) >= 2
    denied, total = ask_everyone(
        client,
        personas,
        urls,
        may=lambda persona, url: persona == "administrator",
        secret=SECRET,
        check_allowed=answered,
    )
    print(f"admin trend releases: {len(urls)} URLs, {denied} of {total} cells deny")


def test_no_one_from_group_a_reaches_group_bs_meeting_in_the_admin(client, secret_group_a, meeting_b):
    """C11: the coordinator of A, with add/change/publish on A's pages, cannot edit,
    preview, compare revisions of, view the history of, copy, move or choose B's meeting."""
    _group_a, personas = secret_group_a
    urls = admin_urls_for_page(meeting_b, query=SECRET_B)
    denied = total = 0
    for url in urls:
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if persona == "administrator":
                assert response.status_code != 500, url
                continue
            if url.startswith("/admin/choose-page/") and persona != "anonymous":
                # The chooser answers, but lists nothing of B's (see hide_other_groups_from_chooser).
                assert response.status_code in (200, 302, 403, 404), (persona, url)
            else:
                assert response.status_code != 200, (persona, url)
                assert_denied(response, persona, SECRET)
            assert SECRET_B not in response.content.decode(errors="replace"), (persona, url)
            denied += 1
    assert len(urls) >= 25
    print(f"admin endpoints for group B's meeting: {len(urls)} URLs, {denied} of {total} cells deny")


def test_group_bs_meeting_for_every_persona_on_the_site(client, secret_group_a, meeting_b):
    _group_a, personas = secret_group_a
    for persona in PERSONAS:
        response = response_for(client, personas[persona], meeting_b.url)
        if persona in ("administrator", "other_group_member"):
            assert response.status_code == 200
        else:
            assert_denied(response, persona, SECRET)
            assert SECRET_B not in response.content.decode(errors="replace")


def test_members_only_views_for_every_persona(client, secret_group_a):
    from groups.membership.services import invitation_create
    from groups.models import ActionItem, TrendSummaryPage
    from tests.factories import OrganisationFactory

    group_a, personas = secret_group_a
    action = ActionItem.objects.get(meeting__in=group_a.get_children())
    invitation, _ = invitation_create(
        working_group=group_a,
        email="new.person@example.org",
        organisation=OrganisationFactory(),
        role="member",
        invited_by=personas["administrator"],
    )
    values = {
        "group_pk": group_a.pk,
        "invitation_pk": invitation.pk,
        "group_slug": group_a.slug,
        "pk": action.pk,
        "token": "0" * 64,
        "membership_pk": make_member(group_a).memberships.get().pk,
        "return_pk": TrendReturnFactory(
            working_group=group_a, organisation=personas["coordinator"].memberships.get().organisation
        ).pk,
        "file_format": "csv",
        "page_pk": TrendSummaryPage.objects.child_of(group_a).get().pk,
    }
    urls = sorted({pattern.format(**values) for pattern in members_url_patterns()})
    urls = [url for url in urls if resolve(url).url_name not in OWN_MATRIX_VIEWS]
    assert len(urls) >= 9
    denied = total = 0
    for url in urls:
        allowed = allowed_personas(resolve(url).url_name)
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            total += 1
            if allowed == "token":
                assert response.status_code == 404, (persona, url)
                denied += 1
            elif persona in allowed:
                # The page, a redirect after a change, or 400 for an empty form.
                assert response.status_code in (200, 302, 400), (persona, url, response.status_code)
            else:
                assert_denied(response, persona, SECRET)
                denied += 1
    print(f"members-only views: {len(urls)} URLs, {denied} of {total} cells deny")


def test_public_trend_urls_for_every_persona(client, secret_group_a, yorkshire):
    """Every route under /trends/ (generated, so a new one is covered): the same answer for
    every persona; group A's members-only summary, its figures and its title never there."""
    from groups.trends.quarters import reporting_quarter
    from tests.factories import OrganisationFactory, trend_counts

    _, personas = secret_group_a
    for total in (20, 20, 20):
        TrendReturnFactory(
            working_group=yorkshire, organisation=OrganisationFactory(), total=total, counts=trend_counts(total)
        )
    make_trend_summary(yorkshire, publish_publicly=True)
    quarter = reporting_quarter()
    urls = set()
    for region in ("cumbria", "yorkshire"):
        for file_format in ("csv", "json"):
            values = {"region": region, "year": quarter.year, "number": quarter.number, "file_format": file_format}
            urls |= {pattern.format(**values) for pattern in members_url_patterns(prefix="trends/")}
    assert "/trends/published-figures.json" in urls and len(urls) >= 7
    for url in sorted(urls):
        for persona in PERSONAS:
            response = response_for(client, personas[persona], url)
            content = response.content.decode(errors="replace")
            # (A signed-in member's menu names their group, whose title holds SECRET too.)
            assert f"Trend summary {SECRET}" not in content and f"<p>{SECRET}</p>" not in content, (persona, url)
            if "/cumbria/" in url:  # members only: no public copy
                assert response.status_code == 404, (persona, url)
                continue
            assert response.status_code == 200, (persona, url)
            if "published-figures" in url:
                assert "yorkshire" in content and "cumbria" not in content and SECRET not in content, (persona, url)
