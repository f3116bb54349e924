"""The embedded default holds under `make run`: the development server and the task
worker share one SQLite file, and concurrent writes never answer "database is locked".

Real processes on a real file, whatever database the rest of the suite uses: a migrated
SQLite file (a copy of the one `migrated_sqlite` makes once a run), `manage.py db_worker`
sending the queued emails, and a script whose threads write at once (tests/sqlite_writers.py).
"""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sqlite_files import sqlite_environment

PROJECT_ROOT = Path(__file__).resolve().parents[3]
THREADS, TRANSACTIONS = 8, 40
TIMEOUT = 180  # a busy two-core machine starts Django slowly


@pytest.fixture
def sqlite_env(tmp_path, migrated_sqlite):
    database = migrated_sqlite(tmp_path / "db.sqlite3")
    return sqlite_environment(database, DJANGO_SECRET_KEY="test-only-secret-key-for-sqlite-concurrency"), database


def pending_emails(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT count(*) FROM portal_outboundemail WHERE status != 'sent'").fetchone()[0]


def test_concurrent_writes_and_the_worker_never_lock_the_database(sqlite_env, tmp_path):
    env, database = sqlite_env
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            writers = subprocess.run(
                [sys.executable, "-m", "tests.sqlite_writers", str(THREADS), str(TRANSACTIONS)],
                cwd=PROJECT_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
            assert writers.returncode == 0, writers.stderr
            result = json.loads(writers.stdout.strip().splitlines()[-1])
            # The worker keeps writing (claiming and finishing tasks) until every email is sent.
            deadline = time.monotonic() + TIMEOUT
            while pending_emails(database) and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            left = pending_emails(database)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    worker_log = log.read_text()
    assert result == {"transactions": THREADS * TRANSACTIONS, "errors": []}
    assert "database is locked" not in worker_log, worker_log
    assert left == 0, worker_log
