"""`load_demo_content` builds the whole demo site from the repository's files, once.

The demo takes seconds to build, so it is built once for this module (`demo`), and every
test reads it inside a savepoint that is rolled back (see `tests.fast.built_once`).
"""

import logging
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from wagtail_footnotes.models import Footnote

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex, Revision, Site

from groups.models import (
    ActionItem,
    ActionItemChange,
    MeetingAgendaItem,
    MeetingPage,
    Membership,
    Notification,
    TrendReturn,
    Update,
    WorkingGroupPage,
)
from groups.trends.quarters import recent_quarters
from home.demo.console import CHATTY_LOGGERS
from home.demo.loader import CONTENT_DIR, load_toml, seed_link_texts
from home.demo.working_groups import RETURN_QUARTERS
from home.models import FeedbackFormPage, HomePage, PortalSettings, StandardPage
from portal.documents import validate_document_file
from portal.models import OutboundEmail, Profile
from portal.pii import find_personal_data
from portal.profiles import job_title_of
from resources.models import GuidanceChange, GuidancePage, Resource, SupportService, Topic
from tests.accounts import totp_code
from tests.fast import built_once
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db

SEEDS = {
    "online-sexually-coerced-extortion": CONTENT_DIR / "seeds" / "online-sexually-coerced-extortion.md",
    "sexual-coercion-and-extortion-what-to-do": CONTENT_DIR / "seeds" / "sexual-coercion-and-extortion-what-to-do.txt",
}
LINK_ONLY = re.compile(r"^\[([^\]]+)\]\(#\)$")


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def media_root(demo_media):
    """The demo's documents are where the demo put them, for every test in this module."""
    return demo_media


class RecordingHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def demo_load(django_db_setup, django_db_blocker, demo_media):
    """The demo site, loaded once for the module: the loader's output (sign-ins and all)
    and the log records it wrote on the way."""
    handler = RecordingHandler()
    with built_once(django_db_blocker, demo_media):
        logging.getLogger().addHandler(handler)
        try:
            output = load()
        finally:
            logging.getLogger().removeHandler(handler)
        yield output, handler.records


@pytest.fixture(scope="module")
def demo(demo_load):
    return demo_load[0]


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
        "users": sorted(get_user_model().objects.values_list("id", "username", "password", "first_name", "last_name")),
        "job titles": sorted(Profile.objects.values_list("user_id", "job_title")),
        "authenticators": Authenticator.objects.count(),
        "emails": sorted(EmailAddress.objects.values_list("email", "verified")),
        "settings": sorted(PortalSettings.objects.values_list("id", "safety_page_id", "privacy_page_id")),
        "memberships": sorted(Membership.objects.values_list("id", "user_id", "working_group_id", "role", "status")),
        "agenda items": MeetingAgendaItem.objects.count(),
        "actions": sorted(ActionItem.objects.values_list("id", "status", "owner_user_id", "due_date")),
        "action changes": ActionItemChange.objects.count(),
        "updates": sorted(Update.objects.values_list("id", "title", "created_at")),
        "documents": sorted(get_document_model().objects.values_list("id", "title", "file_hash")),
        "returns": sorted(TrendReturn.objects.values_list("id", "organisation_id", "year", "quarter", "version")),
        "notifications": Notification.objects.count(),
        "outbox": OutboundEmail.objects.count(),
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


def test_builds_the_site_with_both_seed_guidance_pages(client, demo):
    output = demo

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
def test_guidance_pages_reproduce_every_line_of_the_seed(client, demo, slug):
    text = page_text(client.get(GuidancePage.objects.get(slug=slug).url))

    lines = list(seed_lines(SEEDS[slug]))
    missing = [line for line in lines if line not in text]

    assert len(lines) > 20

    assert not missing, "Seed lines missing from the page:\n" + "\n".join(missing)


def test_seed_footnotes_become_numbered_notes(client, demo):
    page = GuidancePage.objects.get(slug="online-sexually-coerced-extortion")
    response = client.get(page.url)
    html = response.content.decode()
    for number in (1, 2, 3):
        assert f'id="footnote-{number}"' in html
        assert f'href="#footnote-{number}"' in html


def test_further_guidance_links_are_services_with_real_addresses(client, demo):
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


# Proper names that may keep their capitals in a sentence-case title or heading.
PROPER_NAMES = {"Children's", "Society", "CEOP", "Cumbria", "Northumbria", "Durham", "Cleveland", "Yorkshire", "UK"}


@pytest.mark.parametrize("model", [HomePage, GuidancePage, StandardPage])
def test_titles_and_headings_are_in_sentence_case(client, demo, model):
    for page in model.objects.live():
        main = soup(client.get(page.url)).find("main")
        for heading in [page.title, *(h.get_text(" ") for h in main.find_all(["h1", "h2", "h3"]))]:
            words = re.findall("[\\w'\u2019]+", heading)[1:]
            capitalised = [word for word in words if word[0].isupper() and word not in PROPER_NAMES]
            assert not capitalised, f"{page.url}: {heading!r}"


def test_the_demo_sends_feedback_and_asks_for_mail_only_to_example_addresses(client, demo):
    from home.selectors import feedback_routing

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.organisation_email.endswith("@example.org")
    form_page = FeedbackFormPage.objects.live().get()
    for topic in ["A guidance page", "Joining the working group", "Something else"]:
        recipients = feedback_routing(form_page=form_page, topic=topic, region="Cumbria").recipients
        assert recipients
        assert all(recipient.address.endswith("example.org") for recipient in recipients), topic
    for page in Page.objects.live().public().specific():
        for link in soup(client.get(page.url)).select('a[href^="mailto:"]'):
            assert link["href"].endswith("example.org"), (page.url, link["href"])


def test_the_safety_page_promises_what_the_browser_tests_prove_and_no_more(client, demo):
    text = " ".join(main_text(client.get("/safety/")).split())
    # Each claim, and the test that proves it in Chromium.
    proven = [
        # test_quick_exit.py: the page is left for the exit destination at once; /exit/
        # sends Clear-Site-Data for the cache, cookies and storage, and ends the session.
        "It hides the page at once and opens an ordinary website in its place.",
        "It signs you out, if you were signed in, and asks your browser to delete this site's cookies, "
        "stored data and cached pages.",
        # test_quick_exit_history.py: signed out, links and GET forms replace the tab's entry
        # and Back after exit goes to where the visitor was before the portal.
        "If you are not signed in, this site keeps to one step of your browser's Back button in this tab",
        "After you leave, Back goes to the page you were on before you came to this site, not to this site.",
        # test_quick_exit.py::test_leaves_with_javascript_off: a plain link, still leaving.
        "Without JavaScript, or on a page that has not finished loading, the button is an ordinary link",
    ]
    # What no test proves (or what is untrue): signed in, links add entries as usual.
    limits = [
        "The button cannot delete your browsing history.",
        "If you are signed in, the pages of this site you opened before the one you left from are still behind "
        "the Back button in this tab.",
    ]
    for sentence in proven + limits:
        assert sentence in text, sentence
    assert "so pressing Back does not return you here" not in text


def test_loading_says_what_it_is_doing_then_shows_the_sign_ins_last(demo):
    lines = demo.splitlines()

    assert lines[0] == "Loading demo content (1/8): the library..."
    assert "Loading demo content (8/8): trend summaries..." in lines
    title = lines.index("Demo sign-ins, one per role:")
    assert lines[title - 1].startswith("Created ")
    roles = [line.split()[0] for line in lines[title + 1 : title + 6]]
    assert roles == ["administrator", "editor", "coordinator", "member", "steward"]
    assert lines[title + 6 :] == [
        "Add a secret to an authenticator app, then sign in at http://127.0.0.1:8000/accounts/login/.",
        "To see them again: make sign-ins (manage.py demo_sign_ins; it gives the demo accounts new passwords).",
    ]


def test_loading_logs_no_line_per_page_or_task(demo_load):
    """Hundreds of "Page created", "Published" and task lines buried the sign-ins."""
    _, records = demo_load

    chatty = [r for r in records if r.levelno < logging.WARNING and r.name.startswith(CHATTY_LOGGERS)]
    assert chatty == []


def test_the_site_is_named_and_at_the_address_the_demo_is_served_at(client, demo, settings):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == settings.WAGTAIL_SITE_NAME
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sitemap = client.get("/sitemap.xml").content.decode()
    hosts = set(re.findall(r"<loc>(https?://[^/]+)/", sitemap))
    assert hosts == {site.root_url}


def test_running_twice_changes_nothing(demo):
    before = snapshot()

    output = load()

    assert "nothing changed" in output
    assert "password" not in output
    assert snapshot() == before


def test_wagtail_knows_where_each_service_and_document_is_used(demo):
    """The reference index behind the admin's "Usage" is built once, at the end of loading
    (not by a task a save), and holds what a rebuild from scratch would."""

    def references():
        return sorted(
            ReferenceIndex.objects.values_list(
                "content_type_id", "object_id", "to_content_type_id", "to_object_id", "content_path"
            )
        )

    built = references()
    call_command("rebuild_references_index", verbosity=0)

    assert built == references()
    for model in (SupportService, get_document_model()):
        assert any(ReferenceIndex.get_references_to(thing).exists() for thing in model.objects.all()), model


def test_search_finds_seed_phrases_after_loading(client, demo):
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
def test_each_demo_sign_in_works_with_its_password_and_authenticator(client, demo, role, url, status):
    email, password, secret = demo_logins(demo)[role]

    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert client.get(url).status_code == status


def test_every_demo_person_has_a_name_and_a_job_title_and_the_site_its_name(demo):
    people = list(get_user_model().objects.select_related("profile"))
    assert len(people) > 30
    for person in people:
        assert person.first_name and person.last_name, person.email
        assert job_title_of(person), person.email
    member = get_user_model().objects.get(email="member@example.org")
    assert (member.get_full_name(), job_title_of(member)) == (
        "James Corrigan",
        "Detective Constable, Online Child Protection",
    )
    assert Site.objects.get(is_default_site=True).site_name == "Working Group Portal"


def test_a_demo_made_before_names_gets_them_and_keeps_what_people_changed(demo):
    User = get_user_model()
    User.objects.filter(email="member@example.org").update(first_name="", last_name="")
    Profile.objects.filter(user__email="member@example.org").delete()
    User.objects.filter(email="editor@example.org").update(first_name="Nell")
    Site.objects.filter(is_default_site=True).update(site_name="")

    load()

    member = User.objects.get(email="member@example.org")
    assert (member.get_full_name(), job_title_of(member)) == (
        "James Corrigan",
        "Detective Constable, Online Child Protection",
    )
    assert User.objects.get(email="editor@example.org").get_full_name() == "Nell Marsh"
    assert Site.objects.get(is_default_site=True).site_name == "Working Group Portal"


# The members' area: a lived-in year for every group.


def pdf_is_well_formed(content):
    """A PDF's header, end marker, and cross-reference table pointing at each object."""
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\n(\d+)\n", content).group(1))
    assert content[start:].startswith(b"xref\n")
    offsets = re.findall(rb"^(\d{10}) 00000 n $", content[start:], re.M)
    assert offsets
    for number, offset in enumerate(offsets, start=1):
        assert content[int(offset) :].startswith(b"%d 0 obj" % number)
    return True


def test_every_working_group_is_lived_in(client, demo):
    today = timezone.localdate()
    groups = list(WorkingGroupPage.objects.order_by("region"))
    assert [group.region for group in groups] == ["cumbria", "durham-cleveland", "northumbria", "yorkshire"]

    for group in groups:
        members = Membership.objects.filter(working_group=group, status="active").select_related("user", "organisation")
        assert 6 <= len(members) <= 10, group
        assert 1 <= sum(m.role == "coordinator" for m in members) <= 2, group
        assert len({m.organisation.sector for m in members}) >= 3, group
        # Fictional: every address is at example.org or one of its sub-domains.
        assert all(re.search(r"[@.]example\.org$", m.user.email) for m in members), group

        meetings = list(MeetingPage.objects.child_of(group).live().order_by("start"))
        past = [m for m in meetings if m.start.date() < today]
        assert (past[-1].start - past[0].start).days >= 300, group
        assert any(m.start.date() > today for m in meetings), group
        assert all(m.has_notes and m.actions.exists() for m in past), group

        actions = ActionItem.objects.filter(meeting__in=meetings)
        statuses = set(actions.values_list("status", flat=True))
        assert {"open", "done"} <= statuses, group
        assert actions.open().filter(due_date__lt=today).exists(), f"{group}: no overdue action"
        assert ActionItemChange.objects.filter(action__in=actions.filter(status="done")).exists(), group

        updates = Update.objects.filter(working_group=group)
        assert updates.count() >= 6, group
        dates = sorted(updates.values_list("created_at", flat=True))
        assert (dates[-1] - dates[0]).days >= 270, group
        assert all(update.tags.exists() for update in updates), group

        documents = get_document_model().objects.filter(collection=group.collection)
        assert {d.file_extension for d in documents} >= {"pdf", "csv", "txt"}, group
        for document in documents:
            with document.file.open("rb") as file:
                validate_document_file(file)
                file.seek(0)
                content = file.read()
            if document.file_extension == "pdf":
                assert pdf_is_well_formed(content)

        for quarter in recent_quarters(RETURN_QUARTERS):
            returns = TrendReturn.objects.current().for_quarter(quarter).filter(working_group=group)
            assert returns.values("organisation").distinct().count() >= 3, (group, quarter)

    # Loading told nobody.
    assert not OutboundEmail.objects.exists()
    assert not Notification.objects.exists()

    # The demo member's dashboard shows their own open actions, overdue first.
    member = get_user_model().objects.get(email="member@example.org")
    client.force_login(member)
    text = main_text(client.get("/members/"))
    assert "Your open actions" in text
    assert "Overdue" in text


def test_every_demo_text_passes_the_personal_data_screen(demo):
    texts = []
    for item in MeetingAgendaItem.objects.all():
        texts += [item.title, strip_tags(item.notes)]
    for meeting in MeetingPage.objects.all():
        texts += [meeting.title, meeting.apologies, meeting.location]
    texts += ActionItem.objects.values_list("description", flat=True)
    texts += ActionItemChange.objects.values_list("note", flat=True)
    for update in Update.objects.all():
        texts += [update.title, update.body]
    texts += TrendReturn.objects.values_list("note", flat=True)
    for document in get_document_model().objects.all():
        texts.append(document.title)
        if document.file_extension in ("txt", "csv"):
            with document.file.open("rb") as file:
                texts.append(file.read().decode())

    # The PDFs' text, as written in the data file.
    texts += [
        line for spec in load_toml(CONTENT_DIR / "working_groups.toml")["documents"] for line in spec.get("lines", [])
    ]

    assert len(texts) > 500
    flagged = [(text, find_personal_data(text)) for text in texts if find_personal_data(text)]
    assert not flagged


def test_trend_summaries_are_published_with_a_public_copy_a_csv_and_hidden_cells(client, demo):
    from groups.models import AllRegionsTrendSummaryPage, TrendReturn, TrendSummaryPage
    from groups.trends.quarters import recent_quarters

    quarters = {(r.year, r.quarter) for r in TrendReturn.objects.all()}
    assert len(quarters) == 8
    assert TrendReturn.objects.values("working_group").distinct().count() == 4
    assert TrendSummaryPage.objects.live().count() == 4
    assert AllRegionsTrendSummaryPage.objects.live().count() == 1

    assert TrendSummaryPage.objects.live().filter(publish_publicly=True).count() == 4
    public = next(p for p in TrendSummaryPage.objects.live() if p.get_parent().specific.region == "cumbria")
    quarter = recent_quarters(2)[-1]
    url = f"/trends/{public.get_parent().specific.region}/{quarter.year}-q{quarter.number}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "[c]" in main_text(page)  # a newcomer sees how suppression looks
    download = client.get(url + "summary.csv")
    assert download.status_code == 200 and "[c]" in download.content.decode()


def test_the_demo_release_is_worth_reading_has_a_revision_and_matches_its_narratives(demo):
    """Every total shown, most figures kept, one revision after a late return, and what
    each narrative claims (most children boys, most demands for money, police told about
    most cases) is a figure the latest copy shows."""
    from groups.models import AllRegionsTrendSummaryPage, TrendPublication, TrendSummaryPage

    quarter = recent_quarters(2)[-1].code
    publications = list(TrendPublication.objects.order_by("published_at", "pk").prefetch_related("entries"))
    assert {p.region for p in publications} == {"", "cumbria", "northumbria", "durham-cleveland", "yorkshire"}
    assert all(p.information_kept >= 0.8 for p in publications)
    latest = {}
    for publication in publications:
        latest[publication.audience, publication.region] = publication
    for publication in latest.values():
        shown = {e.category: e.value for e in publication.entries.all() if e.quarters == [quarter]}
        total = shown["total"]
        assert total is not None and total >= 10
        for claim in ("gender_boys", "demand_money", "followed_police"):
            assert shown[claim] is not None and 2 * shown[claim] > total, (publication, claim)
    for page in [*TrendSummaryPage.objects.live(), *AllRegionsTrendSummaryPage.objects.live()]:
        for claim in ("boys", "money", "police"):
            assert claim in page.narrative.lower()

    # The release was published twice: the first group's late return changed its figures
    # of the quarter and the all-regions ones, marked revised in the second copies only,
    # for members and the public.
    revised = [p for p in publications if p.entries.filter(revised=True).exists()]
    assert sorted((p.audience, p.region) for p in revised) == [
        ("members", ""),
        ("members", "cumbria"),
        ("public", "cumbria"),
    ]
    revised_cumbria = next(p for p in revised if p.region == "cumbria")
    earlier = [p for p in publications if p.region == "cumbria" and p not in revised]
    assert len(earlier) == 2 and all(p.published_at <= revised_cumbria.published_at for p in earlier)
    assert (
        revised_cumbria.entries.get(category="total", quarters=[quarter]).value
        > earlier[0].entries.get(category="total", quarters=[quarter]).value
    )


def test_every_demo_summary_went_live_with_a_data_stewards_approval(demo):
    """Both keys: each live revision was submitted by an administrator, who prepared the
    release, and approved by the demo's data steward, of another organisation."""
    from wagtail.models import TaskState

    from groups.models import AllRegionsTrendSummaryPage, TrendSummaryPage, organisations_of
    from portal.roles import is_data_steward

    email = demo_logins(demo)["steward"][0]
    for page in [*TrendSummaryPage.objects.live(), *AllRegionsTrendSummaryPage.objects.live()]:
        state = TaskState.objects.get(revision=page.live_revision, status=TaskState.STATUS_APPROVED)
        steward, submitter = state.finished_by, state.workflow_state.requested_by
        assert steward.email == email and is_data_steward(steward)
        assert organisations_of(steward) and not organisations_of(steward) & organisations_of(submitter)
