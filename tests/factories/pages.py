"""The public site frame: the home page at the root of the default site, standard pages."""

import factory
import wagtail_factories

from django.conf import settings

from wagtail.models import Site

from home.models import HomePage, PortalSettings, StandardPage


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


# The coordinating organisation's address on the tests' site, as the demo sets it.
ORGANISATION_EMAIL = "prevention@example.org"


def make_site():
    """A home page at the root of the default site, replacing Wagtail's welcome page, and
    the site named as the demo names it (the admin's dashboard shows the name), with the
    demo's example address for the coordinating organisation (a fresh site has none)."""
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.get_parent()
    home = HomePageFactory(parent=root, slug="home-test")
    site.root_page = home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()
    PortalSettings.objects.update_or_create(site=site, defaults={"organisation_email": ORGANISATION_EMAIL})
    return home
