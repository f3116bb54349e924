"""The public copies of the trend summaries in /sitemap.xml (nothing of the members' area)."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from .selectors import public_publications, public_summary_url


class PublicTrendSummarySitemap(WagtailSitemap):
    """Each regional summary on show on the public site, at /trends/<region>/<year>-q<n>/.

    A Wagtail sitemap only to be given the request: its addresses are on the Wagtail
    Site's host, as the pages' are, rather than on whatever host the request named.
    """

    def items(self):
        return list(public_publications())

    def location(self, publication):
        return public_summary_url(region=publication.region, quarter=publication.period)

    def lastmod(self, publication):
        return publication.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        root = urlsplit(self.get_wagtail_site().root_url)
        return self._urls(page, root.scheme, root.netloc)

    def _urls(self, page, protocol, domain):
        # Django's, not Wagtail's (which asks each item, a page, for its own URLs).
        return DjangoSitemap._urls(self, page, protocol, domain)
