"""The notification preferences page (/members/notifications/): each person, their own groups only."""

import pytest

from groups.models import NotificationPreference
from tests.factories import make_administrator, make_editor, make_member, with_authenticator
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

URL = "/members/notifications/"


def signed_in(client, user):
    with_authenticator(user)
    client.force_login(user)
    return user


def frequencies(user):
    return dict(NotificationPreference.objects.filter(user=user).values_list("working_group__slug", "frequency"))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(URL), client.post(URL, {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["member", "coordinator", "editor", "administrator", "member of another group"])
def test_who_sees_which_groups(client, cumbria, yorkshire, persona):
    user = {
        "member": lambda: make_member(cumbria),
        "coordinator": lambda: make_member(cumbria, role="coordinator"),
        "editor": lambda: make_editor(),
        "administrator": lambda: make_administrator(),
        "member of another group": lambda: make_member(yorkshire),
    }[persona]()
    signed_in(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    text = main_text(response)
    legends = [legend.get_text(" ", strip=True) for legend in soup(response).select("main legend")]
    if persona in ("member", "coordinator"):
        assert legends == ["Cumbria working group"]
    elif persona == "member of another group":
        assert legends == ["Yorkshire working group"]
    else:  # no memberships: administrators and editors are told about no group
        assert legends == []
        assert "You are not an active member of a working group" in text
    assert "Yorkshire" not in text or persona == "member of another group"


def test_the_default_is_shown_as_the_daily_digest(client, cumbria):
    signed_in(client, make_member(cumbria))
    checked = soup(client.get(URL)).select("main input[checked]")
    assert [radio["value"] for radio in checked] == ["daily"]


def test_radios_have_labels_in_a_fieldset_per_group(client, cumbria, yorkshire):
    user = make_member(cumbria)
    make_member(yorkshire, user=user)
    signed_in(client, user)
    page = soup(client.get(URL))
    assert len(page.select("main fieldset")) == 2
    for radio in page.select("main input[type=radio]"):
        assert page.select_one(f"label[for='{radio['id']}']")
    assert [h.name for h in page.select("main h1, main h2")] == ["h1", "h2", "h2"]


@pytest.mark.parametrize("frequency", ["immediately", "daily", "weekly", "off"])
def test_a_member_saves_each_choice(client, cumbria, yorkshire, frequency):
    user = make_member(cumbria)
    make_member(yorkshire, user=user)
    signed_in(client, user)
    response = client.post(URL, {f"group-{cumbria.pk}": frequency, f"group-{yorkshire.pk}": "weekly"})
    assert response.status_code == 302
    assert frequencies(user) == {"cumbria": frequency, "yorkshire": "weekly"}
    response = client.get(URL)
    assert "Your notification choices have been saved." in main_text(response)
    assert soup(response).select_one(f"input[name='group-{cumbria.pk}'][checked]")["value"] == frequency


def test_another_groups_id_is_refused_and_nothing_changes(client, cumbria, yorkshire):
    user = signed_in(client, make_member(cumbria))
    response = client.post(URL, {f"group-{cumbria.pk}": "weekly", f"group-{yorkshire.pk}": "immediately"})
    assert response.status_code == 200
    assert "You can only choose notifications for your own working groups. Nothing was saved." in main_text(response)
    assert frequencies(user) == {}
    assert not NotificationPreference.objects.exists()
    # What they chose for their own group is kept on the page.
    assert soup(response).select_one(f"input[name='group-{cumbria.pk}'][checked]")["value"] == "weekly"


def test_a_group_left_since_is_refused(client, cumbria, yorkshire):
    from groups.membership.services import membership_leave
    from groups.models import Membership

    user = make_member(cumbria)
    make_member(yorkshire, user=user)
    signed_in(client, user)
    membership_leave(membership=Membership.objects.get(user=user, working_group=yorkshire))
    response = client.post(URL, {f"group-{cumbria.pk}": "weekly", f"group-{yorkshire.pk}": "off"})
    assert response.status_code == 200
    assert frequencies(user) == {}


@pytest.mark.parametrize("value", ["", "hourly", "<script>alert(1)</script>", "x" * 5000])
def test_bad_choices_get_a_clear_error_linked_to_the_group(client, cumbria, value):
    user = signed_in(client, make_member(cumbria))
    response = client.post(URL, {f"group-{cumbria.pk}": value})
    assert response.status_code == 200
    page = soup(response)
    summary_link = page.select_one(".govuk-error-summary a")
    assert summary_link["href"] == f"#id_group-{cumbria.pk}_0"
    assert page.select_one(f"#id_group-{cumbria.pk}_0")
    assert page.title.get_text().startswith("Error:")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert frequencies(user) == {}


def test_nobody_can_change_someone_elses_choices(client, cumbria):
    other = make_member(cumbria)
    NotificationPreference.objects.create(user=other, working_group=cumbria, frequency="immediately")
    signed_in(client, make_member(cumbria))
    # There is no user in the URL or the form; extra fields naming someone are ignored.
    client.post(URL, {f"group-{cumbria.pk}": "off", "user": other.pk, "user_id": other.pk})
    assert frequencies(other) == {"cumbria": "immediately"}


def test_the_members_area_links_to_the_page(client, members_area, cumbria):
    signed_in(client, make_member(cumbria))
    page = soup(client.get("/members/"))
    assert page.select_one(f"main a[href='{URL}']")
