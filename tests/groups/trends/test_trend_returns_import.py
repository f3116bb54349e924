"""Bulk import of trend returns by coordinators: the template (CSV and XLSX, safe to
open in a spreadsheet), row-by-row validation with every error reported, nothing
half-imported, and files checked by content, not by name (security row I05)."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from groups.models import TrendReturn
from groups.trends import services as trend_import
from groups.trends.quarters import reporting_quarter
from tests.factories import OrganisationFactory, TrendReturnFactory, make_member
from tests.factories import import_rows_filled as filled
from tests.html import main_text, soup

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example","Click")'
URL = "/members/cumbria/returns/import/"


@pytest.fixture
def coordinator(client, cumbria, police):
    user = make_member(cumbria, role="coordinator", organisation=police)
    make_member(cumbria, organisation=OrganisationFactory(name="Cumbria County Council"))
    client.force_login(user)
    return user


def template_csv(client):
    response = client.get(URL + "template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(rows, name="returns.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def as_xlsx(rows, name="returns.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append([int(c) if str(c).isdigit() else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def errors_table(response):
    table = soup(response).find("table", id="import-errors")
    if table is None:
        return []
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def test_the_csv_template_lists_the_groups_organisations_for_the_reporting_quarter(client, coordinator):
    rows = template_csv(client)
    assert rows[0][:3] == ["Organisation", "Quarter", "Children and young people identified"]
    assert "Age band: under 11" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == ["Cumbria Constabulary", "Cumbria County Council"]
    assert {row[1] for row in rows[1:]} == {reporting_quarter().code}


def test_template_cells_cannot_run_formulas(client, cumbria, coordinator):
    make_member(cumbria, organisation=OrganisationFactory(name=FORMULA))
    rows = template_csv(client)
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    response = client.get(URL + "template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'" + FORMULA in [cell.value for cell in cells]


def test_an_unknown_template_format_is_404(client, coordinator):
    assert client.get(URL + "template.exe").status_code == 404


@pytest.mark.parametrize("make_file", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_a_good_file_imports_every_row(client, cumbria, police, coordinator, make_file):
    TrendReturnFactory(working_group=cumbria, organisation=police)
    rows = filled(template_csv(client), total=3)
    response = client.post(URL, {"file": make_file(rows)})
    assert response.status_code == 302, errors_table(response) or main_text(response)
    assert response["Location"] == "/members/cumbria/returns/tracking/"
    current = TrendReturn.objects.current().for_quarter(reporting_quarter())
    assert current.count() == 2
    assert {r.total for r in current} == {3}
    assert {r.submitted_by for r in current} == {coordinator}
    assert current.get(organisation=police).version == 2  # a new version of the existing return
    assert "2 returns imported" in main_text(client.get(response["Location"]))


def test_every_row_error_is_reported_and_nothing_is_imported(client, coordinator):
    rows = filled(template_csv(client), total=3)
    header = rows[0]
    rows[1][header.index("Age band: under 11")] = "2"  # age bands add up to 2, not 3
    rows[2][header.index("Gender: boys and young men")] = "-1"
    rows.append(["Nobody's Agency", "2099-Q1", "x"] + [""] * (len(header) - 3))
    response = client.post(URL, {"file": as_csv(rows)})
    assert response.status_code == 200
    table = errors_table(response)
    assert ["2", "Age band", "Age bands add up to 2, but you said 3 children were identified"] in table
    assert ["3", "Gender: boys and young men", "Gender, boys and young men must be 0 or more"] in table
    assert ["4", "Organisation", "“Nobody's Agency” is not an organisation with members in this group"] in table
    assert any(row[:2] == ["4", "Quarter"] for row in table)
    assert any(row[:2] == ["4", "Children and young people identified"] for row in table)
    assert "Nothing was imported" in main_text(response)
    assert TrendReturn.objects.count() == 0


def test_a_failure_while_storing_rolls_back_every_row(client, coordinator, monkeypatch):
    from django.core.exceptions import ValidationError

    real = trend_import.trend_return_submit
    calls = []

    def fails_second_time(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError({"total": "Refused"})
        return real(**kwargs)

    monkeypatch.setattr(trend_import, "trend_return_submit", fails_second_time)
    response = client.post(URL, {"file": as_csv(filled(template_csv(client)))})
    assert ["3", "Children and young people identified", "Refused"] in errors_table(response)
    assert TrendReturn.objects.count() == 0


def test_duplicate_rows_for_one_organisation_and_quarter_are_refused(client, coordinator):
    rows = filled(template_csv(client))
    rows.append(rows[1])
    table = errors_table(client.post(URL, {"file": as_csv(rows)}))
    assert table == [["4", "Organisation", "Row 2 is already Cumbria Constabulary's return for this quarter"]]
    assert TrendReturn.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("returns.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "must be a CSV or an Excel"),
        (SimpleUploadedFile("returns.xlsx", b"Organisation,Quarter\n"), "must be a CSV or an Excel"),
        (SimpleUploadedFile("returns.xlsx", b"PK\x03\x04not really a zip"), "could not be read as an Excel"),
        (SimpleUploadedFile("returns.exe", b"Organisation,Quarter\n"), "must be a CSV or an Excel"),
        (SimpleUploadedFile("returns.csv", "Organisation\n".encode("utf-16")), "must be a CSV or an Excel"),
        (SimpleUploadedFile("returns.csv", "Organisation,Caf\xe9\n".encode("latin-1")), "UTF-8"),
        (SimpleUploadedFile("returns.csv", b"Organisation,Quarter\nA,2026-Q1\n"), "Missing columns"),
        (SimpleUploadedFile("returns.csv", b"   \n"), "empty"),
    ],
    ids=["png", "csv-named-xlsx", "broken-zip", "exe", "utf16", "latin1", "missing-columns", "blank"],
)
def test_files_are_checked_by_content(client, coordinator, upload, message):
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    page = soup(response)
    summary = page.select_one(".govuk-error-summary__list a")
    assert message in summary.get_text()
    assert summary["href"] == "#id_file"
    assert TrendReturn.objects.count() == 0


def test_an_xlsx_file_named_csv_is_refused(client, coordinator):
    upload = as_xlsx(filled(template_csv(client)), name="returns.csv")
    response = client.post(URL, {"file": upload})
    assert "save it as .xlsx" in main_text(response)


def test_size_and_row_limits(client, coordinator, monkeypatch):
    monkeypatch.setattr(trend_import, "MAX_ROWS", 3)
    rows = filled(template_csv(client))
    rows += [rows[1]] * 3
    assert "at most 3 returns" in main_text(client.post(URL, {"file": as_csv(rows)}))
    monkeypatch.setattr(trend_import, "MAX_UPLOAD_BYTES", 100)
    assert "smaller than" in main_text(client.post(URL, {"file": as_csv(rows)}))
    assert TrendReturn.objects.count() == 0


def test_no_file_is_a_polite_error(client, coordinator):
    response = client.post(URL, {})
    assert "Select a CSV or Excel file" in main_text(response)
