"""Backups restore: a site's database and documents, backed up while it runs and restored
into a fresh database and a fresh storage, are the same row for row and byte for byte."""

import hashlib
import io
import json
import uuid

import pytest

from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from home.models import FeedbackSubmission
from portal.backup import (
    BackupError,
    backup_create,
    backup_restore,
    database_fingerprint,
    database_open,
    storage_files,
)
from portal.models import OutboundEmail
from tests.factories import (
    GuidancePageFactory,
    OrganisationFactory,
    TrendReturnFactory,
    make_document,
    make_meeting,
    make_member,
    make_update,
)

# A backup reads committed data through its own snapshot, as on a live site.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site_content(guidance_index, cumbria, yorkshire, feedback_page):
    """A small site like the demo: guidance, two groups with members, meetings, updates,
    documents, a trend return, feedback and email."""
    for number in range(3):
        GuidancePageFactory(parent=guidance_index, slug=f"guidance-{number}", title=f"Guidance {number}")
    coordinator = make_member(cumbria, role="coordinator")
    police = OrganisationFactory(name="Cumbria Constabulary", sector="police", email_domains="cumbria.police.uk")
    member = make_member(cumbria, organisation=police)
    make_member(yorkshire)
    make_meeting(cumbria)
    make_update(cumbria, author=member)
    make_update(yorkshire)
    make_document(collection=cumbria.collection, title="Terms of reference", uploaded_by=coordinator)
    make_document(
        collection=yorkshire.collection, title="Referral pathway", filename="pathway.txt", content=b"Call 999.\n"
    )
    TrendReturnFactory(working_group=cumbria, organisation=police)
    FeedbackSubmission.objects.create(page=feedback_page, form_data={"your_message": "Useful guidance."})
    OutboundEmail.objects.create(to=["a@example.org"], from_email="x@example.org", subject="s", body_text="b")


def file_hashes(storage):
    hashes = {}
    for name in storage_files(storage):
        with storage.open(name, "rb") as content:
            hashes[name] = hashlib.sha256(content.read()).hexdigest()
    return hashes


@pytest.fixture
def fresh_database(tmp_path):
    """The settings of a new, empty database of the same kind as the test database."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings_dict
        return
    settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    yield settings_dict
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def fingerprint_of(settings_dict):
    restored = database_open(settings_dict)
    try:
        return database_fingerprint(restored)
    finally:
        restored.close()


def test_a_restored_copy_has_every_row_and_file(site_content, tmp_path, fresh_database):
    source_tables, source_files = database_fingerprint(connection), file_hashes(default_storage)
    assert len(source_files) == 2
    assert source_tables["wagtailcore_page"]["rows"] >= 8
    assert source_tables["groups_membership"]["rows"] >= 3

    manifest = backup_create(tmp_path / "backup", storage=default_storage)
    fresh_storage = FileSystemStorage(location=tmp_path / "restored-media")
    restored = backup_restore(tmp_path / "backup", storage=fresh_storage, settings_dict=fresh_database)

    assert manifest["database"]["tables"] == source_tables
    assert fingerprint_of(fresh_database) == source_tables
    assert file_hashes(fresh_storage) == source_files
    assert restored == {
        "tables": len(source_tables),
        "rows": sum(table["rows"] for table in source_tables.values()),
        "files": 2,
    }


def test_restoring_over_a_changed_database_brings_it_back(site_content, tmp_path, fresh_database):
    source_tables = database_fingerprint(connection)
    backup_create(tmp_path / "backup", storage=default_storage)
    fresh_storage = FileSystemStorage(location=tmp_path / "restored-media")
    backup_restore(tmp_path / "backup", storage=fresh_storage, settings_dict=fresh_database)
    changed = database_open(fresh_database)
    try:
        with changed.cursor() as cursor:
            cursor.execute("DELETE FROM home_feedbacksubmission")
    finally:
        changed.close()
    assert fingerprint_of(fresh_database) != source_tables

    backup_restore(tmp_path / "backup", storage=fresh_storage, settings_dict=fresh_database)

    assert fingerprint_of(fresh_database) == source_tables


def test_a_damaged_backup_is_not_restored_silently(site_content, tmp_path, fresh_database):
    backup_create(tmp_path / "backup", storage=default_storage)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    name = sorted(manifest["media"])[0]
    (tmp_path / "backup" / "media" / name).write_bytes(b"not the document")

    with pytest.raises(BackupError, match="files \\['" + name):
        backup_restore(tmp_path / "backup", storage=FileSystemStorage(tmp_path / "m"), settings_dict=fresh_database)


def test_the_commands_back_up_and_refuse_what_is_not_a_backup(site_content, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backup"), stdout=out)

    assert "and 2 files to" in out.getvalue()
    assert (tmp_path / "backup" / "manifest.json").is_file()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(tmp_path / "backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), "--noinput", stdout=io.StringIO())
