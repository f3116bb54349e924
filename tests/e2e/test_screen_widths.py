"""Every page type fits a phone and does not move after it has loaded.

At 320, 390 and 768 px each page must not scroll sideways (the document is no wider than
the window) and must not shift once painted (the layout-shift entries the browser records
sum to 0). The public pages are visited signed out, the members' and account pages
signed in as a coordinator (who sees the most: tracking, the people's roles). The site
is built once per audience; every page at every width is checked and all failures are listed.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _close_page, _open_page
from tests.e2e.steps import coordinators_pages, members_pages, sign_in
from tests.factories import (
    FeedbackFormPageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    TrendReturnFactory,
    WorkingGroupPageFactory,
    make_trend_summary,
    trend_counts,
)

WIDTHS = (320, 390, 768)

# Counts every layout shift from the first paint on, whether or not it is near an input.
MEASURE_SHIFTS = """
window.__layoutShift = 0;
window.__layoutShifts = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__layoutShift += entry.value;
});
window.__layoutShifts.observe({ type: "layout-shift", buffered: true });
"""

# Once the page has loaded (the portal loads no web fonts, and fetches nothing after
# loading): when the fonts are ready and two more frames have started, the first frame
# after loading has been laid out and painted, so any shift in it has been recorded; the
# shifts not yet handed to the observer are taken from it. Then the widths and the total.
SETTLED_MEASUREMENTS = """
async () => {
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (const entry of window.__layoutShifts.takeRecords()) window.__layoutShift += entry.value;
  return [document.documentElement.scrollWidth, window.innerWidth, window.__layoutShift];
}
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
    return page.evaluate(SETTLED_MEASUREMENTS)


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


def test_members_pages_fit_every_screen_and_do_not_move(measured_page, members_site):
    page = measured_page
    sign_in(page, members_site.coordinator, members_site.secret)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    coordinators = coordinators_pages(members_site)
    urls = {
        **members_pages(members_site),
        **{name: coordinators[name] for name in ("returns tracking", "invitations", "return page")},
    }
    check_pages(page, urls)
