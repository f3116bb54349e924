"""factory_boy factories for the page tree, the library and users.

Tests build exactly the tree they need with these (never from the demo content).
"""

import datetime

import factory
import wagtail_factories

from django.contrib.auth import get_user_model

from wagtail.models import Site

from home.models import HomePage, StandardPage
from resources.models import (
    Audience,
    GuidanceIndexPage,
    GuidancePage,
    Resource,
    ResourceIndexPage,
    SupportService,
    Topic,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Working Group Portal"
    introduction = "<p>Guidance for professionals on online sexually coerced extortion.</p>"
    child_tells_you = "<p>Stay calm, listen, reassure them it is not their fault.</p>"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")
    introduction = "About this site."


class GuidanceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GuidanceIndexPage

    title = "Guidance"


class GuidancePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GuidancePage

    title = factory.Sequence(lambda n: f"Guidance {n}")
    summary = "What professionals need to know."
    content_owner = "Prevention team"
    last_reviewed = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    next_review_due = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=335))
    body = factory.LazyFunction(
        lambda: [
            ("rich_text", "<p>Children cannot consent to their own abuse.</p>"),
            (
                "section",
                {
                    "heading": "What can you do?",
                    "content": [("rich_text", "<p>Look out for potential indicators.</p>")],
                },
            ),
        ]
    )


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "Resources"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda topic: topic.name.lower().replace(" ", "-"))


def audience(slug):
    """The audiences are fixed rows made by a data migration."""
    return Audience.objects.get(slug=slug)


class SupportServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportService

    name = factory.Sequence(lambda n: f"Support service {n}")
    description = "Confidential help."
    url = factory.Sequence(lambda n: f"https://service{n}.example.org/")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"Resource {n}")
    description = "A leaflet."
    url = factory.Sequence(lambda n: f"https://resource{n}.example.org/")


def make_site():
    """A home page at the root of the default site, replacing Wagtail's welcome page."""
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.get_parent()
    home = HomePageFactory(parent=root, slug="home-test")
    site.root_page = home
    site.save()
    return home


# Members' area (groups app)


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


def make_member(group, *, role="member", organisation=None, user=None, status="active", **user_fields):
    """A user with a membership of `group`, made through the membership service."""
    from groups.membership.services import membership_add

    user = user or UserFactory(**user_fields)
    return membership_add(
        user=user, working_group=group, organisation=organisation or OrganisationFactory(), role=role, status=status
    ).user


def make_editor(**user_fields):
    """A member of the coordinating organisation's staff (the Editors group)."""
    from django.contrib.auth.models import Group

    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def with_authenticator(user):
    """Give `user` an authenticator app, as every account needs before using the site."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled

    if not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    return user


def make_meeting(group, *, start=None, publish=True, **kwargs):
    """A meeting of `group` made through the meeting service (published unless told)."""
    from django.utils import timezone

    from groups.meetings.services import meeting_create

    start = start or timezone.now() + datetime.timedelta(days=7)
    return meeting_create(working_group=group, start=start, publish=publish, **kwargs)


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


# Documents

PDF_CONTENT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_document(*, collection, title="Minutes", filename="minutes.pdf", content=PDF_CONTENT, uploaded_by=None):
    """A Wagtail document in `collection` (a group's is `group.collection`), saved as an
    upload would be: with its size and hash."""
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    document = get_document_model()(title=title, collection=collection, uploaded_by_user=uploaded_by)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


class TrendReturnFactory(factory.django.DjangoModelFactory):
    """A trend return made through `trend_return_submit` (so versions and counts are right).

    By default the organisation is given a member in the group, the quarter is the
    reporting quarter and the counts are a plausible split of `total`; pass `counts`
    to choose them.
    """

    class Meta:
        model = "groups.TrendReturn"

    working_group = None  # required: TrendReturnFactory(working_group=cumbria, ...)
    organisation = factory.SubFactory(OrganisationFactory)
    total = 12
    quarter = None  # a groups.quarters.Quarter; the reporting quarter when None
    counts = None
    note = ""
    submitted_by = None
    seed = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *, working_group, organisation, total, quarter, counts, note, submitted_by, seed):
        import random

        from groups.models import Membership
        from groups.quarters import reporting_quarter
        from groups.trend_returns import trend_counts_sample, trend_return_submit

        if submitted_by is None:
            membership = Membership.objects.filter(
                working_group=working_group, organisation=organisation, status="active"
            ).first()
            submitted_by = membership.user if membership else make_member(working_group, organisation=organisation)
        return trend_return_submit(
            group=working_group,
            organisation=organisation,
            submitted_by=submitted_by,
            quarter=quarter or reporting_quarter(),
            total=total,
            counts=counts if counts is not None else trend_counts_sample(total=total, rng=random.Random(seed)),
            note=note,
        )


def trend_counts(total, **given):
    """Counts for a return of `total`: the `given` ones, and every partition breakdown
    not mentioned put wholly in its last ("not known") category."""
    from groups.trend_categories import BREAKDOWNS

    counts = dict(given)
    for breakdown in BREAKDOWNS:
        if breakdown.partition and not any(key in given for key in breakdown.keys):
            counts[breakdown.keys[-1]] = total
    return counts


# Feedback (home app)

FEEDBACK_TOPICS = "A guidance page\nThe working group\nJoining the working group\nA local service\nSomething else"
FEEDBACK_REGIONS = "Cumbria\nNorthumbria\nDurham Cleveland\nYorkshire\nSomewhere else"


class FeedbackFormPageFactory(wagtail_factories.PageFactory):
    """The feedback form of the demo: topic, role, region, message, name, email and consent."""

    class Meta:
        model = "home.FeedbackFormPage"
        skip_postgeneration_save = True

    title = "Send us feedback"
    slug = "feedback"
    intro = "<p>Tell us what is missing or wrong.</p>"

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create:
            return
        from home.models import FeedbackFormField

        for order, (label, field_type, purpose, required, choices) in enumerate(
            extracted
            or [
                ("What is your feedback about?", "radio", "topic", True, FEEDBACK_TOPICS),
                ("Your role", "singleline", "other", False, ""),
                ("Your region", "dropdown", "region", False, FEEDBACK_REGIONS),
                ("Your message", "multiline", "message", True, ""),
                ("Your name", "singleline", "name", False, ""),
                ("Your email address", "email", "email", False, ""),
                ("You may contact me about my feedback", "checkbox", "consent", False, ""),
            ]
        ):
            FeedbackFormField.objects.create(
                page=obj,
                sort_order=order,
                label=label,
                field_type=field_type,
                purpose=purpose,
                required=required,
                choices=choices,
            )


def feedback_answers(**overrides):
    """A valid POST for FeedbackFormPageFactory's questions."""
    return {
        "what_is_your_feedback_about": "A guidance page",
        "your_role": "Designated safeguarding lead",
        "your_region": "Cumbria",
        "your_message": "The guidance on reporting should mention Report Remove earlier.",
        "your_name": "",
        "your_email_address": "",
        **overrides,
    }


def feedback_ticket(seconds_ago=10):
    """A signed ticket for a form shown `seconds_ago` (the time trap wants at least 3)."""
    import time

    import time_machine

    from home.antispam import ticket_issue

    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return ticket_issue()


def make_trend_summary(parent, *, quarter=None, publish=True, **fields):
    """A trend summary page under `parent` (a working group's page, or the members' area for
    an all-regions summary), published through a revision unless told, so its figures are
    fixed as they would be in the admin. The quarter defaults to the reporting quarter."""
    from groups.models import AllRegionsTrendSummaryPage, MembersAreaIndexPage, TrendSummaryPage
    from groups.quarters import reporting_quarter

    quarter = quarter or reporting_quarter()
    model = AllRegionsTrendSummaryPage if isinstance(parent.specific, MembersAreaIndexPage) else TrendSummaryPage
    page = parent.add_child(instance=model(year=quarter.year, quarter=quarter.number, live=False, **fields))
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page
