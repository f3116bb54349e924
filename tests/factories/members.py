"""The members' area: organisations, working groups, memberships, meetings and updates,
made through the services as the site makes them."""

import datetime

import factory
import wagtail_factories

from tests.factories.users import UserFactory, with_authenticator

# Member-written text (a child's name and school) for tests that check it never reaches an
# email: put it in an update's, meeting's, action's or document's own words.
SENSITIVE = "SENSITIVE-Kyle-at-Ashfield-School"


def days(n):
    """The moment `n` days from now (negative: ago), for meeting times."""
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=n)


def due(n):
    """The date `n` days from today, for due dates."""
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Organisation"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = "police"
    email_domains = factory.Sequence(lambda n: f"agency{n}.example.org")


class MembersAreaIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "groups.MembersAreaIndexPage"

    title = "Members' area"
    slug = "members"


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    """A working group page with its Django groups and privacy set up by the service."""

    class Meta:
        model = "groups.WorkingGroupPage"
        skip_postgeneration_save = True

    title = factory.LazyAttribute(lambda page: f"{page.region.replace('-', ' ').title()} working group")
    slug = factory.LazyAttribute(lambda page: page.region)
    region = "cumbria"
    introduction = "Agencies working together across the region."

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):
        if create:
            from groups.membership.services import working_group_setup

            working_group_setup(working_group=obj)


def make_member(group, *, role="member", organisation=None, user=None, status="active", mfa=True, **user_fields):
    """A user with a membership of `group`, made through the membership service.

    With an authenticator app, as production requires of every account before it can use
    the site (`mfa=False` for a test about an account that has none yet)."""
    from groups.membership.services import membership_add

    user = user or UserFactory(**user_fields)
    user = membership_add(
        user=user, working_group=group, organisation=organisation or OrganisationFactory(), role=role, status=status
    ).user
    return with_authenticator(user) if mfa else user


def make_data_steward(*, organisation=None, mfa=True, **user_fields):
    """A data steward (the Data stewards group), at `organisation` by their email address
    (an organisation of their own by default); not a member of any group."""
    from django.contrib.auth.models import Group

    organisation = organisation or OrganisationFactory()
    user = UserFactory(**user_fields)
    user.email = f"{user.username}@{organisation.domains[0]}"
    user.save(update_fields=["email"])
    user.groups.add(Group.objects.get(name="Data stewards"))
    return with_authenticator(user) if mfa else user


def make_meeting(group, *, start=None, publish=True, **kwargs):
    """A meeting of `group` made through the meeting service (published unless told)."""
    from django.utils import timezone

    from groups.meetings.services import meeting_create

    start = start or timezone.now() + datetime.timedelta(days=7)
    return meeting_create(working_group=group, start=start, publish=publish, **kwargs)


def make_action(meeting, *, description="Share the referral pathway with the schools", due_date=None, **fields):
    """An action of a saved `meeting`, saved as the admin's inline panel saves one, telling
    nobody. The owner is not checked (the meeting service checks it), so a test can give one
    who is not, or no longer, a member of the group."""
    from groups.models import ActionItem

    return ActionItem.objects.create(meeting=meeting, description=description, due_date=due_date or due(14), **fields)


def make_update(
    group, *, author=None, title="Sextortion scripts moving to a new game chat", tags=("platforms",), **fields
):
    """An update posted to `group` through the service (by a new member unless `author` is
    given), telling nobody."""
    from groups.updates.services import update_post

    fields.setdefault("body", "Three schools report the same approach this month.")
    return update_post(
        working_group=group, author=author or make_member(group), title=title, tags=list(tags), notify=False, **fields
    )
