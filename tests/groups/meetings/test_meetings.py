"""Meetings: coordinators create them in the admin; members read them, by group."""

import datetime
from html import unescape
from unittest import mock

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from groups.meetings import services as meetings_services
from groups.models import ActionItem, MeetingPage
from tests.factories import OrganisationFactory, make_meeting, make_member
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture
def outsider(yorkshire):
    return make_member(yorkshire, first_name="Yasmin", last_name="Yorkshire")


def add_url(group):
    return reverse("wagtailadmin_pages:add", args=["groups", "meetingpage", group.pk])


def meeting_form(
    *, start="2026-03-03 10:00", end="2026-03-03 12:00", actions=(), agenda=None, organisations=(), **fields
):
    agenda = agenda if agenda is not None else [{"title": "Trends", "notes": rich_text("<p>Rise in gaming.</p>")}]
    data = nested_form_data(
        {
            "title": "",
            "slug": "",
            "start": start,
            "end": end,
            "location": "Carlisle police HQ",
            "online_link": "",
            "apologies": "",
            "agenda_items": inline_formset(agenda),
            "documents": inline_formset([]),
            "actions": inline_formset(list(actions)),
            "action-publish": "1",
            **fields,
        }
    )
    data["attending_organisations"] = [organisation.pk for organisation in organisations]
    return data


class Received:
    """Collects the calls the meetings service makes to one notifications service
    (`name`) during a test; the calls still go through."""

    def __init__(self, name):
        self.calls = []
        self.patch = mock.patch(f"groups.meetings.services.{name}", side_effect=self.receive)
        self.original = getattr(meetings_services, name)

    def __enter__(self):
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()

    def receive(self, **kwargs):
        self.calls.append(kwargs)
        return self.original(**kwargs)


def test_meeting_pages_are_the_only_children_of_a_working_group(cumbria):
    from groups.models import TrendSummaryPage, WorkingGroupPage

    # Besides meetings, only the group's trend summaries (tests/groups/trends/test_trend_summaries_admin.py).
    assert WorkingGroupPage.allowed_subpage_models() == [MeetingPage, TrendSummaryPage]
    assert MeetingPage.allowed_parent_page_models() == [WorkingGroupPage]
    assert MeetingPage.allowed_subpage_models() == []


def test_coordinator_creates_and_publishes_a_meeting_in_the_admin(client, cumbria, coordinator, member):
    police = OrganisationFactory(name="Cumbria Constabulary")
    client.force_login(coordinator)
    data = meeting_form(
        actions=[{"description": "Share the school assembly pack", "owner_user": member.pk, "due_date": "2026-03-20"}],
        organisations=[police],
    )
    with Received("notify_meeting_notes_published") as notes, Received("notify_action_assigned") as assigned:
        response = client.post(add_url(cumbria), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = MeetingPage.objects.child_of(cumbria).get()
    # Title and slug default to the date.
    assert meeting.title == "Meeting on 3 March 2026"
    assert meeting.slug == "2026-03-03"
    assert meeting.live
    assert list(meeting.attending_organisations.all()) == [police]
    action = ActionItem.objects.get(meeting=meeting)
    assert (action.owner_user, action.status) == (member, "open")
    assert [call["meeting"].pk for call in notes.calls] == [meeting.pk]
    assert notes.calls[0]["actor"] == coordinator
    assert [call["action"].pk for call in assigned.calls] == [action.pk]


def test_the_admin_offers_only_this_groups_members_as_owners(client, cumbria, coordinator, member, outsider):
    client.force_login(coordinator)
    page = client.get(add_url(cumbria)).content.decode()
    assert "Mo Member" in page
    assert "Yasmin Yorkshire" not in page


def test_another_groups_member_as_owner_is_refused_clearly(client, cumbria, coordinator, outsider):
    client.force_login(coordinator)
    data = meeting_form(actions=[{"description": "Sneaky", "owner_user": outsider.pk, "due_date": "2026-03-20"}])
    response = client.post(add_url(cumbria), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose someone who is an active member of this working group" in body
    assert "Sneaky" in body  # what was typed is kept
    assert not MeetingPage.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2026-02-30 10:00", "end": ""}, "Enter a real date and time"),
        ({"start": "not a date", "end": ""}, "Enter a real date and time"),
        ({"start": "2026-03-03 10:00", "end": "2026-03-03 09:00"}, "The meeting must end after it starts."),
        ({"online_link": "http://teams.example.org/meet"}, "Enter a link that starts with https://"),
        ({"online_link": "javascript:alert(1)"}, "Enter a link that starts with https://"),
        ({"slug": "meetings"}, "is the address of a section"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(client, cumbria, coordinator, fields, message):
    client.force_login(coordinator)
    response = client.post(add_url(cumbria), meeting_form(**fields))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not MeetingPage.objects.exists()


def test_an_over_long_action_is_refused(client, cumbria, coordinator, member):
    client.force_login(coordinator)
    data = meeting_form(actions=[{"description": "x" * 501, "owner_user": member.pk, "due_date": "2026-03-20"}])
    response = client.post(add_url(cumbria), data)
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()
    assert not MeetingPage.objects.exists()


def test_notes_cannot_link_into_another_groups_area(client, cumbria, yorkshire, coordinator):
    theirs = make_meeting(yorkshire, start=at(2026, 1, 5))
    client.force_login(coordinator)
    notes = rich_text(f'<p><a linktype="page" id="{theirs.pk}">their meeting</a></p>')
    response = client.post(add_url(cumbria), meeting_form(agenda=[{"title": "Links", "notes": notes}]))
    assert response.status_code == 200
    message = "Links can go to public pages and documents or to this group's own pages and documents only"
    assert message in unescape(response.content.decode())
    assert not MeetingPage.objects.child_of(cumbria).exists()


def test_a_second_meeting_the_same_day_gets_its_own_slug(cumbria):
    first = make_meeting(cumbria, start=at(2026, 3, 3, 10))
    second = make_meeting(cumbria, start=at(2026, 3, 3, 14))
    assert (first.slug, second.slug) == ("2026-03-03", "2026-03-03-2")


def test_the_meeting_page_shows_details_agenda_notes_and_actions(client, cumbria, member):
    police = OrganisationFactory(name="Cumbria Constabulary")
    meeting = make_meeting(
        cumbria,
        start=at(2026, 3, 3),
        end=at(2026, 3, 3, 12),
        location="Carlisle police HQ",
        online_link="https://meet.example.org/abc",
        apologies="Durham CSC",
        attending_organisations=[police],
        agenda=[("Trends this quarter", "<p>More reports from <b>gaming</b> platforms.</p>")],
        actions=[
            {"description": "Circulate the briefing", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}
        ],
    )
    client.force_login(member)
    response = client.get(meeting.url)
    assert response.status_code == 200
    text = main_text(response)
    for expected in [
        "Tuesday 3 March 2026, 10:00 to 12:00",
        "Carlisle police HQ",
        "Cumbria Constabulary",
        "Durham CSC",
        "Trends this quarter",
        "More reports from gaming platforms.",
        "Circulate the briefing",
        "Mo Member",
    ]:
        assert expected in text
    assert soup(response).find("a", string="Join online")["href"] == "https://meet.example.org/abc"
    assert soup(response).find("a", href=reverse("groups:meeting_index", kwargs={"group_slug": "cumbria"}))


def test_open_actions_from_earlier_meetings_roll_forward(client, cumbria, yorkshire, member):
    def action(description, status="open"):
        return {"description": description, "due_date": datetime.date(2026, 1, 20), "status": status}

    make_meeting(
        cumbria,
        start=at(2026, 1, 10),
        actions=[action("Still open"), action("Under way", "in_progress"), action("Finished", "done")],
    )
    make_meeting(cumbria, start=at(2026, 2, 10), actions=[action("Dropped one", "dropped"), action("February's")])
    make_meeting(cumbria, start=at(2026, 1, 1), publish=False, actions=[action("From a draft")])
    make_meeting(yorkshire, start=at(2026, 1, 10), actions=[action("Yorkshire's own")])
    current = make_meeting(cumbria, start=at(2026, 3, 10), actions=[action("This meeting's")])
    later = make_meeting(cumbria, start=at(2026, 4, 10), actions=[action("A later meeting's")])

    client.force_login(member)
    page = soup(client.get(current.url))
    rolled = page.find("caption", string="Still open from earlier meetings").find_parent("table").get_text(" ")
    assert "Still open" in rolled and "Under way" in rolled and "February's" in rolled
    for absent in ["Finished", "Dropped one", "From a draft", "Yorkshire's own", "This meeting's", "A later"]:
        assert absent not in rolled
    assert "This meeting's" in page.find("caption", string="Agreed at this meeting").find_parent("table").get_text()
    assert later.pk


def test_the_index_lists_upcoming_meetings_then_past_ones_by_year(client, cumbria, yorkshire, member):
    now = timezone.now()
    make_meeting(cumbria, start=now + datetime.timedelta(days=30), title="Next month")
    make_meeting(cumbria, start=now + datetime.timedelta(days=3), title="This week")
    make_meeting(cumbria, start=at(2025, 6, 1), title="Summer 2025")
    make_meeting(cumbria, start=at(2024, 11, 1), title="Autumn 2024")
    make_meeting(cumbria, start=now + datetime.timedelta(days=5), title="Draft meeting", publish=False)
    make_meeting(yorkshire, start=now + datetime.timedelta(days=3), title="Yorkshire meeting")
    client.force_login(member)
    response = client.get(reverse("groups:meeting_index", kwargs={"group_slug": "cumbria"}))
    text = main_text(response)
    assert text.index("Upcoming") < text.index("This week") < text.index("Next month") < text.index("Past meetings")
    assert text.index("Past meetings") < text.index("2025") < text.index("Summer 2025") < text.index("2024")
    assert text.index("2024") < text.index("Autumn 2024")
    assert "Draft meeting" not in text and "Yorkshire meeting" not in text
    assert soup(response).find("a", attrs={"aria-current": "page"}).get_text() == "Meetings"


def test_publishing_notes_is_announced_every_time_and_a_new_owner_once(cumbria, coordinator, member):
    with Received("notify_meeting_notes_published") as notes, Received("notify_action_assigned") as assigned:
        meeting = make_meeting(
            cumbria,
            user=coordinator,
            agenda=[("Trends", "<p>Notes</p>")],
            actions=[{"description": "Do it", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}],
        )
        meeting.save_revision(user=coordinator).publish(user=coordinator)
        assert len(notes.calls) == 2
        assert len(assigned.calls) == 1  # the same owner is not announced again
        other = make_member(cumbria)
        ActionItem.objects.filter(meeting=meeting).update(owner_user=other)
        live = MeetingPage.objects.get(pk=meeting.pk)
        live.save_revision(user=coordinator).publish(user=coordinator)
    assert [call["action"].owner_user for call in assigned.calls] == [member, other]
    assert all(call["actor"] == coordinator for call in notes.calls + assigned.calls)


def test_a_meeting_without_notes_is_not_announced(cumbria):
    with Received("notify_meeting_notes_published") as notes:
        make_meeting(cumbria, agenda=[("Welcome", "")])
    assert notes.calls == []


def test_publishing_an_older_revision_keeps_the_live_status(client, cumbria, coordinator, member):
    """The pitfall: actions are children of the page, so an old revision holds old statuses."""
    from groups.meetings.services import action_status_change

    meeting = make_meeting(
        cumbria,
        user=coordinator,
        actions=[{"description": "Do it", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}],
    )
    old_revision = meeting.latest_revision
    # A draft is saved before the member changes the status...
    draft = MeetingPage.objects.get(pk=meeting.pk)
    draft.apologies = "Someone"
    draft_revision = draft.save_revision(user=coordinator)
    action = ActionItem.objects.get(meeting=meeting)
    action_status_change(action=action, status="done", note="Sent", user=member)
    # ...then the draft is published, and an older revision restored and published.
    draft_revision.publish(user=coordinator)
    assert ActionItem.objects.get(pk=action.pk).status == "done"
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[meeting.pk, old_revision.pk]),
    )
    assert response.status_code in (200, 302)
    old_revision.publish(user=coordinator)
    assert ActionItem.objects.get(pk=action.pk).status == "done"
    assert MeetingPage.objects.get(pk=meeting.pk).apologies == ""


def test_the_admin_form_has_no_status_field(client, cumbria, coordinator, member):
    meeting = make_meeting(
        cumbria, actions=[{"description": "Do it", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}]
    )
    client.force_login(coordinator)
    page = soup(client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])))
    assert page.find(attrs={"name": "actions-0-status"}) is None
    assert page.find(attrs={"name": "actions-0-description"}) is not None


def test_status_posted_to_the_admin_is_ignored(client, cumbria, coordinator, member):
    client.force_login(coordinator)
    data = meeting_form(
        actions=[{"description": "Do it", "owner_user": member.pk, "due_date": "2026-03-20", "status": "done"}]
    )
    assert client.post(add_url(cumbria), data).status_code == 302
    assert ActionItem.objects.get().status == "open"


def test_copying_a_meeting_leaves_the_actions_behind(cumbria, member):
    meeting = make_meeting(
        cumbria,
        start=at(2026, 3, 3),
        agenda=[("Welcome", "")],
        actions=[{"description": "Do it", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}],
    )
    copy = meeting.copy(update_attrs={"slug": "copy", "title": "Copy"})
    copy = MeetingPage.objects.get(pk=copy.pk)
    assert copy.agenda_items.count() == 1
    assert copy.actions.count() == 0


def test_meetings_are_never_searchable_or_in_the_sitemap(client, cumbria):
    make_meeting(cumbria, title="Quarterly wombatquartz meeting")
    assert MeetingPage.get_indexed_objects().count() == 0
    assert "wombatquartz" not in client.get("/sitemap.xml").content.decode()
    assert Page.objects.type(MeetingPage).count() == 1


def grow(group, *, meetings, owner, organisation, first_month=1):
    """`meetings` meetings a month apart in 2025, each with two agenda items and three actions."""
    for n in range(meetings):
        make_meeting(
            group,
            start=at(2025, 1, 1) + datetime.timedelta(days=n),
            attending_organisations=[organisation],
            agenda=[("Trends", "<p>Notes</p>"), ("Any other business", "<p>None</p>")],
            actions=[
                {"description": "Mine", "owner_user": owner, "due_date": datetime.date(2025, 2, 1)},
                {"description": "Theirs", "owner_organisation": organisation, "due_date": datetime.date(2025, 2, 1)},
                {"description": "Done", "due_date": datetime.date(2025, 2, 1), "status": "done"},
            ],
        )


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_meeting_page_queries_stay_the_same_when_meetings_and_actions_grow_tenfold(
    client, cumbria, member, django_assert_max_num_queries
):
    police = OrganisationFactory(name="Cumbria Constabulary")
    grow(cumbria, meetings=2, owner=member, organisation=police)
    current = make_meeting(
        cumbria,
        start=at(2026, 3, 3),
        attending_organisations=[police],
        agenda=[("Trends", "<p>Notes</p>")],
        actions=[{"description": "Now", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}],
    )
    client.force_login(member)
    queries_for(client, current.url)  # warm the site-root cache
    baseline = queries_for(client, current.url)
    grow(cumbria, meetings=18, owner=member, organisation=police)
    queries_for(client, current.url)  # new pages clear the cached site frame: warm it again
    with django_assert_max_num_queries(baseline):
        response = client.get(current.url)
    assert main_text(response).count("Mine") == 2 * 20  # every rolled-forward action (and its link text)
    print(f"meeting page: {baseline} queries with 2 or 20 earlier meetings")


def test_meeting_index_queries_stay_the_same_when_meetings_grow_tenfold(
    client, cumbria, member, django_assert_max_num_queries
):
    police = OrganisationFactory(name="Cumbria Constabulary")
    grow(cumbria, meetings=2, owner=member, organisation=police)
    url = reverse("groups:meeting_index", kwargs={"group_slug": "cumbria"})
    client.force_login(member)
    queries_for(client, url)
    baseline = queries_for(client, url)
    grow(cumbria, meetings=18, owner=member, organisation=police)
    queries_for(client, url)  # new pages clear the cached site frame: warm it again
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert main_text(response).count("Meeting on") == 20
    print(f"meeting index: {baseline} queries with 2 or 20 meetings")


def test_action_page_queries_stay_the_same_when_its_history_grows_tenfold(
    client, cumbria, member, django_assert_max_num_queries
):
    from groups.meetings.services import action_status_change

    meeting = make_meeting(
        cumbria, actions=[{"description": "Do it", "owner_user": member, "due_date": datetime.date(2026, 4, 1)}]
    )
    action = ActionItem.objects.get(meeting=meeting)
    url = reverse("groups:action_detail", kwargs={"group_slug": "cumbria", "pk": action.pk})

    def changes(n):
        for i in range(n):
            action_status_change(action=action, status=["in_progress", "open"][i % 2], note="", user=member)

    changes(2)
    client.force_login(member)
    queries_for(client, url)
    baseline = queries_for(client, url)
    changes(18)
    queries_for(client, url)  # as above, after any change
    with django_assert_max_num_queries(baseline):
        client.get(url)
    print(f"action page: {baseline} queries with 2 or 20 changes")


def test_a_coordinator_previews_a_new_meeting_with_its_actions(client, cumbria, coordinator, member):
    client.force_login(coordinator)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["groups", "meetingpage", cumbria.pk])
    data = meeting_form(
        actions=[{"description": "Previewed action", "owner_user": member.pk, "due_date": "2026-03-20"}]
    )
    response = client.post(url, data)
    assert response.json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    text = main_text(response)
    assert "Previewed action" in text and "Rise in gaming." in text and "Mo Member" in text
    assert not MeetingPage.objects.exists()
