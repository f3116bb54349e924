"""The personal-data screen: what it finds, what it lets through, and how it refuses."""

import logging
from datetime import date

import pytest

from django import forms
from django.core.exceptions import ValidationError

from portal.pii import (
    Finding,
    describe_findings,
    find_personal_data,
    nhs_number_is_valid,
    normalise,
    validate_no_personal_data,
)

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


# --- text as pasted from Word or a phone -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He texted from 07700\u00a0900\u00a0123.", ["phone"]),  # non-breaking spaces
        ("He texted from 07700\u202f900\u2009123.", ["phone"]),  # narrow and thin spaces
        ("He texted from 07700\t900\t123.", ["phone"]),
        ("He texted from 07700\u2013900\u2013123.", ["phone"]),  # en dashes
        ("He texted from 07700\u2014900\u2212123.", ["phone"]),  # em dash, minus
        ("He texted from 07700\u2011900\u2012123.", ["phone"]),  # non-breaking hyphen, figure dash
        ("He texted from 0770\u200b0 900\u200c123.", ["phone"]),  # zero-width space and non-joiner
        ("He texted from 07700\u2060900\ufeff123\u00ad.", ["phone"]),  # word joiner, BOM, soft hyphen
        ("He texted from \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13.", ["phone"]),
        ("Lives at \uff23\uff21\uff11 \uff11\uff21\uff21", ["postcode"]),  # full-width letters
        ("\u041eliver has been off school", ["name"]),  # Cyrillic capital O
        ("Gr\u0430ce Th\u043emps\u043en is 13", ["name"]),  # Cyrillic a, o
        ("S\u03bfphie was targeted", ["name"]),  # Greek omicron
        ("Her Snapchat is @b\u0435x_x\u043e12", ["social_media"]),
        ("Ch\u200bloe has been crying every night", ["name"]),
        ("Email jo.bloggs@ex\u0430mple.com", ["email"]),  # a Cyrillic a in the domain
        ("aged 14, 3rd May \u201912", ["date_of_birth"]),  # a right single quote for the apostrophe
    ],
)
def test_finds_personal_data_in_pasted_text(text, expected):
    assert kinds(text) == expected


def test_normalise_folds_spaces_dashes_zero_widths_and_look_alikes():
    assert normalise("a\u00a0b\u202fc\u2009d\te") == "a b c d e"
    assert normalise("1\u20132\u20143\u22124\u20115\u20126") == "1-2-3-4-5-6"
    assert normalise("Gr\u200ba\u200cc\u200de\u2060\ufeff\u00ad") == "Grace"
    assert normalise("\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501") == "aeopcyxijsd"
    assert normalise("\u03bf\u03b1\u03b5\u03b9\u03ba\u03bd\u03c1\u03c4\u03c5\u03c7") == "oaeikvptux"
    assert normalise("\uff10\uff17\uff21") == "07A"
    assert normalise("line one\n\nline two") == "line one\n\nline two"  # paragraphs survive


# --- the kinds people really type -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police attended 14 Ashgrove Terrace, Workington", ["address"]),
        ("Moved to Flat 3, Beacon House, Kingsway", ["address"]),
        ("He lives at 3a Front St, Consett", ["address"]),
        ("we live at 23 brampton lane now", ["address"]),
        ("Apartment 12 Harbour View was searched", ["address"]),
        ("A Year 9 girl at St Aidan's Catholic Academy", ["school"]),
        ("Boys from Dyke House Sports and Technology College", ["school"]),
        ("The DSL from Beckstone Primary rang", ["school"]),
        ("My son is at Harrowfell Academy", ["school"]),
        ("Staff at Elmsworth Grammar noticed", ["school"]),
        ("Stanholme Infant School asked for the assembly", ["school"]),
        ("Wastwater School's pastoral lead rang", ["school"]),
        ("crime number NE/2026/118734", ["case_reference"]),
        ("Officers attended, CAD 2231 of 14/05", ["case_reference"]),
        ("MASH referral MR-2026-04471", ["case_reference"]),
        ("LCS ID 1234567", ["case_reference"]),
        ("Mosaic ID is 884213", ["case_reference"]),
        ("Incident number 4471 of 02/06", ["case_reference"]),
        ("Log 1187 of 21/09", ["case_reference"]),
        ("occurrence no. 31/99812/26", ["case_reference"]),
        ("The car was YK19 ABX", ["vehicle_registration"]),
        ("a black BMW, reg p123 abc", ["vehicle_registration"]),
        ("Taxi with plate ABC 123D", ["vehicle_registration"]),
        ("a blue Golf (reg mx18 zbn)", ["vehicle_registration"]),
        ("his Snapchat is jordy_x2010", ["social_media"]),
        ("found her on TikTok as lil.missy.kay", ["social_media"]),
        ("Xbox gamertag DarkWolf7743", ["social_media"]),
        ("Discord user tomw#4821", ["social_media"]),
        ("On Roblox he uses the username SkyBlox_99", ["social_media"]),
        ("PSN ID ghost.rider.77", ["social_media"]),
        ("Instagram account maddiexo.2011", ["social_media"]),
        ("a Telegram user called k1ng_ty", ["social_media"]),
        ("messaged by ghost_kid2010 on Snapchat", ["social_media"]),
        ("0 7 7 0 0 9 0 0 4 5 6", ["phone"]),
        ("a Nigerian number, +234 803 123 4567", ["phone"]),
        ("+33 6 12 34 56 78", ["phone"]),
        ("+1 (202) 555-0143", ["phone"]),
        ("(+44) 7700 900123", ["phone"]),
        ("born on the third of May", ["date_of_birth"]),
        ("date of birth: the twenty-first of June", ["date_of_birth"]),
        ("Born March the ninth, 2012", ["date_of_birth"]),
        ("Aaliyah has not been in school", ["name"]),
        ("Oluwaseun was approached", ["name"]),
        ("known to his friends as Tiny", ["name"]),
        ("He goes by Dizzy online", ["name"]),
        ("A lad called Tank is recruiting", ["name"]),
        ("The older male calls himself Smokey", ["name"]),
        ("The Nguyen family asked for an interpreter.", ["name"]),
        ("street name Snowy", ["name"]),
        ("write to kd dot smith at hotmail dot com", ["email"]),
        ("jo.bloggs (at) example (dot) org", ["email"]),
        ("He gave the number as O77OO 9OO 123", ["phone"]),
        ("dob 3/4 according to mum", ["date_of_birth"]),
        ("incident 123 of 3rd June", ["case_reference"]),
        ("Occurrence 26*123456 was raised", ["case_reference"]),
        ("add me on snap bex_xo12", ["social_media"]),
        ("The account is instagram.com/add", ["social_media"]),  # a user called "add", not snapchat.com/add/...
        ("Sacred Heart RC Primary asked for the assembly", ["school"]),
        ("Holy Trinity CE Academy", ["school"]),
    ],
)
def test_finds_the_kinds_people_really_type(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Grace period for late returns; Amber warning for snow on Thursday.",
        "Next session at Hope Street Youth Centre, 6pm.",
        "Committee Room 2, Civic Centre, Carlisle; Meeting Room 4, County Hall, Durham.",
        "The community hub on Church Street hosts drop-ins; roadworks on Warwick Road.",
        "Childline 0800 1111, NSPCC 0808 800 5000, 101, 999, Samaritans 116 123.",
        "Q3 2026 figures; Working Together 2023; KCSIE 2025; Section 47 and Section 17.",
        "Snapchat is the most common platform, then Instagram and TikTok.",
        "TikTok as a platform; Roblox, Fortnite and Discord; Xbox and PlayStation controls.",
        "Cases by platform: Snapchat 9, Instagram 6, TikTok 3, Discord 2.",
        "A secondary school asked for the schools pack; the school will run a session.",
        "Primary schools reported fewer cases than Secondary School DSLs expected.",
        "Grace Academy, the Virtual School Head and Forest School staff.",
        "Free School Meals; Multi Academy Trust leads; College of Policing; Primary Care Network.",
        "MASH referrals rose; Mosaic and LCS will be replaced in 2027; the CAD outage.",
        "The crime number goes in the police system, never in this portal.",
        "Item 3: Q4 2025/26 trend return; version 2.1 of the toolkit; Appendix 4.",
        "The M6 closure between J40 and J44; the number 62 bus.",
        "The tool known as Report Remove; a process called Early Help.",
        "Third of May meeting cancelled; the next is on the twenty-first of June.",
        "Statistics: 14 referrals, 9 boys aged 14-17, median age 15, 87.5% on time.",
        "A snap decision; the crisis line is open 24/7; the O2 shop; Room 1O1.",
        "We met at gmail HQ; the outlook is good; Trinity term; Sacred Heart Hospital.",
        "Cases rose in 3 Lancashire Road Safety areas.",
    ],
)
def test_lets_everyday_professional_text_through(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Police attended 14 Ashgrove Terrace", "a street address"),
        ("A girl at St Aidan's Catholic Academy", "the name of a school"),
        ("crime number NE/2026/118734", "a police or case reference number"),
        ("The car was YK19 ABX", "a vehicle registration"),
    ],
)
def test_the_refusal_names_the_new_kinds_and_never_the_value(text, label):
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    message = " ".join(refused.value.messages)
    assert label in message
    for value in ("Ashgrove", "Aidan", "118734", "YK19"):
        assert value not in message
