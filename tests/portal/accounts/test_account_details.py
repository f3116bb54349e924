"""A person changes their name and job title from "Your account", and the people they
work with see the change."""

import pytest

from portal.models import Profile
from portal.profiles import job_title_of

pytestmark = pytest.mark.django_db

URL = "/accounts/details/"


def test_your_account_shows_the_name_and_job_title_with_a_way_to_change_them(client, member):
    Profile.objects.create(user=member, job_title="Detective Sergeant")
    client.force_login(member)
    html = client.get("/accounts/").content.decode()
    assert "Mo Member" in html
    assert "Detective Sergeant" in html
    assert f'href="{URL}"' in html


def test_someone_without_a_job_title_is_told_it_is_not_given(client, member):
    client.force_login(member)
    assert "Not given" in client.get("/accounts/").content.decode()


def test_the_form_starts_with_what_they_have(client, member):
    Profile.objects.create(user=member, job_title="Detective Sergeant")
    client.force_login(member)
    html = client.get(URL).content.decode()
    for value in ("Mo", "Member", "Detective Sergeant"):
        assert f'value="{value}"' in html


def test_a_change_is_saved_and_shown_to_the_group(client, personas, cumbria):
    member = personas.member
    client.force_login(member)
    response = client.post(URL, {"first_name": "Maureen", "last_name": "Mason", "job_title": "Detective Inspector"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    member.refresh_from_db()
    assert (member.get_full_name(), job_title_of(member)) == ("Maureen Mason", "Detective Inspector")
    assert "Your name and job title have been saved." in client.get("/accounts/").content.decode()

    client.force_login(personas.coordinator)
    people = client.get(f"/members/{cumbria.slug}/people/").content.decode()
    assert "Maureen Mason" in people
    assert "Detective Inspector" in people


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name"),
        ("last_name", "  ", "Enter your last name"),
        ("job_title", "", "Enter your job title"),
        ("last_name", "L" * 151, "Last name must be 150 characters or fewer"),
    ],
    ids=["no-first-name", "blank-last-name", "no-job-title", "long-last-name"],
)
def test_a_bad_change_saves_nothing_and_keeps_what_was_typed(client, member, field, value, message):
    client.force_login(member)
    data = {"first_name": "Maureen", "last_name": "Mason", "job_title": "Detective Inspector", field: value}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert f'href="#id_{field}">{message}</a>' in html
    for name, typed in data.items():
        if name != field:
            assert f'value="{typed}"' in html
    member.refresh_from_db()
    assert member.get_full_name() == "Mo Member"
    assert not Profile.objects.filter(user=member).exists()


def test_signed_out_is_sent_to_sign_in_and_nothing_is_changed(client, member):
    response = client.post(URL, {"first_name": "Eve", "last_name": "Intruder", "job_title": "Intruder"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    member.refresh_from_db()
    assert member.get_full_name() == "Mo Member"


def test_only_their_own_account_changes_whatever_is_posted(client, personas):
    member, coordinator = personas.member, personas.coordinator
    client.force_login(member)
    details = {"first_name": "Maureen", "last_name": "Mason", "job_title": "DI"}
    client.post(URL, {**details, "user": coordinator.pk, "pk": coordinator.pk})
    coordinator.refresh_from_db()
    assert coordinator.get_full_name() == "Cara Coord"
    assert not Profile.objects.filter(user=coordinator).exists()
