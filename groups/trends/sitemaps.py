"""The public copies of the trend summaries in /sitemap.xml (nothing of the members' area)."""

from django.contrib.sitemaps import Sitemap

from .selectors import public_publications, public_summary_url


class PublicTrendSummarySitemap(Sitemap):
    """Each regional summary on show on the public site, at /trends/<region>/<year>-q<n>/."""

    def items(self):
        return list(public_publications())

    def location(self, publication):
        return public_summary_url(region=publication.region, quarter=publication.period)

    def lastmod(self, publication):
        return publication.published_at
