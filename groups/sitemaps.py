"""The public copies of the trend summaries in /sitemap.xml (nothing of the members' area)."""

from django.contrib.sitemaps import Sitemap

from .trend_summaries import public_snapshots, public_summary_url


class PublicTrendSummarySitemap(Sitemap):
    """Each regional summary on show on the public site, at /trends/<region>/<year>-q<n>/."""

    def items(self):
        return list(public_snapshots())

    def location(self, snapshot):
        return public_summary_url(region=snapshot.region, quarter=snapshot.period)

    def lastmod(self, snapshot):
        return snapshot.created_at
