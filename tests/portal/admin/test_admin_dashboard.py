"""The admin dashboard: titled with the site's name, with panels for each role's work
(guidance due for review, new feedback, trend returns outstanding, pending invitations),
each shown only to those whose work it is and naming only what they may see; its query
count does not grow with the data."""

import datetime
import re

import pytest

from django.utils import timezone

from groups.membership.services import invitation_create, membership_suspend
from groups.trends.quarters import reporting_quarter
from home.models import FeedbackSubmission, PortalSettings
from portal.roles import editors_setup
from tests.factories import (
    GuidancePageFactory,
    OrganisationFactory,
    TrendReturnFactory,
    make_member,
)

pytestmark = pytest.mark.django_db

PANELS = ["Guidance due for review", "New feedback", "Trend returns outstanding", "Pending invitations"]
# Which panels each persona sees: editors and administrators the site-wide ones, people who
# run a group (coordinators; administrators for every group) the groups' ones.
SEES = {
    "editor": {"Guidance due for review", "New feedback"},
    "coordinator": {"Trend returns outstanding", "Pending invitations"},
    "administrator": set(PANELS),
}


def panel_headings(html):
    return {heading for heading in PANELS if re.search(rf">\s*{re.escape(heading)}\s*<", html)}


def overdue_guidance(parent, title, days=10):
    today = timezone.localdate()
    return GuidancePageFactory(
        parent=parent,
        title=title,
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=days),
    )


@pytest.fixture
def world(personas, guidance_index, feedback_page, cumbria, yorkshire):
    """Two groups with an outstanding return and an invitation each, overdue guidance and
    new feedback."""
    editors_setup()  # the Editors' page permissions on the public sections
    overdue_guidance(guidance_index, "Overdue guidance on sextortion")
    FeedbackSubmission.objects.create(page=feedback_page, form_data={"your_message": "Useful."})
    FeedbackSubmission.objects.create(
        page=feedback_page, form_data={"your_message": "Seen."}, status=FeedbackSubmission.Status.CLOSED
    )
    coordinator = personas.coordinator
    other_coordinator = make_member(yorkshire, role="coordinator", first_name="Yara", last_name="Coord")
    quiet = OrganisationFactory(name="Quiet Cumbria Agency")
    make_member(cumbria, organisation=quiet)
    make_member(yorkshire, organisation=OrganisationFactory(name="Silent Yorkshire Agency"))
    TrendReturnFactory(working_group=cumbria, organisation=personas.member.memberships.get().organisation)
    police = personas.member.memberships.get().organisation
    invitation_create(
        working_group=cumbria,
        email="new.cumbria@example.org",
        organisation=police,
        role="member",
        invited_by=coordinator,
    )
    invitation_create(
        working_group=yorkshire,
        email="new.yorkshire@example.org",
        organisation=police,
        role="member",
        invited_by=other_coordinator,
    )
    return {"other_coordinator": other_coordinator}


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_is_titled_with_the_sites_name(client, personas, home_page):
    html = dashboard(client, personas.editor)
    assert re.search(r"<h1[^>]*>\s*Working Group Portal\s*</h1>", html)
    assert "localhost" not in html


@pytest.mark.parametrize("persona", ["editor", "coordinator", "administrator"])
def test_each_role_sees_the_panels_of_its_work_and_no_others(client, personas, world, persona):
    assert panel_headings(dashboard(client, personas[persona])) == SEES[persona]


def test_an_editor_sees_overdue_guidance_and_the_new_feedback_count(client, personas, world):
    html = dashboard(client, personas.editor)
    assert "1 guidance page is past its review date." in html
    assert "Overdue guidance on sextortion" in html
    assert 'href="/admin/reports/guidance-review/"' in html
    assert "1 submission is waiting for triage." in html
    assert 'href="/admin/feedback/submissions/?status=new"' in html
    assert "Useful." not in html  # the count, not what was sent


def test_a_coordinator_sees_their_own_groups_returns_and_invitations_only(client, personas, world, cumbria):
    html = dashboard(client, personas.coordinator)
    quarter = reporting_quarter()
    assert f"Returns for {quarter.label} are due by" in html
    assert "Cumbria working group" in html
    assert "Quiet Cumbria Agency" in html
    assert f'href="/members/{cumbria.slug}/returns/tracking/"' in html
    assert "new.cumbria@example.org" in html
    assert f'href="/members/{cumbria.slug}/invitations/"' in html
    for other in ("Yorkshire working group", "Silent Yorkshire Agency", "new.yorkshire@example.org", "Yara"):
        assert other not in html
    assert "Overdue guidance" not in html


def test_an_administrator_sees_every_group(client, personas, world):
    html = dashboard(client, personas.administrator)
    for text in (
        "Quiet Cumbria Agency",
        "Silent Yorkshire Agency",
        "new.cumbria@example.org",
        "new.yorkshire@example.org",
    ):
        assert text in html


def test_a_suspended_coordinator_sees_nothing_of_the_group(client, personas, world, cumbria):
    coordinator = personas.coordinator
    make_member(cumbria, role="coordinator")  # the group still has someone running it
    membership_suspend(membership=coordinator.memberships.get())
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    assert "new.cumbria@example.org" not in html
    assert "Quiet Cumbria Agency" not in html


def test_nothing_outstanding_says_so(client, personas, cumbria):
    coordinator = personas.coordinator
    TrendReturnFactory(working_group=cumbria, organisation=coordinator.memberships.get().organisation)
    html = dashboard(client, coordinator)
    assert f"Every return for {reporting_quarter().label} is in." in html
    assert "Every organisation has sent its return." in html
    assert "No invitations are waiting for a reply." in html


def test_the_dashboard_makes_as_many_queries_with_ten_times_the_data(
    client, personas, guidance_index, feedback_page, cumbria, yorkshire, django_assert_max_num_queries
):
    editors_setup()
    users = [personas.editor, personas.coordinator, personas.administrator]

    def add(n, start):
        for i in range(start, start + n):
            overdue_guidance(guidance_index, f"Overdue {i}", days=i + 1)
            FeedbackSubmission.objects.create(page=feedback_page, form_data={"your_message": f"Note {i}"})
            for group in (cumbria, yorkshire):
                organisation = OrganisationFactory(name=f"Agency {group.region} {i}")
                make_member(group, organisation=organisation)
                if i % 2:
                    TrendReturnFactory(working_group=group, organisation=organisation)
                invitation_create(
                    working_group=group,
                    email=f"person{i}@{group.region}.example.org",
                    organisation=organisation,
                    role="member",
                    invited_by=personas.administrator,
                )

    def counts():
        found = {}
        for user in users:
            client.force_login(user)
            client.get("/admin/")  # the session and caches settle first
            with django_assert_max_num_queries(1000) as captured:
                assert client.get("/admin/").status_code == 200
            found[user.pk] = len(captured)
        return found

    add(2, 0)
    few = counts()
    add(18, 2)
    many = counts()
    print(
        f"admin dashboard queries (editor, coordinator, administrator): {list(few.values())} -> {list(many.values())}"
    )
    assert many == few


@pytest.mark.parametrize("url", ["/admin/", "/admin/feedback/submissions/"])
def test_editors_are_warned_while_no_organisation_email_is_set(client, personas, feedback_page, url):
    client.force_login(personas.editor)
    warning = "No organisation email is set"
    assert warning not in client.get(url).content.decode()

    portal_settings = PortalSettings.for_site(feedback_page.get_site())
    portal_settings.organisation_email = ""
    portal_settings.save()
    html = client.get(url).content.decode()
    assert warning in html
    assert "feedback is stored here, but not emailed to anyone" in html
