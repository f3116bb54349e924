"""Bulk import of trend returns from a spreadsheet (CSV or XLSX), for coordinators.

The file's type is decided by its content, not its name: an XLSX file is a ZIP archive
whose uncompressed size is checked before openpyxl reads it (no ZIP bombs); a CSV file
must be UTF-8 text. Every row is validated with the return form, and every error is
reported with its row number and column; only when there are none are the returns
stored, all in one transaction, so a file is imported whole or not at all.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.audit import audit_record

from .quarters import reporting_quarter
from .trend_categories import BREAKDOWN_BY_KEY, CATEGORY_KEYS, column_label
from .trend_forms import TrendReturnForm
from .trend_returns import reporting_organisations, trend_return_submit

MAX_UPLOAD_BYTES = 1_000_000
MAX_UNCOMPRESSED_BYTES = 20_000_000
MAX_ROWS = 500
ORGANISATION, QUARTER, TOTAL, NOTE = "organisation", "quarter", "total", "note"
HEADERS = {
    ORGANISATION: "Organisation",
    QUARTER: "Quarter",
    TOTAL: "Children and young people identified",
    **{key: column_label(key) for key in CATEGORY_KEYS},
    NOTE: "Emerging tactics (optional)",
}
COLUMNS = list(HEADERS)


class ImportFileError(ValidationError):
    """A file that cannot be read as a returns spreadsheet at all."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list = field(default_factory=list)


def template_rows(*, group):
    """The import template: a header, then a row per reporting organisation for the
    reporting quarter, numbers left blank for the coordinator to fill in."""
    quarter = reporting_quarter()
    rows = [
        [organisation.name, quarter.code, *[""] * (len(COLUMNS) - 2)]
        for organisation in reporting_organisations(group=group).order_by("name")
    ]
    return [HEADERS[column] for column in COLUMNS], rows


def _normal(text):
    return " ".join(str(text or "").replace("\u00a0", " ").split()).casefold()


HEADER_LOOKUP = {_normal(label): column for column, label in HEADERS.items()} | {
    _normal(column): column for column in COLUMNS
}


def _read_rows(uploaded_file):
    """The file's rows as lists of cell values (strings or numbers), or ImportFileError."""
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"The file must be smaller than {MAX_UPLOAD_BYTES // 1_000_000} MB.")
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    name = (uploaded_file.name or "").lower()
    if not data.strip():
        raise ImportFileError("The selected file is empty.")
    if data.startswith(b"PK\x03\x04"):
        if not name.endswith(".xlsx"):
            raise ImportFileError("The file is a spreadsheet workbook: save it as .xlsx, or as CSV.")
        return _xlsx_rows(data)
    if not name.endswith(".csv"):
        raise ImportFileError("The selected file must be a CSV or an Excel workbook (.xlsx).")
    return _csv_rows(data)


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise ImportFileError("The workbook is too large once unpacked.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # zipfile and openpyxl raise many kinds; all mean "not a workbook".
        raise ImportFileError("The file could not be read as an Excel workbook (.xlsx).") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else value for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data):
    if b"\x00" in data:
        raise ImportFileError("The selected file must be a CSV or an Excel workbook (.xlsx).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("Save the CSV file with UTF-8 encoding, then upload it again.") from None
    try:
        rows = []
        for row in csv.reader(io.StringIO(text)):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error:
        raise ImportFileError("The file could not be read as CSV.") from None


def _cell(value):
    """A cell as form input text: whole floats from spreadsheets as integers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header):
    """{index: column} for the header row; raises ImportFileError naming missing or unknown columns."""
    columns, unknown = {}, []
    for index, label in enumerate(header):
        if not _normal(label):
            continue
        column = HEADER_LOOKUP.get(_normal(label))
        if column is None or column in columns.values():
            unknown.append(str(label))
        else:
            columns[index] = column
    missing = [HEADERS[c] for c in COLUMNS if c not in columns.values() and c != NOTE]
    problems = []
    if missing:
        problems.append("Missing columns: " + "; ".join(missing) + ".")
    if unknown:
        problems.append("Unknown or repeated columns: " + "; ".join(unknown) + ".")
    if problems:
        raise ImportFileError(" ".join(problems) + " Start from the template on this page.")
    return columns


def _row_errors(number, form):
    errors = []
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        errors += [RowError(number, HEADERS[name], message) for message in messages]
    for breakdown_key, message in form.breakdown_errors.items():
        errors.append(RowError(number, BREAKDOWN_BY_KEY[breakdown_key].label, message))
    return errors


def _column_name(name):
    if name in BREAKDOWN_BY_KEY:
        return BREAKDOWN_BY_KEY[name].label
    return HEADERS.get(name, "Whole row")


def trend_returns_import(*, group, uploaded_file, imported_by, request=None):
    """Validate every row of `uploaded_file`; if all are valid, store them as returns
    submitted by `imported_by` (a new version where one exists). Returns ImportResult;
    raises ImportFileError for a file that cannot be read at all."""
    rows = _read_rows(uploaded_file)
    rows = [row for row in rows if any(_cell(value) for value in row)]
    if not rows:
        raise ImportFileError("The selected file is empty.")
    columns = _columns(rows[0])
    body = rows[1:]
    if not body:
        raise ImportFileError("The file has a header but no returns.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"Import at most {MAX_ROWS} returns at a time.")

    organisations = {_normal(o.name): o for o in reporting_organisations(group=group)}
    result, valid, seen = ImportResult(), [], {}
    for number, row in enumerate(body, start=2):
        data = {column: _cell(row[index]) if index < len(row) else "" for index, column in columns.items()}
        form = TrendReturnForm(data=data)
        organisation = organisations.get(_normal(data[ORGANISATION]))
        if organisation is None:
            message = (
                "Enter the organisation's name"
                if not data[ORGANISATION]
                else f"“{data[ORGANISATION][:100]}” is not an organisation with members in this group"
            )
            result.errors.append(RowError(number, HEADERS[ORGANISATION], message))
        if not form.is_valid():
            result.errors += _row_errors(number, form)
            continue
        if organisation is None:
            continue
        key = (organisation.pk, form.cleaned_data["quarter"])
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    HEADERS[ORGANISATION],
                    f"Row {seen[key]} is already {organisation}'s return for this quarter",
                )
            )
            continue
        seen[key] = number
        valid.append((number, organisation, form))
    if result.errors:
        return result

    try:
        with transaction.atomic():
            for number, organisation, form in valid:
                try:
                    result.created.append(
                        trend_return_submit(
                            group=group,
                            organisation=organisation,
                            submitted_by=imported_by,
                            quarter=form.cleaned_data["quarter"],
                            total=form.cleaned_data["total"],
                            counts=form.counts,
                            note=form.cleaned_data["note"],
                            request=request,
                        )
                    )
                except ValidationError as error:
                    result.errors += [
                        RowError(number, _column_name(name), message)
                        for name, messages in error.message_dict.items()
                        for message in messages
                    ]
            if result.errors:
                raise _RollBack
            audit_record(
                action="portal.trend_returns_imported",
                request=request,
                user=imported_by,
                group=group.title,
                returns=len(result.created),
            )
    except _RollBack:
        result.created = []
    return result


class _RollBack(Exception):
    """Undo a partly stored import."""
