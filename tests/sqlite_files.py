"""SQLite files for tests that run the site as real processes on a database of their own."""

import os
import sqlite3
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# This process's settings' variables, never passed on to a process of the site's own.
SETTINGS_VARIABLES = ("DJANGO_", "DATABASE_", "EMAIL_", "CACHE_", "PAGE_CACHE_")


def sqlite_environment(database, *, also_without=(), **variables):
    """This process's environment for a Django process on the SQLite file `database`: none
    of the settings' variables (nor those starting with `also_without`) carried over, but
    a secret key, a mail backend that sends nothing, and `variables`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_VARIABLES + also_without)}
    env.update(
        {
            "DJANGO_SECRET_KEY": "test-only-secret-key-for-a-sqlite-file",
            "DATABASE_URL": f"sqlite:///{database}",
            "EMAIL_URL": "dummymail://",
            "PYTHONPATH": str(PROJECT_ROOT),
            **variables,
        }
    )
    return env


def sqlite_copy(source, target):
    """Copy the SQLite database `source` to `target` through SQLite's backup API (which
    also copies what is still in `source`'s write-ahead log)."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        origin.close()
        copy.close()
