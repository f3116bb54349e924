"""The updates feed shows the start of a long update with "Read more"; the update's page
shows all of it. Dates in `datetime` attributes carry no microseconds."""

import datetime
import re

import pytest

from django.utils import timezone

from home.templatetags.portal_tags import machine_datetime, summary
from tests.factories import make_member, make_update, with_authenticator
from tests.html import soup

pytestmark = pytest.mark.django_db

LONG_BODY = ("Three schools report the same approach this month. " * 90).strip()


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis():
    text = summary(LONG_BODY)
    assert len(text) <= 301
    assert text.endswith("…")
    assert LONG_BODY.startswith(text[:-1])
    assert LONG_BODY[len(text) - 1] in " ."  # the cut falls between words


def test_a_short_text_is_whole_and_folded_onto_one_line():
    assert summary("First line.\n\n- a bullet") == "First line. - a bullet"


def test_one_very_long_word_is_cut_at_the_length():
    assert summary("x" * 5000) == "x" * 300 + "…"


def test_datetimes_are_to_the_second():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 5, 9, 30, 15, 123456))
    assert re.fullmatch(r"2026-12-05T09:30:15[+-]\d\d:\d\d", machine_datetime(moment))
    assert machine_datetime(datetime.date(2026, 12, 5)) == "2026-12-05"


def read_more_link(article):
    return next((link for link in article.find_all("a") if link.get_text().startswith("Read more")), None)


def test_the_feed_summarises_and_links_to_the_whole_update(client, cumbria):
    member = with_authenticator(make_member(cumbria))
    client.force_login(member)
    long_update = make_update(cumbria, author=member, title="A long update", body=LONG_BODY)
    short_update = make_update(cumbria, author=member, title="A short update", body="Short and sweet.")

    feed = soup(client.get(f"/members/{cumbria.slug}/updates/"))
    articles = {article.find(["h2", "h3"]).get_text(" ", strip=True): article for article in feed.find_all("article")}
    long_article = articles["A long update"]
    assert len(long_article.find(class_="portal-update__body").get_text()) <= 301
    read_more = read_more_link(long_article)
    assert read_more["href"] == f"/members/{cumbria.slug}/updates/{long_update.pk}/"
    assert "Short and sweet." in articles["A short update"].get_text()
    assert read_more_link(articles["A short update"]) is None
    for time in feed.find_all("time"):
        assert "." not in time["datetime"]
    assert not feed.select("ul[aria-label]")

    page = soup(client.get(read_more["href"]))
    assert " ".join(page.find(class_="portal-update__body").get_text().split()) == LONG_BODY
    assert short_update.pk
