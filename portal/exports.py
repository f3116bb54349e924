"""Spreadsheet downloads (CSV and XLSX) that are safe to open in Excel or LibreOffice.

Stand-in on the returns branch with the interface agreed in shared-interfaces.md; the
feedback branch owns this module (on merge, keep its version).

A cell starting with = + - @ tab or carriage return would be run as a formula when the
file is opened (CSV injection, OWASP): such cells are prefixed with a single quote.
"""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """`value` as it may go into a spreadsheet cell: text that could start a formula is
    prefixed with a single quote; numbers and empty cells are left alone."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _safe_rows(header, rows):
    yield [spreadsheet_safe(cell) for cell in header]
    for row in rows:
        yield [spreadsheet_safe(cell) for cell in row]


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(*, filename, header, rows):
    """A CSV download (UTF-8 with a byte-order mark, so Excel reads the accents)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerows(_safe_rows(header, rows))
    return _attachment(HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), filename)


def xlsx_response(*, filename, header, rows):
    """An XLSX download with one sheet; every cell is written as a value, never a formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in _safe_rows(header, rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
