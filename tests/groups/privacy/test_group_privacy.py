"""No one sees another group's area, and no one outside a group learns its pages exist."""

from urllib.parse import quote

import pytest

from django.conf import settings
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.urls import reverse

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

from groups.membership.services import membership_change_role, membership_suspend
from groups.models import Membership, WorkingGroupPage
from portal.roles import editors_setup
from tests.factories import (
    MembersAreaIndexPageFactory,
    StandardPageFactory,
    WorkingGroupPageFactory,
    days,
    make_meeting,
)
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

SECRET_WORD = "quokkaheliotrope"
GROUP_A = "/members/cumbria/"
MISSING_URLS = ["/members/no-such-group/", "/members/cumbria/no-such-page/", "/members/yorkshire/no-such-page/"]


@pytest.fixture
def members_area(home_page):
    return MembersAreaIndexPageFactory(parent=home_page, show_in_menus=True)


@pytest.fixture
def cumbria(members_area):
    return WorkingGroupPageFactory(
        parent=members_area,
        region="cumbria",
        title=f"Cumbria {SECRET_WORD}",
        introduction=f"Cumbria's {SECRET_WORD} introduction.",
        search_description=f"Cumbria {SECRET_WORD}",
        show_in_menus=True,
    )


@pytest.fixture
def yorkshire(members_area):
    return WorkingGroupPageFactory(parent=members_area, region="yorkshire", title="Yorkshire working group")


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def login_redirect(path):
    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(path)}"


ALLOWED = ["member", "coordinator", "administrator"]
HIDDEN = [
    "other_group_member",
    "other_group_coordinator",
    "suspended_coordinator",
    "former_member",
    "invited",
    "editor",
    "no_group",
]


@pytest.mark.parametrize("person", ALLOWED)
def test_the_groups_members_see_its_area(client, personas, cumbria, person):
    response = client_for(client, personas[person]).get(GROUP_A)
    assert response.status_code == 200
    assert f"Cumbria {SECRET_WORD}" in main_text(response)


@pytest.mark.parametrize("person", HIDDEN)
@pytest.mark.parametrize("restriction_row", ["kept", "deleted"])
def test_everyone_else_signed_in_gets_the_same_404_as_a_page_that_does_not_exist(
    client, personas, cumbria, person, restriction_row
):
    if restriction_row == "deleted":
        PageViewRestriction.objects.filter(page=cumbria).delete()
    client = client_for(client, personas[person])
    hidden = client.get(GROUP_A)
    assert hidden.status_code == 404
    assert SECRET_WORD not in hidden.content.decode()
    for url in MISSING_URLS:
        missing = client.get(url)
        assert (missing.status_code, missing.content) == (hidden.status_code, hidden.content)


@pytest.mark.parametrize("restriction_row", ["kept", "deleted"])
@pytest.mark.parametrize("url", ["/members/", GROUP_A, "/members/cumbria/?page=2", *MISSING_URLS])
def test_anonymous_visitors_are_sent_to_sign_in_from_any_members_url(client, cumbria, url, restriction_row):
    if restriction_row == "deleted":
        PageViewRestriction.objects.filter(page=cumbria).delete()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == login_redirect(url)
    assert SECRET_WORD not in response.content.decode()


def test_suspension_takes_effect_on_the_next_request(client, personas, cumbria):
    member = personas["member"]
    client = client_for(client, member)
    assert client.get(GROUP_A).status_code == 200
    membership_suspend(membership=member.memberships.get())
    assert client.get(GROUP_A).status_code == 404


def test_a_membership_changed_behind_the_services_back_still_counts_at_once(client, personas, cumbria):
    # Membership is the source of truth: the Django groups still say "member" here.
    member = personas["member"]
    client = client_for(client, member)
    Membership.objects.filter(user=member).update(status=Membership.Status.LEFT)
    assert member.groups.filter(name="Cumbria members").exists()
    assert client.get(GROUP_A).status_code == 404


@pytest.mark.parametrize("page", ["group", "meeting"])
def test_wagtails_view_restriction_still_locks_a_page_reached_by_routing(client, personas, cumbria, page):
    # The second lock: an active membership but no place in the group's Django groups. The
    # restrictions of a routed page are read by tree path (groups.models), still enforced.
    member = personas["member"]
    url = GROUP_A if page == "group" else make_meeting(cumbria, start=days(3)).url
    client = client_for(client, member)
    assert client.get(url).status_code == 200
    member.groups.clear()
    assert client.get(url).status_code != 200


@pytest.mark.parametrize("page", ["group", "meeting"])
def test_a_view_restriction_whose_groups_change_locks_the_page_at_once(client, personas, cumbria, page):
    # The frame keeps each restriction's groups (home.frame); they change without a save.
    member = personas["member"]
    url = GROUP_A if page == "group" else make_meeting(cumbria, start=days(3)).url
    client = client_for(client, member)
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.get(page=cumbria).groups.remove(cumbria.members_group)
    assert client.get(url).status_code != 200


def test_group_page_introduces_the_group(client, personas, cumbria):
    text = main_text(client_for(client, personas["member"]).get(GROUP_A))
    assert "Members' area" in text
    assert f"Cumbria's {SECRET_WORD} introduction." in text


def test_people_page_lists_its_active_members_with_organisation_sector_and_role(client, personas, cumbria):
    listed = personas["coordinator"]
    unlisted = [personas[name] for name in ("suspended_coordinator", "former_member", "invited")]
    text = main_text(client_for(client, personas["member"]).get(GROUP_A + "people/"))
    assert "Mo Member Cumbria Constabulary Police Member" in text
    assert listed.get_full_name() in text
    assert text.count("Coordinator") == 1  # the suspended coordinator is not listed
    for person in unlisted:
        assert person.username not in text


def test_members_area_lists_only_the_signed_in_persons_groups(client, personas, cumbria, yorkshire):
    member = personas["other_group_member"]
    text = main_text(client_for(client, member).get("/members/"))
    assert "Yorkshire working group" in text
    assert SECRET_WORD not in text
    assert soup(client.get("/members/")).find("a", href=yorkshire.url)


def test_members_area_says_so_when_someone_has_no_group(client, personas, cumbria):
    text = main_text(client_for(client, personas["no_group"]).get("/members/"))
    assert "You are not a member of a working group yet." in text
    assert SECRET_WORD not in text


def test_coordinator_sees_the_page_again_after_becoming_a_member_again(client, personas, cumbria):
    coordinator = personas["coordinator"]
    client = client_for(client, coordinator)
    membership = membership_change_role(membership=coordinator.memberships.get(), role="member")
    assert client.get(GROUP_A).status_code == 200
    membership_suspend(membership=membership)
    assert client.get(GROUP_A).status_code == 404


# Search, menus and the sitemap never list a group's pages


@pytest.mark.parametrize("restriction_row", ["kept", "deleted"])
@pytest.mark.parametrize("person", ["anonymous", "member", "administrator"])
@pytest.mark.parametrize("url", ["/", f"/search/?query={SECRET_WORD}", "/sitemap.xml", "/robots.txt"])
def test_group_pages_never_appear_in_search_menus_or_the_sitemap(
    client, personas, cumbria, url, person, restriction_row
):
    if restriction_row == "deleted":
        PageViewRestriction.objects.filter(page=cumbria).delete()
    response = client_for(client, personas[person]).get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):  # the sitemap's XML, robots.txt
        body = response.content.decode()
    else:
        page = soup(response)
        if person == "member":
            # A member's own groups are in their header ("your groups"), and only there.
            own = page.select("[data-own-group] a")
            assert [link["href"] for link in own] == [GROUP_A]
            for item in page.select("[data-own-group]"):
                item.decompose()
        body = str(page)
    assert GROUP_A not in body
    if url.startswith("/search/"):  # the query itself is shown back
        # Members' own results (tests/groups/search/test_members_search.py) never include a group's page.
        assert not soup(response).select("li.portal-result, li.portal-member-result")
        text = main_text(response)
        assert "No results" in text or "No guidance or resources match" in text
    else:
        assert SECRET_WORD not in body


def test_the_members_area_is_not_in_the_sitemap(client, cumbria):
    assert "/members/" not in client.get("/sitemap.xml").content.decode()


# The privacy of a group's page is set by code, and cannot be changed in the admin


def privacy_url(page):
    return reverse("wagtailadmin_pages:set_privacy", args=[page.pk])


@pytest.mark.parametrize("person", ["coordinator", "editor", "administrator"])
def test_nobody_can_remove_a_groups_privacy_in_the_admin(client, personas, cumbria, person):
    editors_setup()
    client = client_for(client, personas[person])
    # Wagtail's admin answers a refused permission with a redirect to its dashboard.
    for response in (
        client.get(privacy_url(cumbria)),
        client.post(privacy_url(cumbria), {"restriction_type": "none"}),
        client.post(privacy_url(cumbria), {"restriction_type": "login"}),
    ):
        # Editors may not see a group's page at all: 404, as for a missing page.
        expected = (404, None) if person == "editor" else (302, "/admin/")
        assert (response.status_code, response.get("Location")) == expected
    restriction = PageViewRestriction.objects.get(page=cumbria)
    assert set(restriction.groups.all()) == {cumbria.members_group, cumbria.coordinators_group}


def test_the_admin_does_not_offer_to_change_a_groups_privacy(client, personas, cumbria):
    response = client_for(client, personas["coordinator"]).get(f"/admin/pages/{cumbria.pk}/edit/")
    assert response.status_code == 200
    assert not soup(response).select('button[data-a11y-dialog-show="set-privacy"]')


def test_shared_passwords_are_switched_off(client, personas, home_page):
    page = StandardPageFactory(parent=home_page, slug="about")
    client = client_for(client, personas["administrator"])
    form = client.get(privacy_url(page)).json()["html"]
    assert 'value="groups"' in form
    assert 'value="password"' not in form
    client.post(privacy_url(page), {"restriction_type": "password", "password": "letmein"})
    assert not PageViewRestriction.objects.filter(restriction_type=PageViewRestriction.PASSWORD).exists()


def test_wagtails_password_form_never_answers_for_a_groups_page(client, cumbria):
    restriction = PageViewRestriction.objects.get(page=cumbria)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, cumbria.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("person", "sees_a", "sees_b"),
    [("coordinator", True, False), ("editor", False, False), ("administrator", True, True)],
)
def test_the_page_chooser_hides_other_groups(
    client, personas, members_area, cumbria, yorkshire, person, sees_a, sees_b
):
    editors_setup()
    client = client_for(client, personas[person])
    listing = client.get(reverse("wagtailadmin_choose_page_child", args=[members_area.pk])).content.decode()
    assert (SECRET_WORD in listing) is sees_a
    assert ("Yorkshire working group" in listing) is sees_b
    # Group pages are kept out of the search index, so the chooser's search never finds them.
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Yorkshire"}).content.decode()
    assert "Yorkshire working group" not in search


def test_a_new_working_group_made_in_the_admin_is_private_at_once(client, personas, members_area):
    response = client_for(client, personas["administrator"]).post(
        reverse("wagtailadmin_pages:add", args=["groups", "workinggrouppage", members_area.pk]),
        nested_form_data(
            {
                "title": "Durham Cleveland",
                "slug": "durham-cleveland",
                "region": "durham-cleveland",
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302
    group = WorkingGroupPage.objects.child_of(members_area).get(slug="durham-cleveland")
    assert group.members_group.name == "Durham Cleveland members"
    assert group.coordinators_group.name == "Durham Cleveland coordinators"
    restriction = PageViewRestriction.objects.get(page=group)
    assert set(restriction.groups.all()) == {group.members_group, group.coordinators_group}
    assert Group.objects.get(name="Durham Cleveland coordinators").page_permissions.filter(page=group).count() == 3


def test_a_coordinator_publishing_their_page_keeps_it_private(client, personas, cumbria):
    client = client_for(client, personas["coordinator"])
    response = client.post(
        f"/admin/pages/{cumbria.pk}/edit/",
        nested_form_data(
            {
                "title": f"Cumbria {SECRET_WORD}",
                "slug": "cumbria",
                "region": "cumbria",
                "introduction": "Updated.",
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302
    cumbria.refresh_from_db()
    assert cumbria.introduction == "Updated."
    assert cumbria.members_group.name == "Cumbria members"
    assert PageViewRestriction.objects.filter(page=cumbria).count() == 1
    assert client_for(client, personas["other_group_member"]).get(GROUP_A).status_code == 404


def test_a_new_public_section_is_given_to_the_editors(client, personas, home_page, members_area):
    editors_setup()
    response = client_for(client, personas["administrator"]).post(
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk]),
        nested_form_data(
            {
                "title": "About us",
                "slug": "about-us",
                "introduction": "",
                "body": streamfield([]),
                "action-publish": "1",
            }
        ),
    )
    assert response.status_code == 302
    page = home_page.get_children().get(slug="about-us")
    editors = Group.objects.get(name="Editors")
    assert editors.page_permissions.filter(page=page).count() == 3
    assert not editors.page_permissions.filter(page=members_area).exists()


def test_deleting_a_working_group_removes_its_django_groups(client, personas, cumbria):
    group_ids = [cumbria.members_group_id, cumbria.coordinators_group_id]
    response = client_for(client, personas["administrator"]).post(
        reverse("wagtailadmin_pages:delete", args=[cumbria.pk])
    )
    assert response.status_code == 302
    assert not Group.objects.filter(pk__in=group_ids).exists()
