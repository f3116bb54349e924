"""`load_demo_content` builds the whole demo site from the repository's files, once."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from wagtail_footnotes.models import Footnote

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Revision, Site

from home.demo import CONTENT_DIR, seed_link_texts
from home.models import HomePage, PortalSettings
from resources.models import GuidanceChange, GuidancePage, Resource, SupportService, Topic
from tests.accounts import totp_code
from tests.html import main_text

pytestmark = pytest.mark.django_db

SEEDS = {
    "online-sexually-coerced-extortion": CONTENT_DIR / "seeds" / "online-sexually-coerced-extortion.md",
    "sexual-coercion-and-extortion-what-to-do": CONTENT_DIR / "seeds" / "sexual-coercion-and-extortion-what-to-do.txt",
}
LINK_ONLY = re.compile(r"^\[([^\]]+)\]\(#\)$")


def load(**kwargs):
    out = StringIO()
    call_command("load_demo_content", stdout=out, **kwargs)
    return out.getvalue()


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("id", "title", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "services": sorted(SupportService.objects.values_list("id", "name", "url")),
        "resources": Resource.objects.count(),
        "topics": Topic.objects.count(),
        "footnotes": Footnote.objects.count(),
        "changes": GuidanceChange.objects.count(),
        "users": sorted(get_user_model().objects.values_list("id", "username", "password")),
        "authenticators": Authenticator.objects.count(),
        "emails": sorted(EmailAddress.objects.values_list("email", "verified")),
        "settings": sorted(PortalSettings.objects.values_list("id", "safety_page_id", "privacy_page_id")),
    }


def seed_lines(path):
    """The seed's lines as plain text: markdown, footnote markers and separators removed."""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line == "---" or LINK_ONLY.match(line):
            continue  # blank, a rule, or a 'Further guidance' link (see the services test)
        line = re.sub(r"^#+\s*|^-\s+", "", line)
        line = re.sub(r"<sup>\d+</sup>", "", line)
        line = line.replace("**", "")
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
        yield " ".join(line.split())


def page_text(response):
    """The page's main text with footnote markers such as [1] removed.

    Text is joined with spaces at tag boundaries, so space before punctuation is dropped.
    """
    text = " ".join(re.sub(r"\[\d+\]", "", main_text(response)).split())
    return re.sub(r" ([.,;:])", r"\1", text)


def test_builds_the_site_with_both_seed_guidance_pages(client):
    output = load()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    for role in ("administrator", "editor", "coordinator", "member"):
        assert re.search(rf"^  {role} +email: \S+ +password: \S+  authenticator secret \(TOTP\): \S+$", output, re.M)
    for slug in SEEDS:
        page = GuidancePage.objects.get(slug=slug)
        assert page.live
        assert client.get(page.url).status_code == 200
    for url in ("/", "/guidance/", "/resources/", "/safety/", "/accessibility/", "/privacy/", "/about/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("slug", SEEDS)
def test_guidance_pages_reproduce_every_line_of_the_seed(client, slug):
    load()
    text = page_text(client.get(GuidancePage.objects.get(slug=slug).url))

    lines = list(seed_lines(SEEDS[slug]))
    missing = [line for line in lines if line not in text]

    assert len(lines) > 20

    assert not missing, "Seed lines missing from the page:\n" + "\n".join(missing)


def test_seed_footnotes_become_numbered_notes(client):
    load()
    page = GuidancePage.objects.get(slug="online-sexually-coerced-extortion")
    response = client.get(page.url)
    html = response.content.decode()
    for number in (1, 2, 3):
        assert f'id="footnote-{number}"' in html
        assert f'href="#footnote-{number}"' in html


def test_further_guidance_links_are_services_with_real_addresses(client):
    load()
    page = GuidancePage.objects.get(slug="online-sexually-coerced-extortion")
    html = client.get(page.url).content.decode()
    seed = SEEDS["online-sexually-coerced-extortion"].read_text(encoding="utf-8")
    link_texts = [m.group(1) for line in seed.splitlines() if (m := LINK_ONLY.match(line.strip()))]
    mapping = seed_link_texts()

    assert sorted(link_texts) == sorted(mapping)
    for text in link_texts:
        service = SupportService.objects.get(name=mapping[text]["name"])
        assert service.url.startswith("https://")
        assert f'href="{service.url}"' in html


def test_running_twice_changes_nothing():
    load()
    before = snapshot()

    output = load()

    assert "nothing changed" in output
    assert "password" not in output
    assert snapshot() == before


def test_search_finds_seed_phrases_after_loading(client):
    load()
    for phrase, slug in [
        ("debt bondage", "online-sexually-coerced-extortion"),
        ("just one more image", "sexual-coercion-and-extortion-what-to-do"),
    ]:
        page = GuidancePage.objects.get(slug=slug)
        response = client.get("/search/", {"query": phrase})
        assert f'href="{page.url}"' in response.content.decode(), phrase


def demo_logins(output):
    pattern = r"^  (\w+) +email: (\S+) +password: (\S+)  authenticator secret \(TOTP\): (\S+)$"
    return {role: (email, password, secret) for role, email, password, secret in re.findall(pattern, output, re.M)}


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("administrator", "/admin/", 200),
        ("editor", "/admin/", 200),
        ("coordinator", "/members/cumbria/", 200),
        ("member", "/members/cumbria/", 200),
        ("member", "/admin/", 302),
        ("member", "/members/yorkshire/", 404),
    ],
)
def test_each_demo_sign_in_works_with_its_password_and_authenticator(client, role, url, status):
    email, password, secret = demo_logins(load())[role]

    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert client.get(url).status_code == status
