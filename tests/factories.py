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
