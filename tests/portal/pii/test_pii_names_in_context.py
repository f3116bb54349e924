"""The personal-data screen finds names, schools and references by the words around them, and by
fuller name lists, without refusing ordinary professional text."""

import ast
import inspect
from datetime import date

import pytest

from portal import pii
from portal.pii import find_personal_data, first_names, fold, surnames


def kinds(text):
    return [finding.kind for finding in find_personal_data(text, today=date(2026, 11, 1))]


def test_names_are_compared_without_accents():
    assert fold("Zoë") == "zoe"
    assert fold("Łukasz") == "lukasz"
    assert fold("Siobhán") == "siobhan"
    assert fold("Bjørn") == "bjorn"


def test_the_generated_lists_are_read_from_data_files_not_from_faker():
    assert len(first_names()) >= 10_000
    assert len(surnames()) >= 10_000
    tree = ast.parse(inspect.getsource(pii))
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    imported = {alias.name for node in imports for alias in node.names}
    imported |= {node.module or "" for node in imports if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "faker" for name in imported)
    header = (pii.DATA / "first_names_more.txt").read_text(encoding="utf-8").splitlines()[:3]
    assert any("Faker" in line and "MIT" in line for line in header)


@pytest.mark.parametrize(
    "text",
    [
        "Zoë told her form tutor about the threats.",
        "Łukasz and his brother were both contacted.",
        "Chidinma has been supported by the school nurse.",
        "Her older brother Kyrese found the messages.",
        "my girlfriend Destiny got the same message",
        "His stepdad, Darren, called the police.",
        "Uncle Dev collects him from school.",
        "Kayden-Lee (14) moved to a private chat.",
        "Bartosz, 15, told the youth worker.",
        "Jaxon (Year 8) has been off school.",
        "His name is Tyriq and he won't say more.",
        "Everyone calls her Bubbles.",
        "The Okonkwos asked for an interpreter.",
        "Send the leaflet to J. Adeyemi before the visit.",
        "Tiyana Okonkwo reported the profile.",
        "Oluwadamilare's mum rang the school.",
        "Emeka said the account claimed to be a girl.",
        "I spoke to Grace about the messages.",
        "The youth worker told Summer that the police would not judge her.",
    ],
)
def test_finds_names_by_fuller_lists_and_the_words_around_them(text):
    assert kinds(text) == ["name"]


@pytest.mark.parametrize(
    "text",
    [
        "A Year 10 pupil at St Bede's was targeted.",
        "my son goes to beckstone primary and a boy is sharing his picture",
        "Staff at Castlegate High raised concerns.",
        "Two girls from Park View School were added to the group.",
        "The DSL at Oak Tree Primary reported it.",
        "Offer Marsden Comprehensive the same assembly.",
        "my daughter is at Brantholme Sixth Form and a boy keeps messaging her",
        "He is in Year 11 at Castlegate high school and won't go in.",
        "she goes to st wilfrid's and the messages started after a party",
    ],
)
def test_finds_schools_named_by_place_words_in_lower_case_or_by_a_saint(text):
    assert kinds(text) == ["school"]


@pytest.mark.parametrize(
    "text",
    [
        "The police gave the family CAD2231 as the reference.",
        "Crime ref 2026/NE/118734 has been linked.",
        "Referral ID CS.2026.0441 was passed on.",
        "Add LADO ref 4471/26 to the chronology.",
    ],
)
def test_finds_references_with_letters_inside_or_written_against_their_word(text):
    assert kinds(text) == ["case_reference"]


@pytest.mark.parametrize(
    "text",
    [
        "Carlisle (14), Allerdale (9), Copeland (6) and Eden (3) were the highest.",
        "Durham, 12; Darlington, 7; Hartlepool, 5: figures for the quarter.",
        "Our partner Ofsted asked for the summary.",
        "The child Protection Conference chair asked for the reports early.",
        "Leeds Beckett University will evaluate the pilot.",
        "Storm Darragh closed the A66 on 7 December.",
        "Ransom demands ranged from £50 to £2,500.",
        "The tool known as Report Remove is run by Childline.",
        "Castle Park and Hope Park host the summer events.",
        "Riverside Academy Trust leads asked for the slides.",
        "High Street shops will display the posters.",
        "A record 1204 referrals reached the MASH in October.",
        "Reference 14.2 in the audit tool covers online harms.",
        "CAD response times improved to 92% in Q3-2026.",
        "The referral pathway v2.3.1 replaces the 2024 version.",
        "St Mary's Hospital SARC is open for referrals.",
        "Goes to show how much the campaign matters.",
        "We spoke to Hope Street Youth Centre about using their hall.",
        "The group asked Amber Valley council for its figures.",
        "Most cases came from a Carlisle school and a Kendal academy this term.",
        "Ofsted school inspections now ask about online safety culture.",
        "Year 12 Sixth Form students ran the peer-education stall.",
    ],
)
def test_lets_places_agencies_headings_and_statistics_through(text):
    assert kinds(text) == []
