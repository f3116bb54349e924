"""The personal-data screen: what it finds, what it lets through, and how it refuses."""

import logging
from datetime import date

import pytest

from django import forms
from django.core.exceptions import ValidationError

from portal.pii import Finding, describe_findings, find_personal_data, nhs_number_is_valid, validate_no_personal_data

TODAY = date(2026, 11, 1)


def kinds(text):
    return [finding.kind for finding in find_personal_data(text, today=TODAY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her mum emailed from jo.bloggs@example.com last night.", ["email"]),
        ("Contact: A.N.Other+school@mail.example.co.uk", ["email"]),
        ("He texted from 07700 900123 several times.", ["phone"]),
        ("Mobile +44 7700 900 123", ["phone"]),
        ("Mobile +44 (0)7700-900-123", ["phone"]),
        ("Landline (01632) 960 001 at home", ["phone"]),
        ("Ring 020 7946 0018 for the family", ["phone"]),
        ("Number 0113.496.0000", ["phone"]),
        ("Lives at CA1 1AA", ["postcode"]),
        ("postcode ca11aa", ["postcode"]),
        ("near SW1A 1AA", ["postcode"]),
        ("NE1 4ST, close to the school", ["postcode"]),
        ("NHS no. 943 476 5919", ["nhs_number"]),
        ("NHS 9434765919", ["nhs_number"]),
        ("NHS 943-476-5919", ["nhs_number"]),
        ("Reach me at pat@example.org or 07700 900456, CA2 7NP", ["email", "phone", "postcode"]),
        ("Email jo@example.com (an email, not a handle)", ["email"]),
        ("DOB 12/03/2011", ["date_of_birth"]),
        ("D.O.B. 12.03.11", ["date_of_birth"]),
        ("She was born on 12 March 2011.", ["date_of_birth"]),
        ("March 12th 2011 (date of birth)", ["date_of_birth"]),
        ("aged 15, 2011-03-12", ["date_of_birth"]),
        ("Her birthday is the 3rd of June and the offender knew it", ["date_of_birth"]),
        ("Her Snapchat is @bex_xo12", ["social_media"]),
        ("The account is instagram.com/jamie.k", ["social_media"]),
        ("See https://www.tiktok.com/@skater_kid?lang=en", ["social_media"]),
        ("snapchat.com/add/jamiek", ["social_media"]),
        ("Mrs Thompson called", ["name"]),
        ("Spoke to Mr O'Brien", ["name"]),
        ("the Henderson family asked for a visit", ["name"]),
        ("Oliver has been off school", ["name"]),
        ("we think ethan was targeted", ["name"]),
        ("A girl called Grace told her tutor", ["name"]),
        ("Grace Thompson is 13", ["name"]),
        ("Hope's mum rang", ["name"]),
        ("May's mum rang", ["name"]),
        ("Amelia-Rose started at the PRU", ["name"]),
        (
            "Sophie (DOB 03/04/2012) lives at CA3 9QD, mum on 07700 900 555, @soph_x, sophie@example.com",
            ["email", "phone", "postcode", "date_of_birth", "social_media", "name"],
        ),
    ],
)
def test_finds_personal_data(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A 14-year-old boy was approached on a gaming platform and moved to a messaging app.",
        "Call 999 in an emergency, 101 otherwise; NHS 111 for health advice.",
        "Samaritans 116 123 and Childline 0800 1111 are open all day.",
        "The NSPCC helpline is 0808 800 5000.",
        "Professionals Online Safety Helpline: 0344 381 4772.",
        "Report to CEOP at www.ceop.police.uk or use Report Remove.",
        "Meeting on 12.03.2026 at 2pm; the M6 2AM closure delayed people.",
        "Actions A6 2nd item and Q3 2AB review.",
        "NHS number 943 476 5918 fails its checksum so it is not one.",
        "Ransom demands rose from 50 to 2500 pounds this quarter.",
        "The meeting on 12 March 2026 discussed a 14-year-old boy.",
        "Born in Carlisle. The meeting on 12/03/2026 agreed the plan.",
        "Next meeting January 10, 2026 at 10:30.",
        "Follow @NSPCC and @Childline; see tiktok.com/safety and discord.gg/abcd.",
        "Will the group meet in May?",
        "Grace periods end in June.",
        "Jack up the priority; Mark the date; Hope to see you.",
        "May's figures were lower than April's.",
        "Lucy Faithfull Foundation, Marie Collins Foundation and the Anna Freud Centre.",
        "Royal Victoria Infirmary and St Mary's SARC joined.",
        "Hope Street youth centre and Grace Academy hosted sessions.",
        "MASTER CLASS for DSLs; OLIVER is the name of the database.",
    ],
)
def test_lets_professional_notes_through(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9999999999", True),  # check digit 0 after 11 - 0
        ("9434765918", False),
        ("1234567881", True),
        ("1234567890", False),  # remainder gives check 10: never issued
        ("943476591", False),
        ("94347659x9", False),
    ],
)
def test_nhs_number_checksum(digits, valid):
    assert nhs_number_is_valid(digits) is valid


def test_findings_never_carry_the_text():
    (finding,) = find_personal_data("jo.bloggs@example.com")
    assert finding == Finding("email", "an email address")
    assert "bloggs" not in repr(finding)


def test_describe_findings_reads_as_a_sentence():
    email, phone, postcode = find_personal_data("a@example.com 07700 900123 CA1 1AA")
    assert describe_findings([]) == ""
    assert describe_findings([email]) == "an email address"
    assert describe_findings([email, phone]) == "an email address and a phone number"
    assert describe_findings([email, phone, postcode]) == "an email address, a phone number and a postcode"


def test_validator_names_what_looked_personal_and_never_repeats_it():
    text = "Mum is on 07700 900123, email jo.bloggs@example.com"
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    error = refused.value
    assert error.code == "personal_data"
    message = " ".join(error.messages)
    assert "an email address and a phone number" in message
    assert "identify a child or family" in message
    assert "remove" in message
    assert "07700" not in message
    assert "bloggs" not in message
    assert "example.com" not in message


def test_validator_accepts_clean_and_empty_text():
    validate_no_personal_data("Approaches through gaming platforms rose this quarter.")
    validate_no_personal_data("")
    validate_no_personal_data(None)


class NoteForm(forms.Form):
    note = forms.CharField(validators=[validate_no_personal_data])


def test_a_refusal_logs_nothing(caplog):
    caplog.set_level(logging.DEBUG)
    form = NoteForm(data={"note": "Call her on 07700 900123 please"})
    assert not form.is_valid()
    assert form.errors.as_data()["note"][0].code == "personal_data"
    assert "07700" not in str(form.errors)
    assert caplog.records == []
