"""Spreadsheet downloads (CSV and XLSX) that are safe to open in Excel, LibreOffice or Sheets.

Anything a member of the public or a member typed can end up in a cell. A cell that
starts with =, +, -, @, a tab or a carriage return may be run as a formula when the file
is opened (=HYPERLINK(...) sending data elsewhere, DDE commands), so such text is
prefixed with an apostrophe, as OWASP recommends ("CSV Injection"). Wagtail's own
export leaves CSV cells as they are, so it is not used for anything people wrote.
"""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """A cell value that no spreadsheet will treat as a formula.

    Numbers and dates stay as they are (they cannot hold a formula); None becomes an
    empty cell; anything else becomes text, with an apostrophe in front if it starts
    with a character that could start a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | datetime.date | datetime.time):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _text(value):
    value = spreadsheet_safe(value)
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _disposition(filename):
    # Filenames come from code (slugs and dates), never from what people typed.
    return f'attachment; filename="{filename}"'


def csv_text(*, header, rows):
    """CSV text with every cell quoted and made formula-safe (no byte-order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([_text(cell) for cell in header])
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
    return buffer.getvalue()


def csv_response(*, filename, header, rows):
    """A CSV download: UTF-8 with a byte-order mark (so Excel reads accents), every cell quoted."""
    response = HttpResponse("\ufeff" + csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def _xlsx_cell(worksheet, value):
    value = spreadsheet_safe(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(timezone.localtime(value))
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def xlsx_response(*, filename, header, rows, sheet_title="Sheet1"):
    """An XLSX download with every text cell stored as text, never as a formula."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet_title)
    worksheet.append([_xlsx_cell(worksheet, cell) for cell in header])
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def make_wagtail_exports_formula_safe():
    """Every CSV and XLSX download the Wagtail admin makes (its reports, form submissions,
    snippet and model listings) goes through SpreadsheetExportMixin.preprocess_field_value:
    text cells from there get the same apostrophe as the portal's own downloads. Called
    once, from PortalConfig.ready."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin  # noqa: PLC0415  (admin views: not at import time)

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "_formula_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    preprocess_field_value._formula_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
