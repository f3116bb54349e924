"""Reading a spreadsheet of trend returns (CSV or XLSX): pure functions, no database.

The file's type is decided by its content, not its name: an XLSX file is a ZIP archive
whose uncompressed size is checked before openpyxl reads it (no ZIP bombs); a CSV file
must be UTF-8 text. The columns are the return form's fields under the template's
headers. Storing the rows is `services.trend_returns_import`'s job, which sets the limits.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook

from django.core.exceptions import ValidationError

from .categories import BREAKDOWN_BY_KEY, CATEGORY_KEYS, column_label

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from groups.models import TrendReturn

    from .forms import TrendReturnForm

MAX_UNCOMPRESSED_BYTES = 20_000_000
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
    created: list[TrendReturn] = field(default_factory=list)


def normalise(text: Any) -> str:
    """Text compared without case or spacing differences (names, headers)."""
    return " ".join(str(text or "").replace("\u00a0", " ").split()).casefold()


HEADER_LOOKUP = {normalise(label): column for column, label in HEADERS.items()} | {
    normalise(column): column for column in COLUMNS
}


def read_rows(uploaded_file: UploadedFile, *, max_bytes: int, max_rows: int) -> list[list[Any]]:
    """The file's rows as lists of cell values (strings or numbers), or ImportFileError.

    Reads at most `max_rows` + 2 rows, so the caller can tell a file that is too long."""
    if (uploaded_file.size or 0) > max_bytes:
        raise ImportFileError(f"The file must be smaller than {max_bytes // 1_000_000} MB.")
    data = uploaded_file.read(max_bytes + 1)
    name = (uploaded_file.name or "").lower()
    if not data.strip():
        raise ImportFileError("The selected file is empty.")
    if data.startswith(b"PK\x03\x04"):
        if not name.endswith(".xlsx"):
            raise ImportFileError("The file is a spreadsheet workbook: save it as .xlsx, or as CSV.")
        return _xlsx_rows(data, max_rows=max_rows)
    if not name.endswith(".csv"):
        raise ImportFileError("The selected file must be a CSV or an Excel workbook (.xlsx).")
    return _csv_rows(data, max_rows=max_rows)


def _xlsx_rows(data, *, max_rows):
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
            if len(rows) > max_rows + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data, *, max_rows):
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
            if len(rows) > max_rows + 1:
                break
        return rows
    except csv.Error:
        raise ImportFileError("The file could not be read as CSV.") from None


def cell_text(value: Any) -> str:
    """A cell as form input text: whole floats from spreadsheets as integers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_columns(header: list[Any]) -> dict[int, str]:
    """{index: column} for the header row; raises ImportFileError naming missing or unknown columns."""
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for index, label in enumerate(header):
        if not normalise(label):
            continue
        column = HEADER_LOOKUP.get(normalise(label))
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


def form_row_errors(number: int, form: TrendReturnForm) -> list[RowError]:
    """A row's form errors, each under its column (a breakdown's under the breakdown)."""
    errors = []
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        errors += [RowError(number, HEADERS[name], str(message)) for message in messages]
    for breakdown_key, message in form.breakdown_errors.items():
        errors.append(RowError(number, BREAKDOWN_BY_KEY[breakdown_key].label, message))
    return errors


def error_column(name: str) -> str:
    """The column to report a stored return's error under (a field or a breakdown key)."""
    if name in BREAKDOWN_BY_KEY:
        return BREAKDOWN_BY_KEY[name].label
    return HEADERS.get(name, "Whole row")
