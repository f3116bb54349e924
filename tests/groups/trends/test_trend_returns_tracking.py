"""Coordinators see which organisations have returned the reporting quarter and remind
the others through the outbox: once, to each active member, with nothing sensitive."""

import datetime

import pytest
import time_machine

from wagtail.models import ModelLogEntry

from groups.trends.quarters import reporting_quarter
from portal.models import OutboundEmail
from tests.factories import OrganisationFactory, TrendReturnFactory, make_member, with_authenticator
from tests.html import main_text

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 10, 12, 9, tzinfo=datetime.UTC)


@pytest.fixture
def setting(cumbria, yorkshire, police):
    council = OrganisationFactory(name="Cumbria County Council")
    charity = OrganisationFactory(name="Young People First")
    coordinator = make_member(cumbria, role="coordinator", organisation=police)
    council_members = [make_member(cumbria, organisation=council, email=f"c{n}@council.example") for n in range(2)]
    make_member(cumbria, organisation=council, status="invited", email="invited@council.example")
    suspended = make_member(cumbria, organisation=charity, email="suspended@charity.example")
    from groups.membership.services import membership_suspend
    from groups.models import Membership

    membership_suspend(membership=Membership.objects.get(user=suspended))
    make_member(yorkshire, organisation=council, email="yorkshire@council.example")
    TrendReturnFactory(working_group=cumbria, organisation=police, submitted_by=coordinator)
    return coordinator, council_members


@time_machine.travel(NOW, tick=False)
def test_tracking_lists_organisations_with_active_members_and_the_deadline(client, setting):
    coordinator, _ = setting
    client.force_login(coordinator)
    text = main_text(client.get("/members/cumbria/returns/tracking/"))
    assert "Returns for July to September 2026 are due by 30 October 2026" in text
    assert "Cumbria Constabulary 1 Submitted" in text
    assert "Cumbria County Council 2 Not submitted" in text
    assert "Young People First" not in text  # its only member is suspended
    assert "1 of 2 organisations" in text


@time_machine.travel(NOW, tick=False)
def test_a_reminder_goes_once_to_each_active_member_of_organisations_that_have_not_returned(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator, council_members = setting
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/members/cumbria/returns/tracking/remind/")
    assert response.status_code == 302
    emails = OutboundEmail.objects.order_by("pk")
    assert sorted(address for email in emails for address in email.to) == sorted(u.email for u in council_members)
    email = emails.first()
    assert email.subject == "Reminder: trend return for July to September 2026"
    assert "due by 30 October 2026" in email.body_text
    assert "/members/cumbria/returns/new/?quarter=2026-Q3" in email.body_text
    assert "Constabulary" not in email.body_text  # nothing about who has or has not returned
    assert len(mailoutbox) == 2  # sent by the outbox once the transaction committed

    # Pressing the button again does not send the reminder twice.
    client.post("/members/cumbria/returns/tracking/remind/")
    assert OutboundEmail.objects.count() == 2
    text = main_text(client.get("/members/cumbria/returns/tracking/"))
    assert "A reminder was already sent at 10:00 on 12 October 2026" in text
    entry = ModelLogEntry.objects.get(action="portal.trend_return_reminder")
    assert entry.data["quarter"] == "2026-Q3" and entry.data["recipients"] == 2
    assert entry.user_id == coordinator.pk

    with time_machine.travel(NOW + datetime.timedelta(hours=25), tick=False):
        client.force_login(coordinator)  # a new day, a new session
        client.post("/members/cumbria/returns/tracking/remind/")
    assert OutboundEmail.objects.count() == 4


@time_machine.travel(NOW, tick=False)
def test_nobody_to_remind_when_everyone_has_returned(client, setting, cumbria):
    coordinator, _ = setting
    from groups.models import Organisation

    TrendReturnFactory(working_group=cumbria, organisation=Organisation.objects.get(name="Cumbria County Council"))
    client.force_login(coordinator)
    response = client.post("/members/cumbria/returns/tracking/remind/", follow=True)
    assert "there is nobody to remind" in main_text(response)
    assert OutboundEmail.objects.count() == 0
    assert reporting_quarter().code == "2026-Q3"


@time_machine.travel(NOW, tick=False)
def test_a_member_sees_the_deadline_on_their_list(client, setting):
    _, council_members = setting
    member = with_authenticator(council_members[0])
    client.force_login(member)
    text = main_text(client.get("/members/cumbria/returns/"))
    assert "Cumbria County Council's return for July to September 2026 is due by 30 October 2026" in text
    assert "For coordinators" not in text


def test_a_corrected_return_shows_when_it_was_first_sent_and_when_corrected(client, setting, cumbria, time_machine):
    coordinator, council_members = setting
    council = council_members[0].memberships.get().organisation
    time_machine.move_to(datetime.datetime(2026, 10, 20, 10, tzinfo=datetime.UTC), tick=False)
    TrendReturnFactory(working_group=cumbria, organisation=council, submitted_by=council_members[0])
    time_machine.move_to(datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC), tick=False)
    TrendReturnFactory(working_group=cumbria, organisation=council, submitted_by=council_members[1], total=14)

    client.force_login(coordinator)
    text = main_text(client.get("/members/cumbria/returns/tracking/"))
    assert "Cumbria County Council 2 Submitted 20 October 2026, corrected 5 December 2026" in text
    assert "corrected" not in text.split("Cumbria Constabulary")[1].split("Cumbria County Council")[0]
