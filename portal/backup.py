"""Backups of the database and the documents, and their restore (`manage.py backup`,
`manage.py restore`).

A backup is a folder:

    manifest.json       what is in it: each table's row count and checksum, each file's
                        size and SHA-256, so that a restore can prove it is complete
    database.dump       PostgreSQL: pg_dump's custom format (pg_restore reads it), or
    database.sqlite3    SQLite: a copy made with SQLite's online backup API
    media/              every file in the default storage (the documents and images),
                        read through Django's storage API, so object storage works too

The database is copied with the database's own tools rather than as a Django-level dump
(dumpdata/loaddata): they copy every table exactly, sequences and all, in one consistent
snapshot taken without stopping the site, and restore in minutes where loaddata would
replay every row through the ORM and trip over Wagtail's tree and content types. The
database is copied first and the files second: a document is stored before its row, so
every row's file is in the backup.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


# --- Database ----------------------------------------------------------------------------


def database_open(settings_dict: dict[str, Any], *, name: str | None = None) -> BaseDatabaseWrapper:
    """A connection of its own to the database `settings_dict` describes (or to another
    database `name` on the same server, or another SQLite file). Close it after use."""
    settings_dict = {**settings_dict, "CONN_MAX_AGE": 0}
    if name is not None:
        settings_dict["NAME"] = name
        if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
            settings_dict["OPTIONS"] = {}
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias=f"backup-{name or settings_dict['NAME']}")


def database_fingerprint(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """Each table's row count and a checksum of its rows (in a fixed order), to compare a
    database with its backup or its restored copy."""
    fingerprint = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608 (names from introspection)
            columns = len(cursor.description)
            order = ", ".join(str(position) for position in range(1, columns + 1))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 (names from introspection)
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(1000):
                for row in rows:
                    digest.update(repr(tuple(_comparable(value) for value in row)).encode())
                    count += 1
            fingerprint[table] = {"rows": count, "sha256": digest.hexdigest()}
    return fingerprint


def _comparable(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):  # JSON, however the driver returns it
        return json.dumps(value, sort_keys=True)
    return value


def _postgresql_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    environment = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _run(args: list[str], environment: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(args, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _postgresql_backup(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict[str, Any]]:
    """pg_dump from the snapshot in which the fingerprint is taken, so the two agree."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        fingerprint = database_fingerprint(connection)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                connection.settings_dict["NAME"],
            ],
            _postgresql_environment(connection.settings_dict),
        )
    return fingerprint


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    copy = database_open(connection.settings_dict, name=str(target))
    try:
        return database_fingerprint(copy)
    finally:
        copy.close()


def _postgresql_restore(settings_dict: dict[str, Any], dump: Path) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        _postgresql_environment(settings_dict),
    )


def _sqlite_restore(settings_dict: dict[str, Any], copy: Path) -> None:
    source, destination = sqlite3.connect(copy), sqlite3.connect(settings_dict["NAME"])
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


# --- Files -------------------------------------------------------------------------------


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in `storage`, through the storage API (local folders or a bucket)."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from storage_files(storage, f"{folder}/{name}" if folder else name)


def _copy(source, destination) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        destination.write(chunk)
    return digest.hexdigest()


def file_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup and restore ------------------------------------------------------------------


def backup_create(output: Path, *, storage: Storage, using: str = "default") -> dict[str, Any]:
    """Back up the database `using` and every file in `storage` into the new folder `output`."""
    connection = connections[using]
    if connection.vendor not in DUMP_FILES:
        raise ImproperlyConfigured(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    output.mkdir(parents=True)
    dump = output / DUMP_FILES[connection.vendor]
    started = timezone.now()
    if connection.vendor == "postgresql":
        tables = _postgresql_backup(connection, dump)
    else:
        tables = _sqlite_backup(connection, dump)
    files = {}
    for name in storage_files(storage):
        target = output / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(target, "wb") as destination:
            files[name] = {"sha256": _copy(source, destination), "size": target.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": {"vendor": connection.vendor, "file": dump.name, "tables": tables},
        "media": files,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def backup_read(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"No {MANIFEST} in {source}: not a backup folder.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_restore(source: Path, *, storage: Storage, settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Restore the backup in `source` into the database `settings_dict` describes (its
    tables are replaced) and into `storage` (each backed-up file is written back under its
    name; other files are left alone). Then check that every table and file is as backed
    up; raises BackupError otherwise."""
    manifest = backup_read(source)
    database = manifest["database"]
    vendor = load_backend(settings_dict["ENGINE"]).DatabaseWrapper.vendor
    if vendor != database["vendor"]:
        raise BackupError(f"This backup is of a {database['vendor']} database; the target is {vendor}.")
    for name in manifest["media"]:
        if not (source / "media" / name).is_file():
            raise BackupError(f"The backup lacks the file {name}.")
    if vendor == "postgresql":
        _postgresql_restore(settings_dict, source / database["file"])
    else:
        _sqlite_restore(settings_dict, source / database["file"])
    for name in manifest["media"]:
        if storage.exists(name):
            storage.delete(name)
        with open(source / "media" / name, "rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}.")
    return backup_verify(manifest, storage=storage, settings_dict=settings_dict)


def backup_verify(manifest: dict[str, Any], *, storage: Storage, settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Compare the database and storage with the manifest; raise BackupError on any difference."""
    restored = database_open(settings_dict)
    try:
        tables = database_fingerprint(restored)
    finally:
        restored.close()
    different_tables = sorted(
        table
        for table in set(tables) | set(manifest["database"]["tables"])
        if tables.get(table) != manifest["database"]["tables"].get(table)
    )
    different_files = sorted(
        name for name, expected in manifest["media"].items() if file_sha256(storage, name) != expected["sha256"]
    )
    if different_tables or different_files:
        raise BackupError(
            f"The restored copy differs from the backup: tables {different_tables or 'none'}, "
            f"files {different_files or 'none'}."
        )
    return {
        "tables": len(tables),
        "rows": sum(table["rows"] for table in tables.values()),
        "files": len(manifest["media"]),
    }
