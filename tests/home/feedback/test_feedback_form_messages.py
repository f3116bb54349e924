"""The feedback form names each field it needs, with the error summary directly under the
heading, and a select starts empty rather than on its first answer."""

import pytest

from tests.html import soup

pytestmark = pytest.mark.django_db


def test_an_empty_form_names_each_missing_answer_above_everything_else(client, feedback_page):
    response = client.post(feedback_page.url, {})
    page = soup(response)
    main = page.find("main")

    summary = main.find(class_="govuk-error-summary")
    assert summary is not None
    items = [" ".join(item.get_text().split()) for item in summary.select(".govuk-error-summary__list li")]
    assert "Enter your message" in items
    assert "Select an answer to \u201cWhat is your feedback about?\u201d" in items
    assert "This field is required." not in main.get_text()
    # Directly under the heading, which stays the page's first, and before the warnings.
    assert main.find(["h1", "h2"]).name == "h1"
    first = main.find(class_=["govuk-error-summary", "govuk-warning-text", "govuk-inset-text"])
    assert "govuk-error-summary" in first["class"]
    assert len(main.find_all(class_="govuk-error-summary")) == 1


def test_the_region_starts_on_an_empty_choice(client, feedback_page):
    select = soup(client.get(feedback_page.url)).find("select")
    label = soup(client.get(feedback_page.url)).find("label", attrs={"for": select["id"]})
    assert label.get_text(strip=True) == "Your region"
    options = select.find_all("option")
    assert options[0]["value"] == ""
    assert options[0].get_text() == "Select your region"
    assert options[0].has_attr("selected") or not any(option.has_attr("selected") for option in options[1:])
