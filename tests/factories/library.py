"""Guidance pages and the resource library: topics, audiences, services and resources."""

import datetime

import factory
import wagtail_factories

from resources.models import (
    Audience,
    GuidanceIndexPage,
    GuidancePage,
    Resource,
    ResourceIndexPage,
    SupportService,
    Topic,
)


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
