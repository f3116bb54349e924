"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Chromium comes from the `chromium` Debian package (/usr/bin/chromium); Playwright's own
browser download cannot work here. Where it is missing the tests are skipped, unless
E2E_REQUIRED=1 (set by .ci/run), which turns the skip into a failure.

Every test gets a fresh browser context that reaches only the live server and, after
quick exit, a stand-in for the exit destination served locally. Any other request is
refused (and Chromium cannot resolve any other host name at all) and fails the test, as
do console errors (which include Content Security Policy violations) and uncaught
errors in the page.
"""

import datetime
import os
import re
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from wagtail.models import Site

from groups.membership.services import invitation_create
from home.models import HomePageFeaturedGuidance, HomePageSupportLink, PortalSettings
from tests.accounts import make_account
from tests.factories import (
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    ResourceFactory,
    ResourceIndexPageFactory,
    StandardPageFactory,
    SupportServiceFactory,
    TopicFactory,
    TrendReturnFactory,
    WorkingGroupPageFactory,
    audience,
    make_document,
    make_meeting,
    make_member,
    make_site,
    make_trend_summary,
    make_update,
    trend_counts,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = "Chromium not installed (/usr/bin/chromium): browser tests skipped. apt-get install chromium to run them."

# Where quick exit sends people in these tests: not the model's default, so the tests
# prove that the site setting is used. Chromium resolves this host to a local HTTPS
# server (see exit_destination), so the real site is never contacted.
EXIT_HOST = "www.bbc.co.uk"
EXIT_ORIGIN = f"https://{EXIT_HOST}"
EXIT_URL = f"{EXIT_ORIGIN}/weather/2643743"
EXIT_PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Weather</title></head>"
    b"<body><main><h1>Weather</h1><p>Sunny intervals.</p></main></body></html>"
)

HERE = Path(__file__).parent


def _required():
    return os.environ.get("E2E_REQUIRED") == "1"


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `e2e`; skip them up front where Chromium is missing."""
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists() and not _required():
                item.add_marker(skip)


def _self_signed_certificate(directory):
    """A certificate for EXIT_HOST; the browser contexts are told to accept it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, EXIT_HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(EXIT_HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


class _ExitPageHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.visits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(EXIT_PAGE)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(EXIT_PAGE)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="package")
def exit_destination(tmp_path_factory):
    """A local HTTPS server standing in for the quick-exit destination.

    Playwright's routes cannot answer for it: the browser reaches it through the
    redirect from /exit/, and Playwright routes only the first request of a redirect
    chain. So Chromium resolves EXIT_HOST to this server instead (see `browser`).
    """
    cert_file, key_file = _self_signed_certificate(tmp_path_factory.mktemp("exit-destination"))
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ExitPageHandler)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.visits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="package")
def browser(exit_destination):
    """One headless Chromium for the browser tests.

    Package-scoped rather than session-scoped on purpose: while Playwright's sync API is
    running, its asyncio loop counts as the running loop of this thread. pytest-django
    runs the tests that need no database after these, so the browser (and its loop) is
    stopped as soon as the last test in this folder has run.
    """
    if not CHROMIUM.exists():
        if _required():
            pytest.fail(f"Chromium is required for the browser tests (E2E_REQUIRED=1) but {CHROMIUM} does not exist.")
        pytest.skip(SKIP_REASON)

    from playwright.sync_api import expect, sync_playwright

    from django.db import connections

    # As long as the contexts' action timeout (see `_open_page`): a check ends as soon as
    # it holds, so only a failing one waits this long.
    expect.set_options(timeout=15_000)

    # Playwright's sync API runs an asyncio event loop in this thread, and while it runs
    # Django sees a running loop here:
    # - it refuses database access (SynchronousOnlyOperation) from the test code and
    #   from pytest-django's per-test setup and teardown. Nothing here is actually
    #   asynchronous, so Django's documented escape hatch is set, only while the
    #   browser runs, and restored afterwards;
    # - asgiref's Local, which holds Django's database connections, switches from
    #   thread-local to context-local storage, so this thread would open new connections
    #   that, under in-memory SQLite, are not the one shared with the live server (and
    #   hold none of the shared site, see `portal`). The connections already in use are
    #   put back into that storage, so everything keeps using the same ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    in_use = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in in_use.items():
        connections[alias] = connection
    # No host name but the exit destination resolves: nothing can reach a third party.
    exit_port = exit_destination.server_address[1]
    resolver_rules = (
        f"--host-resolver-rules=MAP {EXIT_HOST} 127.0.0.1:{exit_port}, MAP * ~NOTFOUND, "
        "EXCLUDE localhost, EXCLUDE 127.0.0.1"
    )
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, resolver_rules]
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with the HTTPS redirect off.

    The tests run with DEBUG off, so the settings turn SECURE_SSL_REDIRECT on, and
    SecurityMiddleware reads it once, when the server builds its handler: the per-test
    override in tests/conftest.py comes too late for it. Plain http://localhost would
    otherwise be redirected to an https:// address that nothing answers.
    """
    from pytest_django.live_server_helper import LiveServer

    from django.test import override_settings

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(addr)
    yield server
    server.stop()


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class BrowserLog:
    """What the browser did in one test that a test must not let pass silently."""

    server_origin: str
    requests: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    allowed_console: list = field(default_factory=list)

    def allow_console_error(self, pattern):
        """Expect console errors matching `pattern` (a regular expression) in this test."""
        self.allowed_console.append(re.compile(pattern))

    def on_request(self, request):
        self.requests.append(request.url)

    def on_console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            entry = f"{message.type}: {message.text} ({message.location.get('url', '')})"
            if not any(pattern.search(entry) for pattern in self.allowed_console):
                self.console_errors.append(entry)

    def on_page_error(self, error):
        self.page_errors.append(str(error))

    def route(self, route):
        """Let through the live server and the exit destination; refuse everything else."""
        if _origin(route.request.url) in (self.server_origin, EXIT_ORIGIN):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def problems(self):
        allowed = (self.server_origin, EXIT_ORIGIN)
        third_party = [url for url in self.requests if _origin(url) not in allowed and not url.startswith("data:")]
        problems = []
        if self.blocked or third_party:
            problems.append(f"requests to third parties: {sorted(set(self.blocked + third_party))}")
        if self.console_errors:
            problems.append(f"console errors: {self.console_errors}")
        if self.page_errors:
            problems.append(f"uncaught page errors: {self.page_errors}")
        return problems


def _open_page(browser, live_server, **context_options):
    log = BrowserLog(server_origin=_origin(live_server.url))
    context = browser.new_context(
        base_url=live_server.url,
        # The exit destination's stand-in has a self-signed certificate.
        ignore_https_errors=True,
        **context_options,
    )
    # How long an action or a page load may take before the test fails. Generous, since a
    # busy two-core machine can take seconds to render the admin's first pages; a wait
    # ends as soon as its condition holds, so a passing run is no slower for it.
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    context.route("**/*", log.route)
    context.on("request", log.on_request)
    context.on("console", log.on_console)
    context.on("weberror", lambda web_error: log.on_page_error(web_error.error))
    page = context.new_page()
    page.log = log
    return context, page


def _close_page(context, page):
    try:
        context.close()
    finally:
        problems = page.log.problems()
        if problems:
            pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(browser, live_server, portal):
    """A page in a fresh browser context with JavaScript on."""
    context, page = _open_page(browser, live_server)
    yield page
    _close_page(context, page)


@pytest.fixture
def no_js_page(browser, live_server, portal):
    """A page in a fresh browser context with JavaScript off."""
    context, page = _open_page(browser, live_server, java_script_enabled=False)
    yield page
    _close_page(context, page)


def _paragraphs(*texts):
    return "".join(f"<p>{text}</p>" for text in texts)


FILLER = (
    "Children and young people may feel too ashamed or frightened to tell anyone. "
    "Reassure them that they have done nothing wrong and that help is available. "
    "Keep a calm tone, listen without judgement and do not ask for the images."
)


def guidance_body(services):
    """A guidance body with every block a reader meets, long enough to need scrolling."""
    return [
        ("rich_text", _paragraphs("Children cannot consent to their own abuse.", FILLER)),
        (
            "section",
            {
                "heading": "Why children do not tell",
                "content": [
                    ("rich_text", _paragraphs(FILLER, FILLER, FILLER)),
                    (
                        "quote",
                        {
                            "quote": "The sooner they tell someone, the sooner they can be supported.",
                            "attribution": "A safeguarding lead",
                        },
                    ),
                ],
            },
        ),
        (
            "section",
            {
                "heading": "Signs to look out for",
                "content": [
                    (
                        "indicators",
                        {
                            "heading": "Possible indicators",
                            "introduction": "A child may show some of these signs.",
                            "items": ["Suddenly withdrawn", "Avoiding school", "Less money than usual"],
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "heading": "Do not delay",
                            "text": "<p>If a child is in immediate danger, call 999.</p>",
                        },
                    ),
                    ("rich_text", _paragraphs(FILLER, FILLER)),
                ],
            },
        ),
        (
            "section",
            {
                "heading": "What to do",
                "content": [
                    (
                        "steps",
                        {
                            "heading": "Steps to take",
                            "steps": [
                                {"title": "Stay calm", "text": "<p>The child needs your support.</p>"},
                                {"title": "Do not pay", "text": "<p>Paying rarely ends the threats.</p>"},
                                {"title": "Keep the evidence", "text": "<p>Do not delete messages.</p>"},
                                {"title": "Report it", "text": "<p>Follow your safeguarding policy.</p>"},
                            ],
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "important",
                            "heading": "",
                            "text": "<p>Never view, copy or forward the images.</p>",
                        },
                    ),
                    ("rich_text", _paragraphs(FILLER, FILLER)),
                ],
            },
        ),
        (
            "section",
            {
                "heading": "Where to get help",
                "content": [
                    (
                        "callout",
                        {
                            "kind": "remember",
                            "heading": "Remember",
                            "text": "<p>What is happening is illegal and the child will not get into trouble.</p>",
                        },
                    ),
                    ("support_services", {"heading": "Further guidance and support", "services": services}),
                    ("rich_text", _paragraphs(FILLER)),
                ],
            },
        ),
    ]


@pytest.fixture(scope="package")
def _shared_site(django_db_setup, django_db_blocker, live_server, tmp_path_factory):
    """The browser tests' site, built once and shared (see `portal`), with the copies that
    put it back after each test. Torn down with the last browser test: the database is
    left as the migrations made it, for the tests that run next."""
    from django.test import override_settings

    from tests.e2e.database import TableCopies
    from tests.fast import clear_caches, fast_settings

    # Built before any test's own settings apply: the same fast settings (search index
    # updated at once, mail kept in memory) while it is built.
    with override_settings(**fast_settings(tmp_path_factory.mktemp("e2e-media"))), django_db_blocker.unblock():
        clear_caches()
        as_migrated = TableCopies("e2e_migrated_")
        site = _build_site(live_server)
        as_built = TableCopies("e2e_built_")
    yield site, as_built
    with django_db_blocker.unblock():
        as_built.drop()
        as_migrated.restore()
        as_migrated.drop()


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """Replaces pytest-django's private fixture of the same name for the browser tests.

    pytest-django's asks for `transactional_db` whenever a test uses `live_server`, and
    that empties the database after every test: the shared site would have to be built
    again for each one. Here a test gets database access, and afterwards every table it
    changed is put back as the shared site had it (`tests/e2e/database.py`).
    """
    _, as_built = request.getfixturevalue("_shared_site")
    live_server = request.getfixturevalue("live_server")
    blocker = request.getfixturevalue("django_db_blocker")
    live_server._live_server_modified_settings.enable()
    try:
        with blocker.unblock():
            yield
            as_built.restore()
    finally:
        live_server._live_server_modified_settings.disable()


@pytest.fixture(autouse=True)
def _totp_tolerance(settings):
    """A code from the previous 30-second window is accepted too, so a code typed at the
    very end of its window is not refused: no waiting for the next one. The production
    rule (no tolerance, replays refused) is tested in tests/portal/accounts/test_otp.py."""
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def portal(_shared_site):
    """A small site built for these tests (never the demo content), once for all of them.

    Tests may add what they need (a members' area, accounts, a feedback form) and change
    what is there: after each test the database returns to this site as built. The
    objects here are shared, so a test that changes one changes its own copy
    (`Model.objects.get(pk=...)`), not these.
    """
    site, _ = _shared_site
    return site


# A word longer than any screen is wide, in the members' site's texts.
LONG_WORD = "x" * 257


@pytest.fixture
def members_site(portal):
    """A members' area on the browser tests' site with some of everything, for the tests
    that visit every members' page (`steps.members_pages`, `steps.coordinators_pages`):
    the Cumbria group with its coordinator Ana Reyes (`coordinator`, `secret`), a member
    Sam Jones (`member`, `member_secret`), two members with very long names, a past
    meeting (`meeting`) with an action (`action`) and a coming one, an update (`update`)
    and a document with very long words, trend returns (`own_return` is the coordinator's
    organisation's), a published trend summary with a public copy (`summary`) and a
    pending invitation (`invitation`, `invitation_token`)."""
    from django.utils import timezone

    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    police = OrganisationFactory(name="Cumbria Constabulary", email_domains="cumbria.police.uk")
    user, secret = make_account("ana.reyes@cumbria.police.uk", first_name="Ana", last_name="Reyes")
    make_member(cumbria, organisation=police, user=user, role="coordinator")
    for index, organisation in enumerate(
        ["Cumbria County Council children's social care", "North Cumbria Integrated Care NHS Foundation Trust"]
    ):
        make_member(
            cumbria,
            organisation=OrganisationFactory(name=organisation),
            first_name="Christopher",
            last_name=f"Montgomery-Fotheringham {index}",
            email=f"christopher.montgomery-fotheringham{index}@very-long-organisation-domain.example.org",
        )
    meeting = make_meeting(
        cumbria,
        start=timezone.now() - datetime.timedelta(days=20),
        title="Autumn meeting of the Cumbria working group",
        agenda=[("Trends", f"<p>New approaches {LONG_WORD} through games.</p>")],
        actions=[
            {
                "description": "Share the school leaflet with every designated safeguarding lead",
                "owner_user": user,
                "due_date": timezone.localdate() + datetime.timedelta(20),
            },
        ],
    )
    make_meeting(cumbria, start=timezone.now() + datetime.timedelta(days=9), title="Spring meeting")
    update = make_update(cumbria, author=user, title="New approach on a game chat", body=f"Seen {LONG_WORD} twice.")
    make_document(collection=cumbria.collection, title="Minutes of the autumn meeting", uploaded_by=user)
    for total in (20, 20, 6):
        TrendReturnFactory(
            working_group=cumbria, organisation=OrganisationFactory(), total=total, counts=trend_counts(total)
        )
    own_return = TrendReturnFactory(working_group=cumbria, organisation=police, total=5, counts=trend_counts(5))
    summary = make_trend_summary(cumbria, narrative="<p>More approaches through gaming.</p>", publish_publicly=True)
    member, member_secret = make_account("sam.jones@cumbria.police.uk", first_name="Sam", last_name="Jones")
    make_member(cumbria, organisation=OrganisationFactory(name="Cumbria Fire and Rescue"), user=member)
    invitation, token = invitation_create(
        working_group=cumbria,
        email="alex.smith@cumbria.police.uk",
        organisation=member.memberships.get().organisation,
        role="member",
        invited_by=user,
    )
    return SimpleNamespace(
        group=cumbria,
        coordinator=user,
        secret=secret,
        member=member,
        member_secret=member_secret,
        meeting=meeting,
        action=meeting.actions.get(),
        update=update,
        own_return=own_return,
        summary=summary,
        invitation=invitation,
        invitation_token=token,
    )


def _build_site(live_server):
    home = make_site()
    site = Site.objects.get(is_default_site=True)

    professionals = audience("professionals")
    parents = audience("parents-and-carers")
    children = audience("children-and-young-people")
    sextortion = TopicFactory(name="Sextortion", slug="sextortion")
    reporting = TopicFactory(name="Reporting", slug="reporting")
    wellbeing = TopicFactory(name="Wellbeing", slug="wellbeing")

    ceop = SupportServiceFactory(
        name="CEOP Safety Centre",
        description="Report online sexual abuse to the police.",
        url="https://www.ceop.police.uk/safety-centre/",
    )
    ceop.audiences.set([professionals, parents])
    ceop.topics.set([sextortion, reporting])
    childline = SupportServiceFactory(
        name="Childline",
        description="Free, private help for young people.",
        url="https://www.childline.org.uk/",
        phone="0800 1111",
    )
    childline.audiences.set([children])
    childline.topics.set([wellbeing])

    leaflet = ResourceFactory(
        name="Talking to your child about sextortion",
        description="A leaflet for parents and carers.",
        url="https://leaflets.example.org/talking-to-your-child",
    )
    leaflet.audiences.set([parents])
    leaflet.topics.set([sextortion])
    briefing = ResourceFactory(
        name="Briefing for school staff",
        description="What school staff need to know about reporting.",
        url="https://leaflets.example.org/school-staff",
    )
    briefing.audiences.set([professionals])
    briefing.topics.set([sextortion, reporting])
    poster = ResourceFactory(
        name="Feeling good poster",
        description="A poster for young people about looking after themselves.",
        url="https://leaflets.example.org/poster",
    )
    poster.audiences.set([children])
    poster.topics.set([wellbeing])

    guidance_index = GuidanceIndexPageFactory(
        parent=home,
        slug="guidance",
        title="Guidance",
        introduction="Guidance for professionals, agreed by the working group.",
        show_in_menus=True,
    )
    guidance = GuidancePageFactory(
        parent=guidance_index,
        slug="responding-to-sextortion",
        title="Responding to sextortion",
        summary="How to respond when a child is being blackmailed with nude or semi-nude images.",
        content_owner="Prevention team",
        body=guidance_body([ceop, childline]),
    )
    guidance.audiences.set([professionals, parents])
    guidance.topics.set([sextortion])
    guidance.save()
    parents_guidance = GuidancePageFactory(
        parent=guidance_index,
        slug="supporting-parents",
        title="Supporting parents and carers",
        summary="What to say to a parent or carer whose child is affected.",
    )
    library = ResourceIndexPageFactory(
        parent=home,
        slug="resources",
        title="Support and resources",
        introduction="Services and documents for professionals, parents and young people.",
        show_in_menus=True,
    )
    accessibility = StandardPageFactory(
        parent=home,
        slug="accessibility-statement",
        title="Accessibility statement",
        introduction="How accessible this website is.",
        body=[
            (
                "section",
                {
                    "heading": "Using this website",
                    "content": [("rich_text", "<p>You should be able to zoom in up to 400% without problems.</p>")],
                },
            ),
            (
                "section",
                {
                    "heading": "Reporting problems",
                    "content": [("rich_text", "<p>Email us if you find a problem with this website.</p>")],
                },
            ),
        ],
    )
    safety = StandardPageFactory(
        parent=home, slug="staying-safe-online", title="Staying safe on this site", introduction="Quick exit."
    )

    HomePageFeaturedGuidance.objects.create(home_page=home, page=guidance, sort_order=0)
    HomePageFeaturedGuidance.objects.create(home_page=home, page=parents_guidance, sort_order=1)
    HomePageSupportLink.objects.create(home_page=home, service=childline, sort_order=0)
    HomePageSupportLink.objects.create(home_page=home, service=ceop, sort_order=1)

    settings = PortalSettings.for_site(site)
    settings.quick_exit_url = EXIT_URL
    settings.safety_page = safety
    settings.accessibility_page = accessibility
    settings.save()

    return SimpleNamespace(
        site=site,
        settings=settings,
        home=home,
        guidance_index=guidance_index,
        guidance=guidance,
        parents_guidance=parents_guidance,
        library=library,
        accessibility=accessibility,
        safety=safety,
        services=SimpleNamespace(ceop=ceop, childline=childline),
        resources=SimpleNamespace(leaflet=leaflet, briefing=briefing, poster=poster),
        exit_url=EXIT_URL,
        live_server_url=live_server.url,
    )
