"""Trend return rules: whole numbers from 0, each breakdown adds up to the total (and the
error names it), "what followed" at most the total, no future quarters; through the
service and through the form as a member sees it."""

import datetime

import pytest
import time_machine

from django.core.exceptions import ValidationError

from groups.trends.categories import BREAKDOWNS, CATEGORY_KEYS
from groups.trends.forms import TrendReturnForm
from groups.trends.quarters import Quarter, reporting_quarter
from groups.trends.services import trend_return_submit
from groups.trends.validation import MAX_COUNT
from tests.factories import with_authenticator
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db


def balanced(total=12):
    """Counts that fit `total`: everything in each breakdown's first category."""
    counts = dict.fromkeys(CATEGORY_KEYS, 0)
    for breakdown in BREAKDOWNS:
        counts[breakdown.keys[0]] = total if breakdown.partition else min(total, 3)
    return counts


def submit(group, organisation, user, **overrides):
    arguments = {"quarter": reporting_quarter(), "total": 12, "counts": balanced(12), "note": ""} | overrides
    return trend_return_submit(group=group, organisation=organisation, submitted_by=user, **arguments)


def test_a_balanced_return_is_stored_with_every_category(cumbria, police, member):
    trend_return = submit(cumbria, police, member)
    assert trend_return.total == 12
    assert trend_return.counts.count() == len(CATEGORY_KEYS)
    assert trend_return.counts_by_key() == balanced(12)


@pytest.mark.parametrize("breakdown", [b for b in BREAKDOWNS if b.partition], ids=lambda b: b.key)
def test_each_partition_must_add_up_and_the_error_names_it(cumbria, police, member, breakdown):
    counts = balanced(14)
    counts[breakdown.keys[0]] = 12
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, total=14, counts=counts)
    assert error.value.message_dict == {
        breakdown.key: [f"{breakdown.plural} add up to 12, but you said 14 children were identified"]
    }


def test_the_age_band_message_reads_as_agreed(cumbria, police, member):
    counts = balanced(14)
    counts["age_under_11"] = 12
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, total=14, counts=counts)
    assert error.value.messages == ["Age bands add up to 12, but you said 14 children were identified"]


def test_what_followed_counts_are_each_at_most_the_total_not_a_partition(cumbria, police, member):
    counts = balanced(5) | {"followed_police": 5, "followed_mental_health": 5, "followed_report_remove": 5}
    assert submit(cumbria, police, member, total=5, counts=counts).total == 5  # 15 > 5 in all: fine
    counts["followed_suicide_prevention"] = 6
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, total=5, counts=counts)
    [message] = error.value.message_dict["followed"]
    assert "What followed" in message and "suicide prevention plan in place" in message


@pytest.mark.parametrize("value", [-1, 1.5, "3", None, True, MAX_COUNT + 1, 10**30])
def test_numbers_are_whole_numbers_from_0_within_reason(cumbria, police, member, value):
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, counts=balanced(12) | {"age_under_11": value})
    assert "age_under_11" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, total=value)
    assert "total" in error.value.message_dict


def test_unknown_categories_are_refused(cumbria, police, member):
    with pytest.raises(ValidationError):
        submit(cumbria, police, member, counts=balanced(12) | {"age_99": 1})


def test_a_zero_return_is_allowed(cumbria, police, member):
    assert submit(cumbria, police, member, total=0, counts={}).total == 0


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("quarter", [Quarter(2026, 2), Quarter(2026, 3), Quarter(2027, 1), Quarter(2019, 4)])
def test_no_returns_for_quarters_that_have_not_ended_or_before_2020(cumbria, police, member, quarter):
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, quarter=quarter)
    assert list(error.value.message_dict) == ["quarter"]


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_the_reporting_quarter_is_the_latest_ended_and_its_deadline_a_setting(settings):
    assert reporting_quarter() == Quarter(2026, 1)
    assert reporting_quarter().deadline == datetime.date(2026, 4, 30)
    settings.TREND_RETURN_DEADLINE_DAYS = 45
    assert Quarter(2026, 1).deadline == datetime.date(2026, 5, 15)
    assert Quarter(2025, 4).label == "October to December 2025"


def test_the_note_is_limited_in_length(cumbria, police, member):
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, note="x" * 1001)
    assert "note" in error.value.message_dict


def test_only_organisations_with_active_members_in_the_group(cumbria, yorkshire, police, member):
    with pytest.raises(ValidationError) as error:
        submit(yorkshire, police, member)
    assert "organisation" in error.value.message_dict


# The form, as a member fills it in


def form_data(total="12", **values):
    data = {"quarter": reporting_quarter().code, "total": total}
    data.update({key: str(value) for key, value in balanced(int(total) if total.isdigit() else 0).items()})
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "Age band, under 11 must be 0 or more"),
        ("2.5", "Age band, under 11 must be a whole number, like 0 or 12"),
        ("twelve", "Age band, under 11 must be a whole number, like 0 or 12"),
        ("99999999999999999999", "Age band, under 11 must be 100,000 or less"),
    ],
)
def test_the_form_names_the_field_in_each_number_error(value, message):
    form = TrendReturnForm(data=form_data(age_under_11=value))
    assert not form.is_valid()
    assert form.errors["age_under_11"] == [message]


def test_blank_counts_mean_none_but_the_total_is_required():
    form = TrendReturnForm(data={"quarter": reporting_quarter().code, "total": "0"})
    assert form.is_valid(), form.errors
    assert set(form.counts.values()) == {0}
    form = TrendReturnForm(data={"quarter": reporting_quarter().code, "total": ""})
    assert form.errors["total"] == ["Enter the number of children identified"]


@pytest.mark.parametrize("quarter", ["2099-Q1", "not a quarter", "2019-Q4", ""])
def test_the_form_refuses_future_and_malformed_quarters(quarter):
    form = TrendReturnForm(data=form_data(quarter=quarter))
    assert not form.is_valid()
    assert "quarter" in form.errors


def test_errors_are_summarised_with_links_and_what_was_typed_is_kept(client, cumbria, police, member):
    with_authenticator(member)
    client.force_login(member)
    data = form_data(total="14", age_under_11="12", gender_boys="abc", note="Approaches through a new game")
    response = client.post("/members/cumbria/returns/new/", data)
    assert response.status_code == 200
    page = soup(response)
    summary = page.select(".govuk-error-summary__list a")
    links = {a.get_text(strip=True): a["href"] for a in summary}
    assert links["Age bands add up to 12, but you said 14 children were identified"] == "#id_age_under_11"
    assert links["Gender, boys and young men must be a whole number, like 0 or 12"] == "#id_gender_boys"
    assert page.find("input", {"name": "gender_boys"})["value"] == "abc"
    assert page.find("input", {"name": "age_under_11"})["value"] == "12"
    assert "Approaches through a new game" in page.find("textarea", {"name": "note"}).get_text()
    assert page.find("title").get_text().startswith("Error:")
    # each breakdown is a fieldset with its legend
    legends = [legend.get_text(strip=True) for legend in page.select("fieldset legend")]
    assert legends == [breakdown.label for breakdown in BREAKDOWNS]
    assert "Error: Age bands add up to 12" in main_text(response)


@pytest.mark.parametrize(
    "note",
    [
        "Contact the family on 07700 900123 about the case",
        "Boy at the school, email him at sam.jones@example.com",
        "Mrs Patterson reported a new account",
    ],
)
def test_the_note_is_screened_for_personal_data_and_not_stored(client, cumbria, police, member, note):
    with pytest.raises(ValidationError) as error:
        submit(cumbria, police, member, note=note)
    assert list(error.value.message_dict) == ["note"]
    with_authenticator(member)
    client.force_login(member)
    response = client.post("/members/cumbria/returns/new/", form_data(note=note))
    assert response.status_code == 200
    [message] = [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary__list a")]
    assert "07700" not in message and "sam.jones" not in message and "Patterson" not in message
    from groups.models import TrendReturn

    assert not TrendReturn.objects.exists()


def test_a_general_note_on_tactics_is_accepted(cumbria, police, member):
    note = (
        "More approaches through gaming platforms, moving quickly to encrypted messaging apps; demands of £50 to £100."
    )
    assert submit(cumbria, police, member, note=note).note == note
