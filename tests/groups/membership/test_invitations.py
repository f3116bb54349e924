"""Invitation-only sign-up: inviting, the emailed single-use link, and accepting it.

Security matrix rows A01 (an invitation is the only way in), A06 (a link that is
expired, reused or tampered with is refused) and I02 (CSRF on every form).
"""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from groups.membership.selectors import token_hash
from groups.membership.services import (
    InvitationError,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_resend,
    membership_leave,
)
from groups.models import Invitation, Membership, Organisation
from portal.models import OutboundEmail
from portal.profiles import job_title_of
from tests.accounts import PASSWORD, make_account
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_editor,
    make_member,
    with_authenticator,
)
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet harbour lantern 42"
INVITEE = "alex.smith@cumbria.police.uk"
MFA_SETUP_URL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def coordinator(cumbria):
    return make_member(cumbria, role="coordinator", username="coordinator")


@pytest.fixture
def invited(cumbria, police, coordinator):
    """A pending invitation to Cumbria and its raw token."""
    return invitation_create(
        working_group=cumbria, email=INVITEE, organisation=police, role=Membership.Role.MEMBER, invited_by=coordinator
    )


def accept_url(token):
    return f"/invitation/{token}/"


NAME = {"first_name": "Alex", "last_name": "Smith", "job_title": "Detective Constable"}


def post_passwords(client, token, password=NEW_PASSWORD, confirm=None):
    return client.post(accept_url(token), {**NAME, "password1": password, "password2": confirm or password})


# Inviting, end to end through the outbox


def test_invited_person_sets_a_password_and_is_sent_to_set_up_mfa(
    client, cumbria, police, coordinator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]  # as if misconfigured
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/members/{cumbria.slug}/invitations/new/",
            {"email": " Alex.Smith@Cumbria.Police.UK ", "organisation": police.pk, "role": "member"},
            # A forged Host must never reach the link in the email.
            HTTP_HOST="evil.example",
        )
    assert response.status_code == 302
    assert response["Location"] == f"/members/{cumbria.slug}/invitations/"
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [INVITEE]
    assert message.subject == "You're invited to join the Cumbria working group"
    links = re.findall(r"https://portal\.example\.org/invitation/([\w-]+)/", message.body)
    assert len(links) == 1
    assert "evil.example" not in message.body
    assert "evil.example" not in message.alternatives[0][0]
    token = links[0]
    invitation = Invitation.objects.get()
    assert invitation.email == INVITEE
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash

    client.logout()
    page = client.get(accept_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert INVITEE in html
    assert f'value="{INVITEE}"' not in html  # shown as text, not an input
    assert "no-store" in page["Cache-Control"]

    response = post_passwords(client, token)
    assert response.status_code == 302
    assert response["Location"] == cumbria.url

    user = get_user_model().objects.get(email=INVITEE)
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.filter(user=user, email=INVITEE, verified=True, primary=True).count() == 1
    membership = Membership.objects.get(user=user)
    assert (membership.working_group, membership.organisation, membership.role, membership.status) == (
        cumbria,
        police,
        "member",
        "active",
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    # Signed in, and sent from their new group to set up an authenticator before anything else.
    response = client.get(cumbria.url)
    assert response.status_code == 302
    assert response["Location"].startswith(MFA_SETUP_URL)
    # Straight to the set-up page, with no second password prompt.
    assert client.get(response["Location"]).status_code == 200


def test_create_refuses_an_address_already_in_the_group(cumbria, police, coordinator):
    make_member(cumbria, username="existing", email="existing@cumbria.police.uk")
    with pytest.raises(InvitationError) as error:
        invitation_create(
            working_group=cumbria,
            email="EXISTING@cumbria.police.uk",
            organisation=police,
            role="member",
            invited_by=coordinator,
        )
    assert error.value.code == "member"
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_new_invitation_replaces_older_ones(cumbria, police, coordinator, invited):
    first, first_token = invited
    second, second_token = invitation_create(
        working_group=cumbria, email=INVITEE, organisation=police, role="member", invited_by=coordinator
    )
    first.refresh_from_db()
    assert first.status == Invitation.Status.CANCELLED
    assert second.status == Invitation.Status.PENDING
    assert first_token != second_token


def test_resend_sends_a_new_link_and_the_old_one_stops_working(client, cumbria, coordinator, invited):
    invitation, old_token = invited
    _, new_token = invitation_resend(invitation=invitation, sent_by=coordinator)
    assert OutboundEmail.objects.count() == 2
    assert client.get(accept_url(old_token)).status_code == 410
    assert client.get(accept_url(new_token)).status_code == 200


# The link: single use, 14 days, bound to its address


def test_the_link_works_once(client, invited, django_user_model):
    _, token = invited
    assert post_passwords(client, token).status_code == 302
    count = django_user_model.objects.count()

    other = Client()
    response = post_passwords(other, token, password="another long passphrase 9")
    assert response.status_code == 410
    assert "This invitation has already been used" in response.content.decode()
    assert django_user_model.objects.count() == count
    assert other.get(accept_url(token)).status_code == 410


@pytest.mark.parametrize(("days", "works"), [(13, True), (14, False), (30, False)], ids=["day-13", "day-14", "day-30"])
def test_the_link_expires_after_14_days(client, invited, django_user_model, days, works):
    _, token = invited
    count = django_user_model.objects.count()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days, seconds=1)):
        response = post_passwords(client, token)
    if works:
        assert response.status_code == 302
        assert django_user_model.objects.count() == count + 1
    else:
        assert response.status_code == 410
        html = response.content.decode()
        assert "This invitation has expired" in html
        assert "Ask for a new invitation" in html
        assert "Cumbria working group" in html
        assert django_user_model.objects.count() == count


@pytest.mark.parametrize(
    "mangle",
    [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:20], lambda t: t + "x", lambda t: "x" * 500],
    ids=["changed", "truncated", "extended", "oversized"],
)
def test_a_tampered_link_is_not_found(client, invited, django_user_model, mangle):
    _, token = invited
    count = django_user_model.objects.count()
    for response in (client.get(accept_url(mangle(token))), post_passwords(client, mangle(token))):
        assert response.status_code == 404
        assert "This invitation link does not work" in response.content.decode()
        assert "Ask for a new invitation" in response.content.decode()
    assert django_user_model.objects.count() == count


def test_a_cancelled_link_says_so(client, invited, coordinator, django_user_model):
    invitation, token = invited
    invitation_cancel(invitation=invitation, cancelled_by=coordinator)
    count = django_user_model.objects.count()
    response = post_passwords(client, token)
    assert response.status_code == 410
    assert "This invitation has been cancelled" in response.content.decode()
    assert django_user_model.objects.count() == count


def test_signed_in_as_a_different_account_is_refused(client, invited, cumbria):
    _, token = invited
    other, _ = make_account("someone.else@example.org")
    client.force_login(other)
    for response in (client.get(accept_url(token)), client.post(accept_url(token))):
        assert response.status_code == 403
        assert "This invitation is for a different email address" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_existing_account_signed_out_is_asked_to_sign_in(client, invited, django_user_model):
    _, token = invited
    make_account(INVITEE)
    count = django_user_model.objects.count()
    response = client.get(accept_url(token))
    assert response.status_code == 200
    assert f"/accounts/login/?next=/invitation/{token}/" in response.content.decode()
    assert post_passwords(client, token).status_code == 200
    assert django_user_model.objects.count() == count
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_existing_account_signed_in_joins_the_group(client, invited, cumbria, police):
    _, token = invited
    user, _ = make_account(INVITEE)
    client.force_login(user)
    assert "Join the group" in client.get(accept_url(token)).content.decode()
    response = client.post(accept_url(token))
    assert response.status_code == 302
    assert response["Location"] == cumbria.url
    membership = Membership.objects.get(user=user, working_group=cumbria)
    assert (membership.organisation, membership.status) == (police, "active")
    assert client.get(cumbria.url).status_code == 200


def test_someone_who_left_rejoins_in_their_old_row(invited, cumbria):
    invitation, _ = invited
    user, _ = make_account(INVITEE)
    old = Membership.objects.get(pk=make_member(cumbria, user=user).memberships.get().pk)
    membership_leave(membership=old)
    membership = invitation_accept(invitation=invitation, user=user)
    assert membership.pk == old.pk
    assert membership.status == Membership.Status.ACTIVE


def test_a_deactivated_leaver_sets_a_new_password_and_gets_their_account_back(client, invited, cumbria):
    _, token = invited
    user, _ = make_account(INVITEE)
    old = make_member(cumbria, user=user).memberships.get()
    membership_leave(membership=old)
    user.refresh_from_db()
    assert not user.is_active

    response = post_passwords(client, token)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert get_user_model().objects.filter(email__iexact=INVITEE).count() == 1
    assert Membership.objects.get(pk=old.pk).status == Membership.Status.ACTIVE


def test_an_invitation_cannot_get_round_a_suspension(invited, cumbria):
    from groups.membership.services import membership_suspend

    invitation, _ = invited
    user, _ = make_account(INVITEE)
    membership_suspend(membership=make_member(cumbria, user=user).memberships.get())
    with pytest.raises(InvitationError) as error:
        invitation_accept(invitation=invitation, user=user)
    assert error.value.code == "member"
    assert Membership.objects.get(user=user).status == Membership.Status.SUSPENDED


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short1", None, "too short"),
        ("password1234", None, "too common"),
        ("alex.smith.police", None, "too similar"),
        (NEW_PASSWORD, "a different passphrase", "do not match"),
    ],
    ids=["short", "common", "like-the-address", "mismatch"],
)
def test_a_weak_password_creates_nothing(client, invited, django_user_model, password, confirm, message):
    _, token = invited
    count = django_user_model.objects.count()
    response = post_passwords(client, token, password, confirm)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert password not in html  # never shown again
    assert django_user_model.objects.count() == count
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_the_service_checks_the_password_too(invited, django_user_model):
    invitation, _ = invited
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, password="short")
    assert not django_user_model.objects.filter(email=INVITEE).exists()


def test_usernames_are_unique(cumbria, police, coordinator):
    UserFactory(username="alexsmith", email="someone@example.org")
    invitation, _ = invitation_create(
        working_group=cumbria, email="AlexSmith@example.org", organisation=police, role="member", invited_by=coordinator
    )
    user = invitation_accept(invitation=invitation, password=NEW_PASSWORD).user
    assert user.username == "alexsmith-2"
    assert user.email == "alexsmith@example.org"


# Name and job title: asked for once, when the account is made


def test_the_new_account_has_the_name_and_job_title_given_and_the_group_sees_them(client, invited, cumbria):
    _, token = invited
    form = client.get(accept_url(token)).content.decode()
    fields = [("First name", "given-name"), ("Last name", "family-name"), ("Job title", "organization-title")]
    for label, autocomplete in fields:
        assert label in form
        assert f'autocomplete="{autocomplete}"' in form
    response = client.post(
        accept_url(token),
        {
            "first_name": "  Alex ",
            "last_name": "Smith  Jones",
            "job_title": " Detective   Constable ",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=INVITEE)
    assert (user.first_name, user.last_name, job_title_of(user)) == ("Alex", "Smith Jones", "Detective Constable")
    # The new person, and the group's other members, see the name rather than "alex.smith".
    client.force_login(with_authenticator(user))
    people = client.get(f"/members/{cumbria.slug}/people/").content.decode()
    assert "Alex Smith Jones" in people
    assert "Detective Constable" in people
    assert "alex.smith" not in people
    assert 'Signed in as <strong class="portal-account-bar__name">Alex Smith Jones</strong>' in people


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name"),
        ("first_name", "   ", "Enter your first name"),
        ("last_name", "", "Enter your last name"),
        ("job_title", "", "Enter your job title"),
        ("first_name", "A" * 151, "First name must be 150 characters or fewer"),
        ("job_title", "J" * 101, "Job title must be 100 characters or fewer"),
    ],
    ids=["no-first-name", "blank-first-name", "no-last-name", "no-job-title", "long-first-name", "long-job-title"],
)
def test_a_missing_or_overlong_name_creates_nothing_and_keeps_what_was_typed(
    client, invited, django_user_model, field, value, message
):
    _, token = invited
    count = django_user_model.objects.count()
    data = {**NAME, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, field: value}
    response = client.post(accept_url(token), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}">{message}</a>' in html  # in the summary, linked to its field
    for name, typed in NAME.items():
        if name != field:
            assert f'value="{typed}"' in html  # nothing else typed is lost
    assert NEW_PASSWORD not in html  # a password is never shown again
    assert django_user_model.objects.count() == count
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_a_password_like_the_name_is_refused(client, invited, django_user_model):
    _, token = invited
    data = {"first_name": "Bartholomew", "last_name": "Featherstonehaugh", "job_title": "Detective Constable"}
    password = "featherstonehaugh"
    response = client.post(accept_url(token), {**data, "password1": password, "password2": password})
    assert response.status_code == 200
    assert "too similar" in response.content.decode()
    assert not django_user_model.objects.filter(email=INVITEE).exists()


def test_accepting_as_an_existing_account_keeps_its_own_name(client, invited):
    _, token = invited
    user, _ = make_account(INVITEE, first_name="Alexandra", last_name="Smith")
    client.force_login(user)
    client.post(accept_url(token), {"first_name": "Mallory", "last_name": "Evil", "job_title": "Intruder"})
    user.refresh_from_db()
    assert (user.get_full_name(), job_title_of(user)) == ("Alexandra Smith", "")


# CSRF (row I02)


def test_accepting_needs_a_csrf_token(invited, django_user_model):
    _, token = invited
    client = Client(enforce_csrf_checks=True)
    count = django_user_model.objects.count()
    assert post_passwords(client, token).status_code == 403
    assert django_user_model.objects.count() == count


def test_inviting_needs_a_csrf_token(cumbria, police, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/", {"email": INVITEE, "organisation": police.pk, "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("action", ["resend", "cancel"])
def test_resend_and_cancel_need_post_and_a_csrf_token(cumbria, coordinator, invited, action):
    invitation, _ = invited
    url = f"/members/{cumbria.slug}/invitations/{invitation.pk}/{action}/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    # GET on cancel only asks for confirmation.
    assert client.get(url).status_code == (200 if action == "cancel" else 405)
    assert client.post(url).status_code == 403
    assert Invitation.objects.get().status == Invitation.Status.PENDING


# Who may invite


def _actor(kind, cumbria, yorkshire):
    if kind == "anonymous":
        return None
    if kind == "member of A":
        return make_member(cumbria, username="member-a")
    if kind == "coordinator of B":
        return make_member(yorkshire, role="coordinator", username="coordinator-b")
    if kind == "editor":
        return make_editor(username="editor")
    if kind == "coordinator of A":
        return make_member(cumbria, role="coordinator", username="coordinator-a")
    if kind == "suspended coordinator of A":
        from groups.membership.services import membership_suspend

        user = make_member(cumbria, role="coordinator", username="suspended-a")
        membership_suspend(membership=user.memberships.get())
        return user
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


INVITERS = [
    ("anonymous", "login"),
    ("member of A", 404),
    ("coordinator of B", 404),
    ("editor", 404),
    ("suspended coordinator of A", 404),
    ("coordinator of A", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize(("kind", "expected"), INVITERS)
@pytest.mark.parametrize("view", ["create", "list"])
def test_who_may_see_the_invitation_pages(client, cumbria, yorkshire, kind, expected, view):
    user = _actor(kind, cumbria, yorkshire)
    if user:
        client.force_login(with_authenticator(user))
    url = f"/members/{cumbria.slug}/invitations/new/" if view == "create" else f"/members/{cumbria.slug}/invitations/"
    response = client.get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("kind", "expected"), INVITERS)
def test_who_may_invite(client, cumbria, yorkshire, police, kind, expected, mailoutbox):
    user = _actor(kind, cumbria, yorkshire)
    if user:
        client.force_login(with_authenticator(user))
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/",
        {"email": INVITEE, "organisation": police.pk, "role": "coordinator"},
    )
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 302
    assert Invitation.objects.filter(working_group=cumbria).count() == (1 if expected == 200 else 0)
    assert OutboundEmail.objects.count() == (1 if expected == 200 else 0)


def test_the_service_refuses_non_coordinators(cumbria, yorkshire, police):
    for kind in ("member of A", "coordinator of B", "editor", "suspended coordinator of A"):
        with pytest.raises(InvitationError):
            invitation_create(
                working_group=cumbria,
                email=INVITEE,
                organisation=police,
                role="member",
                invited_by=_actor(kind, cumbria, yorkshire),
            )
    assert not Invitation.objects.exists()


def test_extra_fields_are_ignored(client, cumbria, yorkshire, police, coordinator):
    """Row C10: the group and inviter come from the URL and the session, never the form."""
    other = UserFactory(username="someone-else")
    client.force_login(coordinator)
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/",
        {
            "email": INVITEE,
            "organisation": police.pk,
            "role": "member",
            "working_group": yorkshire.pk,
            "group": yorkshire.pk,
            "invited_by": other.pk,
            "token_hash": "0" * 64,
            "accepted_at": "2020-01-01",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.working_group, invitation.invited_by, invitation.role) == (cumbria, coordinator, "member")
    assert invitation.token_hash != "0" * 64
    assert invitation.accepted_at is None


def test_a_coordinator_cannot_manage_another_groups_invitations(client, cumbria, yorkshire, police, invited):
    invitation, _ = invited
    coordinator_b = make_member(yorkshire, role="coordinator", username="coordinator-b")
    client.force_login(coordinator_b)
    assert client.post(f"/members/{cumbria.slug}/invitations/new/", {"email": "x@example.org"}).status_code == 404
    # Through their own group's URL, with the other group's invitation: still not found.
    for action in ("resend", "cancel"):
        assert client.post(f"/members/{yorkshire.slug}/invitations/{invitation.pk}/{action}/").status_code == 404
        assert client.post(f"/members/{cumbria.slug}/invitations/{invitation.pk}/{action}/").status_code == 404
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    with pytest.raises(InvitationError):
        invitation_cancel(invitation=invitation, cancelled_by=coordinator_b)


def test_a_member_cannot_make_themselves_a_coordinator(client, cumbria, police):
    member = make_member(cumbria, username="member-a", email="member-a@example.org")
    client.force_login(member)
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/",
        {"email": "member-a@example.org", "organisation": police.pk, "role": "coordinator"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert member.memberships.get().role == "member"


def test_the_list_shows_pending_invitations_with_resend_and_cancel(client, cumbria, coordinator, invited):
    invitation, _ = invited
    client.force_login(coordinator)
    html = client.get(f"/members/{cumbria.slug}/invitations/").content.decode()
    assert INVITEE in html
    assert f'action="/members/{cumbria.slug}/invitations/{invitation.pk}/resend/"' in html
    assert f'href="/members/{cumbria.slug}/invitations/{invitation.pk}/cancel/"' in html
    response = client.post(f"/members/{cumbria.slug}/invitations/{invitation.pk}/cancel/", follow=True)
    assert f"Invitation to {INVITEE} cancelled." in response.content.decode()
    assert "No invitations are waiting for a reply." in response.content.decode()


def test_cancel_asks_for_confirmation_first(client, cumbria, coordinator, invited):
    invitation, _ = invited
    client.force_login(coordinator)
    url = f"/members/{cumbria.slug}/invitations/{invitation.pk}/cancel/"
    page = soup(client.get(url))
    assert " ".join(page.find("h1").get_text().split()) == f"Cancel the invitation to {INVITEE}?"
    form = page.find("main").find("form", attrs={"method": "post"})
    assert form.find("button").get_text(strip=True) == "Cancel the invitation"
    assert page.find("a", string="Keep it")["href"] == f"/members/{cumbria.slug}/invitations/"
    assert Invitation.objects.get().status == Invitation.Status.PENDING  # asking cancels nothing

    client.post(url)
    response = client.get(url, follow=True)  # asking again about a cancelled one: back to the list
    assert f"The invitation to {INVITEE} is no longer waiting for a reply." in main_text(response)


def test_the_invite_form_offers_the_groups_organisations_first(client, cumbria, yorkshire, coordinator, police):
    OrganisationFactory(name="Aardvark Health")  # first by name, in no group
    make_member(cumbria, organisation=OrganisationFactory(name="Young People First"))
    make_member(yorkshire, organisation=OrganisationFactory(name="Leeds Schools"))
    client.force_login(coordinator)
    select = soup(client.get(f"/members/{cumbria.slug}/invitations/new/")).find(
        "select", attrs={"name": "organisation"}
    )
    groups = {
        group["label"]: [option.get_text() for option in group.find_all("option")]
        for group in select.find_all("optgroup")
    }
    assert list(groups) == [f"In the {cumbria.title}", "Other organisations"]
    ours = sorted([coordinator.memberships.get().organisation.name, "Young People First"])
    assert groups[f"In the {cumbria.title}"] == ours
    others = groups["Other organisations"]
    assert others == sorted(Organisation.objects.exclude(name__in=ours).values_list("name", flat=True))
    assert {"Aardvark Health", "Leeds Schools", police.name} <= set(others)
    assert select.find("option")["value"] == ""


def test_an_organisation_from_the_other_list_is_accepted(client, cumbria, coordinator, mailoutbox):
    elsewhere = OrganisationFactory(name="Leeds Schools")
    client.force_login(coordinator)
    response = client.post(
        f"/members/{cumbria.slug}/invitations/new/",
        {"email": "new@leeds.example.org", "organisation": elsewhere.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == elsewhere


def test_the_invite_form_shows_errors(client, cumbria, coordinator):
    client.force_login(coordinator)
    response = client.post(f"/members/{cumbria.slug}/invitations/new/", {"email": "not an address", "role": "owner"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.exists()


def test_signup_stays_closed_with_a_pending_invitation(client, invited, django_user_model):
    """Row A01: the invited address cannot bypass the invitation through allauth's sign-up."""
    count = django_user_model.objects.count()
    response = client.post("/accounts/signup/", {"email": INVITEE, "password1": PASSWORD, "password2": PASSWORD})
    assert "Accounts are by invitation" in response.content.decode()
    assert django_user_model.objects.count() == count
