"""A member chooses immediate notifications in the browser, a meeting with an action for
them is published, and the email in the outbox says only that, with a link that opens
the action once signed in. The preferences page passes axe."""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.steps import expect_no_violations, sign_in
from tests.factories import MembersAreaIndexPageFactory, OrganisationFactory, WorkingGroupPageFactory, make_member

SECRET = "Call the wombat carousel family"


def test_immediate_notification_of_an_action_from_choice_to_link(page, portal, live_server, settings):
    from groups.models import ActionItem, NotificationPreference
    from portal.models import OutboundEmail
    from tests.accounts import make_account
    from tests.factories import make_meeting

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    yorkshire = WorkingGroupPageFactory(parent=area, region="yorkshire", title="Yorkshire working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=police, user=user)
    make_member(yorkshire, organisation=police, user=user)
    coordinator = make_member(cumbria, role="coordinator", organisation=police)

    sign_in(page, user, secret)
    page.goto("/members/")
    page.get_by_role("link", name="Choose how often we email you about your groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    cumbria_choices = page.get_by_role("group", name="Cumbria working group")
    expect(cumbria_choices.get_by_label("Daily digest")).to_be_checked()
    expect_no_violations(page)
    cumbria_choices.get_by_label("Immediately, one email for each").check()
    page.get_by_role("group", name="Yorkshire working group").get_by_label("Off").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_role("alert")).to_contain_text("Your notification choices have been saved.")
    expect_no_violations(page)
    assert dict(NotificationPreference.objects.filter(user=user).values_list("working_group__slug", "frequency")) == {
        "cumbria": "immediately",
        "yorkshire": "off",
    }

    make_meeting(
        cumbria,
        user=coordinator,
        agenda=[("Trends", "<p>Notes</p>")],
        actions=[
            {"description": SECRET, "owner_user": user, "due_date": datetime.date.today() + datetime.timedelta(days=14)}
        ],
    )
    emails = {email.subject: email for email in OutboundEmail.objects.filter(to=[user.email])}
    assert set(emails) == {"Cumbria working group: an action for you", "Cumbria working group: meeting notes published"}
    email = emails["Cumbria working group: an action for you"]
    assert SECRET not in email.body_text + email.body_html
    link = re.search(rf"{re.escape(live_server.url)}/members/cumbria/actions/\d+/", email.body_text).group(0)
    action = ActionItem.objects.get(owner_user=user)
    assert link.endswith(f"/actions/{action.pk}/")
    page.goto(link)
    expect(page.get_by_role("main")).to_contain_text(SECRET)
