"""`make run` from a migrated database to a ready site, as a newcomer sees it: progress,
the sign-ins, then the servers starting, the sign-ins again and "Ready" last; while the
task worker runs the tasks the demo queued, nothing more is printed; a
missing page shows the portal's own page, not Django's debug page.

Real processes on a real SQLite file (`manage.py run_demo`, which `make run` calls):
about two minutes on a busy machine.
"""

import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from home.demo.sign_ins import demo_sign_in_specs
from tests.sqlite_files import sqlite_environment

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 300  # a busy two-core machine migrates and loads slowly
SIGN_IN = re.compile(r"^  (\w+) +email: (\S+) +password: (\S+)  authenticator secret \(TOTP\): (\S+)$")
# What may follow "Ready": the requests this test makes, and the services stopping.
AFTER_READY = re.compile(
    r'django\.server "GET |WARNING django\.request Not Found: |^Stopping\.\.\.$|^Scheduler stopped\.$|'
    r"WARNING django_tasks_db Received Terminated"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def tasks_waiting(database):
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        ).fetchone()[0]


def tasks_queued(database, task_path):
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = ?", (task_path,)
        ).fetchone()[0]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def run_demo(tmp_path, migrated_sqlite):
    env = sqlite_environment(
        migrated_sqlite(tmp_path / "db.sqlite3"),
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        PAGE_CACHE_URL="locmemcache://",
        also_without=("REDIS_",),
    )
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_demo", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process, f"http://127.0.0.1:{port}", log, tmp_path / "db.sqlite3"
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def test_the_first_run_ends_with_the_sign_ins_and_stays_quiet(run_demo):
    process, address, log, database = run_demo
    wait_for(lambda: "Ready: " in log.read_text(), "the site to be ready")

    home, _ = get(f"{address}/")
    missing, missing_page = get(f"{address}/no-such-page/")
    wait_for(lambda: tasks_waiting(database) == 0, "the worker to run the demo's tasks")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    lines = log.read_text().splitlines()

    # Wagtail's reference index is built once at the end of loading, not by a task a save.
    assert tasks_queued(database, "wagtail.tasks.update_reference_index_task") == 0
    assert home == 200
    assert missing == 404
    assert "Page not found" in missing_page
    assert "Using the URLconf" not in missing_page
    assert lines[0] == "Loading demo content (1/8): the library..."
    for line in lines:
        assert "state=" not in line
        assert not re.search(r"INFO wagtail|Page created|Published:", line)
    first = [SIGN_IN.match(line).groups() for line in lines if SIGN_IN.match(line)]
    roles = len(demo_sign_in_specs())
    assert len(first) == 2 * roles
    assert first[:roles] == first[roles:]  # the same sign-ins, again when ready
    ready = next(i for i, line in enumerate(lines) if line.startswith("Ready: "))
    title = lines.index("Demo sign-ins, one per role (as above):")
    assert ready - title == roles + 3  # the title, a sign-in a role, two lines of instructions
    assert lines[title - 1].startswith(("For more information on production servers", "Scheduler started"))
    after = lines[ready + 1 :]
    assert [line for line in after if not AFTER_READY.search(line)] == []
