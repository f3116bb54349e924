"""Every page type fits a phone and does not move after it has loaded.

At 320, 390 and 768 px each page must not scroll sideways (the document is no wider than
the window) and must not shift once painted (the layout-shift entries the browser records
sum to 0). The public pages are visited signed out, the members' and account pages
signed in as a coordinator (who sees the most: tracking, the people's roles). The site
is built once per audience; every page at every width is checked and all failures are listed.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.accounts import make_account
from tests.e2e.conftest import _close_page, _open_page
from tests.e2e.steps import sign_in
from tests.factories import (
    FeedbackFormPageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    TrendReturnFactory,
    WorkingGroupPageFactory,
    make_document,
    make_meeting,
    make_member,
    make_trend_summary,
    make_update,
    trend_counts,
)

WIDTHS = (320, 390, 768)
LONG_WORD = "x" * 257

# Counts every layout shift from the first paint on, whether or not it is near an input.
MEASURE_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__layoutShift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""

# The smallest text in the charts as drawn: its font size scaled as the SVG is scaled.
SMALLEST_CHART_TEXT = """
() => Math.min(...[...document.querySelectorAll("svg.portal-chart")].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")].map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
}))
"""


def measure(page, url, width):
    """(document width, window width, total layout shift) of `url` at `width` px."""
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth, window.__layoutShift]")


def check_pages(page, urls):
    problems = []
    for name, url in urls.items():
        for width in WIDTHS:
            scroll_width, inner_width, shift = measure(page, url, width)
            if scroll_width > inner_width:
                problems.append(f"{name} ({url}) at {width} px is {scroll_width} px wide")
            if shift > 0:
                problems.append(f"{name} ({url}) at {width} px shifts after load by {shift:.4f}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def measured_page(browser, live_server, portal):
    context, page = _open_page(browser, live_server)
    context.add_init_script(MEASURE_SHIFTS)
    yield page
    _close_page(context, page)


def members_site(portal):
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
    TrendReturnFactory(working_group=cumbria, organisation=police, total=5, counts=trend_counts(5))
    summary = make_trend_summary(cumbria, narrative="<p>More approaches through gaming.</p>", publish_publicly=True)
    return cumbria, user, secret, meeting, update, meeting.actions.get(), summary


def test_public_pages_fit_every_screen_and_do_not_move(measured_page, portal):
    feedback = FeedbackFormPageFactory(parent=portal.home, slug="feedback", title="Send feedback")
    area = MembersAreaIndexPageFactory(parent=portal.home)
    cumbria = WorkingGroupPageFactory(parent=area, region="cumbria", title="Cumbria working group")
    for total in (20, 20, 6):
        TrendReturnFactory(
            working_group=cumbria, organisation=OrganisationFactory(), total=total, counts=trend_counts(total)
        )
    summary = make_trend_summary(cumbria, narrative="<p>More approaches through gaming.</p>", publish_publicly=True)
    page = measured_page
    detail = f"/trends/cumbria/{summary.year}-q{summary.quarter}/"

    check_pages(
        page,
        {
            "home": portal.home.url,
            "guidance index": portal.guidance_index.url,
            "guidance page": portal.guidance.url,
            "resources": portal.library.url,
            "search": "/search/?query=sextortion",
            "feedback": feedback.url,
            "safety": portal.safety.url,
            "standard page": portal.accessibility.url,
            "trends list": "/trends/",
            "trends detail": detail,
            "sign in": "/accounts/login/",
        },
    )

    # The search box stays usable beside its button; chart labels stay readable.
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for url in (portal.home.url, "/search/"):
            page.goto(url)
            box = page.get_by_role("search").get_by_role("searchbox").bounding_box()
            assert box["width"] >= 150, f"the search box on {url} is {box['width']} px wide at {width} px"
        page.goto(detail)
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        assert smallest >= 11, f"chart text is {smallest:.1f} px at {width} px"


def test_members_pages_fit_every_screen_and_do_not_move(measured_page, portal):
    # Addresses written out rather than reversed: they are what a person bookmarks.
    cumbria, user, secret, meeting, update, action, summary = members_site(portal)
    page = measured_page
    sign_in(page, user, secret)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    base = f"/members/{cumbria.slug}"
    page.goto(f"{base}/returns/")
    own_return = page.locator(f"main a[href^='{base}/returns/']").filter(has_text="View").first
    urls = {
        "dashboard": "/members/",
        "group page": cumbria.url,
        "meetings index": f"{base}/meetings/",
        "meeting calendar": f"{base}/meetings/calendar/",
        "meeting page": meeting.url,
        "action page": f"{base}/actions/{action.pk}/",
        "updates feed": f"{base}/updates/",
        "update page": f"{base}/updates/{update.pk}/",
        "new update": f"{base}/updates/new/",
        "documents": f"{base}/documents/",
        "people": f"{base}/people/",
        "returns list": f"{base}/returns/",
        "return form": f"{base}/returns/new/",
        "returns tracking": f"{base}/returns/tracking/",
        "summaries": f"{base}/summaries/",
        "summary page": summary.url,
        "notifications": "/members/notifications/",
        "invitations": f"/members/{cumbria.slug}/invitations/",
        "your account": "/accounts/",
        "two-factor": "/accounts/2fa/",
        "password": "/accounts/password/change/",
        "sessions": "/accounts/sessions/",
        "email": "/accounts/email/",
        "sign out": "/accounts/logout/",
    }
    if own_return.count():
        urls["return page"] = own_return.get_attribute("href")
    check_pages(page, urls)
