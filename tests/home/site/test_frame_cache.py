"""The site's frame (site, home page, menu, footer settings) is read once and kept in the
shared cache (home.frame), and a change to any of them shows on the very next page."""

import pytest

from wagtail.models import PageViewRestriction

from home.models import PortalSettings
from tests.factories import StandardPageFactory, days, make_meeting, make_member, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db

FRAME_TABLES = ("wagtailcore_site", "home_portalsettings")


@pytest.fixture
def signed_in(client, cumbria):
    """A signed-in member: their pages never come from the page cache, so they show what
    the frame holds."""
    client.force_login(with_authenticator(make_member(cumbria)))
    return client


def menu_text(response):
    return soup(response).find("nav", attrs={"aria-label": "Menu"}).get_text(" ")


def test_a_second_page_reads_no_site_settings_or_menu(signed_in, django_assert_max_num_queries):
    signed_in.get("/members/")
    with django_assert_max_num_queries(15) as captured:
        assert signed_in.get("/members/").status_code == 200
    sqls = [query["sql"] for query in captured.captured_queries]
    for table in FRAME_TABLES:
        assert not any(table in sql for sql in sqls)
    # No query filters on the menu flag (every page query selects it, as a column).
    assert not any("show_in_menus" in sql.partition(" WHERE ")[2] for sql in sqls)


def test_a_new_menu_page_shows_at_once(signed_in, home_page):
    assert "Fresh section" not in menu_text(signed_in.get("/members/"))
    StandardPageFactory(parent=home_page, title="Fresh section", slug="fresh", show_in_menus=True)
    assert "Fresh section" in menu_text(signed_in.get("/members/"))


def test_a_settings_change_shows_at_once(signed_in, home_page):
    signed_in.get("/members/")
    settings = PortalSettings.for_site(home_page.get_site())
    settings.organisation_name = "The Renamed Society"
    settings.alert_enabled, settings.alert_message = True, "<p>Changed just now</p>"
    settings.save()
    text = soup(signed_in.get("/members/")).get_text(" ")
    assert "The Renamed Society" in text
    assert "Changed just now" in text


def test_a_page_under_a_renamed_slug_is_found(signed_in, home_page):
    page = StandardPageFactory(parent=home_page, title="Moving", slug="before")
    assert signed_in.get("/before/").status_code == 200
    page.slug = "after"
    page.save_revision().publish()
    assert signed_in.get("/after/").status_code == 200
    assert signed_in.get("/before/").status_code == 404


def breadcrumb_text(response):
    crumbs = soup(response).find("nav", attrs={"aria-label": "Breadcrumb"})
    return [li.get_text(strip=True) for li in crumbs.find_all("li")]


def test_a_second_page_reads_no_breadcrumbs(signed_in, guidance_page, django_assert_max_num_queries):
    first = breadcrumb_text(signed_in.get(guidance_page.url))
    with django_assert_max_num_queries(15) as captured:
        assert breadcrumb_text(signed_in.get(guidance_page.url)) == first
    # The trail's query is the one that matches restrictions by a prefix of the tree path.
    assert not any("SUBSTR" in query["sql"].upper() for query in captured.captured_queries)


def test_a_renamed_ancestor_shows_in_the_breadcrumbs_at_once(signed_in, guidance_index, guidance_page):
    assert guidance_index.title in breadcrumb_text(signed_in.get(guidance_page.url))
    guidance_index.title = "Renamed guidance"
    guidance_index.save_revision().publish()
    assert "Renamed guidance" in breadcrumb_text(signed_in.get(guidance_page.url))


def test_an_ancestor_made_private_leaves_the_breadcrumbs_at_once(signed_in, guidance_index, guidance_page):
    assert guidance_index.title in breadcrumb_text(signed_in.get(guidance_page.url))
    PageViewRestriction.objects.create(page=guidance_index, restriction_type=PageViewRestriction.LOGIN)
    assert breadcrumb_text(signed_in.get(guidance_page.url)) == ["Home", guidance_page.title]


ROUTING_TABLES = ("wagtailcore_page", "wagtailcore_pageviewrestriction", "auth_group")


def test_routing_a_second_time_reads_no_pages_restrictions_or_groups(signed_in, cumbria, django_assert_max_num_queries):
    # The pages on the way (home.routing), the view restrictions with their groups (the
    # frame) and the person's groups (with the person, portal.auth) are all known.
    meeting = make_meeting(cumbria, start=days(3))
    for url in ("/members/", cumbria.url, meeting.url):
        signed_in.get(url)
        with django_assert_max_num_queries(15) as captured:
            assert signed_in.get(url).status_code == 200
        sqls = [query["sql"] for query in captured.captured_queries]
        assert not [sql for sql in sqls if any(f'FROM "{table}"' in sql for table in ROUTING_TABLES)], url


def test_a_page_routed_through_before_is_gone_at_once_when_unpublished_or_deleted(signed_in, cumbria):
    first, second = make_meeting(cumbria, start=days(3)), make_meeting(cumbria, start=days(4))
    assert signed_in.get(first.url).status_code == 200
    assert signed_in.get(second.url).status_code == 200
    first.unpublish()
    second.delete()
    assert signed_in.get(first.url).status_code == 404
    assert signed_in.get(second.url).status_code == 404


def test_a_group_page_under_a_new_slug_is_found_at_once(signed_in, cumbria):
    old_url = cumbria.url
    assert signed_in.get(old_url).status_code == 200
    cumbria.slug = "cumbria-and-lakes"
    cumbria.save_revision().publish()
    assert signed_in.get("/members/cumbria-and-lakes/").status_code == 200
    assert signed_in.get(old_url).status_code == 404


def record_cache_reads(monkeypatch):
    """The keys of each read of the shared cache from now on, one list per round trip."""
    from django.core.cache import caches

    backend = type(caches["default"])
    reads, inside = [], []
    real_get, real_get_many = backend.get, backend.get_many

    def get(self, key, *args, **kwargs):
        if not inside:  # not a part of get_many (some backends read key by key)
            reads.append([key])
        return real_get(self, key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(True)
        try:
            return real_get_many(self, keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", get)
    monkeypatch.setattr(backend, "get_many", get_many)
    return reads


def test_a_group_page_reads_the_shared_cache_in_five_round_trips(client, cumbria, people_kept, monkeypatch):
    """The frame; the session with the person and their memberships; every level's page
    with its breadcrumbs; the groups' shared data with its generation; the group's summary
    as rendered. The site's paths come from the frame (not another read)."""
    client.force_login(make_member(cumbria))
    client.get(cumbria.url)
    reads = record_cache_reads(monkeypatch)
    assert client.get(cumbria.url).status_code == 200

    def read_with(*parts):
        return [read for read in reads if all(any(part in key for key in read) for part in parts)]

    assert len(reads) == 5, reads
    assert read_with("site-frame")
    assert read_with("sessions.cached_db", "portal.auth.person", "portal.auth.generation", "active_memberships")
    assert read_with("portal:route:", "portal:breadcrumbs:")
    assert read_with("groups:generation", "groups:shared:")
    assert read_with("group_summary")
