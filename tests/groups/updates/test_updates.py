"""Members' updates: posting, the organisation shown, the edit window, deleting, hiding,
the signal notifications listen to, and what happens when someone leaves."""

import datetime
from unittest import mock

import pytest
import time_machine

from django.urls import reverse

from wagtail.models import ModelLogEntry

from groups.membership.services import membership_leave
from groups.models import Update
from groups.updates import services as updates_services
from groups.updates.services import UpdateError, update_delete, update_edit, update_hide, update_post, update_unhide
from tests.factories import OrganisationFactory, UserFactory, make_member, make_update, with_authenticator
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(with_authenticator(user))
    return user


def list_url(group):
    return reverse("groups:update_list", kwargs={"group_slug": group.slug})


def url(name, update):
    return reverse(f"groups:{name}", kwargs={"group_slug": update.working_group.slug, "pk": update.pk})


def button(page, text):
    return page.find(lambda tag: tag.name == "button" and text in tag.get_text())


@pytest.fixture
def received():
    """Every call the updates service makes to notify the group while the test runs."""
    calls = []
    original = updates_services.notify_update_posted

    def receiver(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    with mock.patch("groups.updates.services.notify_update_posted", side_effect=receiver):
        yield calls


def test_a_member_posts_an_update_with_their_organisation(client, cumbria, police, received):
    author = signed_in(client, make_member(cumbria, organisation=police, first_name="Ana", last_name="Reyes"))
    response = client.post(
        reverse("groups:update_create", kwargs={"group_slug": cumbria.slug}),
        {"title": "New tactic on a game chat", "body": "Seen twice.\n\n- fake modelling offers", "tags": ["tactics"]},
    )
    update = Update.objects.get()
    assert response.status_code == 302
    assert response["Location"] == update.get_absolute_url()
    assert (update.author, update.organisation, update.working_group) == (author, police, cumbria)
    assert [tag.slug for tag in update.tags.all()] == ["tactics"]

    page = client.get(list_url(cumbria))
    text = main_text(page)
    assert "New tactic on a game chat" in text
    assert "Ana Reyes, Cumbria Constabulary" in text
    assert soup(page).select_one("article ul.govuk-list--bullet li").get_text() == "fake modelling offers"
    assert [call["update"] for call in received] == [update]
    assert received[0]["actor"] == author


def test_the_signal_is_sent_on_posting_only(cumbria, received):
    author = make_member(cumbria)
    update = update_post(working_group=cumbria, author=author, title="One", body="Body", tags=["other"])
    update_edit(update=update, editor=author, title="Two", body="Body", tags=["events"])
    assert len(received) == 1
    update_post(working_group=cumbria, author=author, title="Demo", body="Body", tags=["other"], notify=False)
    assert len(received) == 1


def test_demo_content_can_post_with_a_past_date(cumbria):
    when = datetime.datetime(2026, 3, 4, 10, 30, tzinfo=datetime.UTC)
    update = make_update(cumbria, created_at=when, tags=["platforms", "events"])
    assert update.created_at == when
    assert sorted(tag.slug for tag in update.tags.all()) == ["events", "platforms"]


def test_the_organisation_is_the_one_at_posting_time(client, cumbria, police):
    author = make_member(cumbria, organisation=police)
    update = make_update(cumbria, author=author)
    membership = author.memberships.get()
    membership.organisation = OrganisationFactory(name="Cumbria County Council")
    membership.save()
    update.refresh_from_db()
    assert update.organisation == police


def test_leavers_keep_their_name_on_their_updates(client, cumbria, police):
    author = make_member(cumbria, organisation=police, first_name="Sam", last_name="Patel")
    make_update(cumbria, author=author, title="Before I left")
    membership_leave(membership=author.memberships.get())
    signed_in(client, make_member(cumbria))
    text = main_text(client.get(list_url(cumbria)))
    assert "Before I left" in text
    assert "Sam Patel, Cumbria Constabulary" in text


def test_a_leaver_can_no_longer_change_their_update(cumbria):
    author = make_member(cumbria)
    update = make_update(cumbria, author=author)
    membership_leave(membership=author.memberships.get())
    with pytest.raises(UpdateError):
        update_edit(update=update, editor=author, title="x", body="y", tags=["other"])


def test_only_members_can_post(cumbria, yorkshire):
    outsider = make_member(yorkshire)
    with pytest.raises(UpdateError):
        update_post(working_group=cumbria, author=outsider, title="x", body="y", tags=["other"])
    with pytest.raises(UpdateError):
        update_post(working_group=cumbria, author=UserFactory(is_superuser=True), title="x", body="y", tags=["other"])
    assert not Update.objects.exists()


def test_an_update_needs_a_known_topic(cumbria):
    author = make_member(cumbria)
    with pytest.raises(UpdateError, match="at least one topic"):
        update_post(working_group=cumbria, author=author, title="x", body="y", tags=[])
    with pytest.raises(UpdateError, match="Unknown topic"):
        update_post(working_group=cumbria, author=author, title="x", body="y", tags=["gossip"])


# The edit window.

POSTED = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("later", "allowed"),
    [
        (datetime.timedelta(minutes=1), True),
        (datetime.timedelta(hours=23, minutes=59), True),
        (datetime.timedelta(hours=24), False),
        (datetime.timedelta(days=30), False),
    ],
)
def test_authors_edit_within_the_window(client, cumbria, later, allowed):
    author = signed_in(client, make_member(cumbria))
    with time_machine.travel(POSTED, tick=False):
        update = make_update(cumbria, author=author, title="Original")
    with time_machine.travel(POSTED + later, tick=False):
        page = client.get(url("update_edit", update))
        response = client.post(url("update_edit", update), {"title": "Changed", "body": "New body", "tags": "other"})
        feed = soup(client.get(list_url(cumbria)))
    update.refresh_from_db()
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert update.title == "Changed"
        assert update.edited_at == POSTED + later
        assert feed.find("a", string="Changed") is not None
    else:
        assert page.status_code == 403
        assert "You can no longer change this update" in main_text(page)
        assert response.status_code == 403
        assert update.title == "Original"
        assert update.edited_at is None
        assert feed.find("a", string="Edit") is None


def test_the_window_is_a_setting(client, cumbria, settings):
    settings.UPDATE_EDIT_WINDOW_HOURS = 1
    author = signed_in(client, make_member(cumbria))
    with time_machine.travel(POSTED, tick=False):
        update = make_update(cumbria, author=author)
    with time_machine.travel(POSTED + datetime.timedelta(minutes=61), tick=False):
        assert client.get(url("update_delete", update)).status_code == 403
        assert client.post(url("update_delete", update)).status_code == 403
    assert Update.objects.filter(pk=update.pk).exists()


def test_authors_delete_after_confirming(client, cumbria):
    author = signed_in(client, make_member(cumbria))
    update = make_update(cumbria, author=author, title="Posted by mistake")
    page = client.get(url("update_delete", update))
    assert "Delete your update?" in main_text(page)
    assert Update.objects.filter(pk=update.pk).exists()  # asking changes nothing
    response = client.post(url("update_delete", update))
    assert response.status_code == 302
    assert response["Location"] == list_url(cumbria)
    assert not Update.objects.filter(pk=update.pk).exists()
    entry = ModelLogEntry.objects.get(action="portal.update_deleted")
    assert entry.data["update"] == update.pk


def test_only_the_author_may_change_or_delete(cumbria):
    update = make_update(cumbria)
    colleague = make_member(cumbria)
    coordinator = make_member(cumbria, role="coordinator")
    for user in (colleague, coordinator):
        with pytest.raises(UpdateError):
            update_edit(update=update, editor=user, title="x", body="y", tags=["other"])
        with pytest.raises(UpdateError):
            update_delete(update=update, deleted_by=user)
    assert Update.objects.get().title == update.title


# Hiding.


def test_coordinators_hide_and_unhide(client, cumbria):
    author = make_member(cumbria)
    update = make_update(cumbria, author=author, title="Needs a second look")
    coordinator = signed_in(client, make_member(cumbria, role="coordinator"))

    response = client.post(url("update_hide", update))
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.hidden_at is not None and update.hidden_by == coordinator
    coordinator_view = soup(client.get(list_url(cumbria)))
    heading = coordinator_view.find("a", string="Needs a second look").parent
    assert "Hidden" in heading.get_text()
    assert button(coordinator_view, "Show to members again") is not None

    for member in (author, make_member(cumbria)):
        signed_in(client, member)
        assert "Needs a second look" not in main_text(client.get(list_url(cumbria)))
        assert client.get(url("update_detail", update)).status_code == 404
        assert client.get(url("update_edit", update)).status_code == 404

    signed_in(client, coordinator)
    client.post(url("update_unhide", update))
    update.refresh_from_db()
    assert update.hidden_at is None and update.hidden_by is None
    signed_in(client, author)
    assert "Needs a second look" in main_text(client.get(list_url(cumbria)))

    actions = list(
        ModelLogEntry.objects.filter(action__startswith="portal.update_")
        .order_by("timestamp")
        .values_list("action", "user_id", "data__update")
    )
    assert actions == [
        ("portal.update_hidden", coordinator.pk, update.pk),
        ("portal.update_unhidden", coordinator.pk, update.pk),
    ]


def test_hiding_twice_is_recorded_once(cumbria):
    update = make_update(cumbria)
    coordinator = make_member(cumbria, role="coordinator")
    update_hide(update=update, hidden_by=coordinator)
    update_hide(update=update, hidden_by=coordinator)
    assert ModelLogEntry.objects.filter(action="portal.update_hidden").count() == 1
    update_unhide(update=update, unhidden_by=coordinator)
    assert Update.objects.visible().count() == 1


def test_members_cannot_hide(cumbria, yorkshire):
    update = make_update(cumbria)
    for user in (make_member(cumbria), update.author, make_member(yorkshire, role="coordinator")):
        with pytest.raises(UpdateError):
            update_hide(update=update, hidden_by=user)
    assert Update.objects.visible().count() == 1


def test_members_do_not_see_the_hide_button(client, cumbria):
    make_update(cumbria, title="Visible")
    signed_in(client, make_member(cumbria))
    assert button(soup(client.get(list_url(cumbria))), "Hide") is None
    signed_in(client, make_member(cumbria, role="coordinator"))
    assert button(soup(client.get(list_url(cumbria))), "Hide") is not None


def test_updates_are_in_the_group_navigation(client, cumbria):
    signed_in(client, make_member(cumbria))
    nav = soup(client.get(cumbria.url)).find("nav", class_="portal-group-nav")
    assert nav.find("a", string="Updates")["href"] == list_url(cumbria)
    current = soup(client.get(list_url(cumbria))).find("a", attrs={"aria-current": "page"})
    assert current.get_text() == "Updates"
