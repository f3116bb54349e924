"""The public copies of the trend summaries in /sitemap.xml (nothing of the members' area)."""

from django.contrib.sitemaps import Sitemap


class PublicTrendSummarySitemap(Sitemap):
    """Each regional summary on show on the public site, at /trends/<region>/<year>-q<n>/."""

    def items(self):
        from .trends.selectors import public_snapshots

        return list(public_snapshots())

    def location(self, snapshot):
        from .trends.selectors import public_summary_url

        return public_summary_url(region=snapshot.region, quarter=snapshot.period)

    def lastmod(self, snapshot):
        return snapshot.created_at
