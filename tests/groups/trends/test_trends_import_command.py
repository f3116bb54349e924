"""`manage.py trends_import`: the web import's template and rules from the command line,
all or nothing, recorded as imported by a coordinator who could import on the web."""

import csv
import io

import pytest

from django.core.management import CommandError, call_command

from groups.models import TrendReturn
from groups.trends.quarters import reporting_quarter
from tests.factories import OrganisationFactory, import_rows_filled, make_administrator, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(cumbria, police):
    user = make_member(cumbria, role="coordinator", organisation=police)
    make_member(cumbria, organisation=OrganisationFactory(name="Cumbria County Council"))
    return user


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("trends_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def template(group="cumbria"):
    return list(csv.reader(io.StringIO(run("--template", group)[0])))


def written(tmp_path, rows, name="returns.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as file:
        csv.writer(file).writerows(rows)
    return str(path)


def test_the_template_lists_the_groups_organisations_for_the_reporting_quarter(coordinator):
    rows = template()
    assert rows[0][:3] == ["Organisation", "Quarter", "Children and young people identified"]
    assert [row[:2] for row in rows[1:]] == [
        ["Cumbria Constabulary", reporting_quarter().code],
        ["Cumbria County Council", reporting_quarter().code],
    ]


def test_a_good_file_is_imported_whole_as_the_coordinator(coordinator, cumbria, tmp_path):
    out, _ = run(written(tmp_path, import_rows_filled(template(), total=4)), "--imported-by", coordinator.email)
    assert out.strip() == f"2 returns imported for {cumbria.title}."
    returns = TrendReturn.objects.filter(working_group=cumbria)
    assert returns.count() == 2
    assert {r.submitted_by for r in returns} == {coordinator}
    assert {r.total for r in returns} == {4}


def test_any_error_imports_nothing_and_lists_every_row(coordinator, tmp_path):
    rows = import_rows_filled(template(), total=4)
    rows[1][2] = "many"
    rows[2][0] = "Nobody's Agency"
    with pytest.raises(CommandError, match="Nothing was imported: fix the 2 errors above"):
        run(written(tmp_path, rows), "--imported-by", coordinator.email)
    assert not TrendReturn.objects.exists()


def test_the_errors_name_their_row_and_column(coordinator, tmp_path):
    rows = import_rows_filled(template(), total=4)
    rows[2][0] = "Nobody's Agency"
    err = io.StringIO()
    path = written(tmp_path, rows)
    with pytest.raises(CommandError):
        call_command("trends_import", path, "--imported-by", coordinator.email, stderr=err, stdout=io.StringIO())
    assert "Row 3, Organisation: “Nobody's Agency” is not an organisation with members in this group" in err.getvalue()


def test_only_someone_who_could_import_on_the_web_can(coordinator, cumbria, yorkshire, tmp_path):
    path = written(tmp_path, import_rows_filled(template(), total=4))
    member = make_member(cumbria)
    with pytest.raises(CommandError, match="only coordinators and administrators can"):
        run(path, "--imported-by", member.email)
    with pytest.raises(CommandError, match="cannot import returns for “cumbria”"):
        run(path, "--imported-by", member.email, "--group", "cumbria")
    other = make_member(yorkshire, role="coordinator")
    with pytest.raises(CommandError, match="cannot import returns for “cumbria”"):
        run(path, "--imported-by", other.email, "--group", "cumbria")
    with pytest.raises(CommandError, match="no active account"):
        run(path, "--imported-by", "nobody@example.org")
    assert not TrendReturn.objects.exists()


def test_an_administrator_names_the_group(coordinator, cumbria, yorkshire, tmp_path):
    path = written(tmp_path, import_rows_filled(template(), total=4))
    admin = make_administrator()
    with pytest.raises(CommandError, match="Name the group with --group"):
        run(path, "--imported-by", admin.email)
    out, _ = run(path, "--imported-by", admin.email, "--group", "cumbria")
    assert out.startswith("2 returns imported")


def test_unreadable_and_missing_files_are_plain_errors(coordinator, tmp_path):
    spreadsheet = tmp_path / "returns.txt"
    spreadsheet.write_text("hello")
    with pytest.raises(CommandError, match="must be a CSV or an Excel workbook"):
        run(str(spreadsheet), "--imported-by", coordinator.email)
    with pytest.raises(CommandError, match="There is no file"):
        run(str(tmp_path / "absent.csv"), "--imported-by", coordinator.email)
    with pytest.raises(CommandError, match="no working group “atlantis”"):
        run("--template", "atlantis")
