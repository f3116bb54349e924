"""F07: a task worker killed (`kill -9`) in the middle of sending loses no email.

The worker sends each outbox row inside a transaction that holds the row's lock, so when
it dies mid-send PostgreSQL rolls the row back to pending. Its task stays claimed and is
never run again; the sweeper (`send_queued_email`, run from cron) sends the row instead.
The one message the SMTP server had already received when the worker died arrives twice,
with the same Message-ID, and nothing else does.

Real processes against the test database: the worker and the sweeper run as
`manage.py` subprocesses; an aiosmtpd server in this process plays the mail server.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from django.db import connection

from bench.feedback import Sink, environment
from bench.harness import BASE_DIR, HOST, free_port
from portal.models import OutboundEmail
from portal.outbox import email_queue

EMAILS = 30
KILL_DURING = 10  # the worker dies while the SMTP server holds this message (1-based)
SMTP_DELAY = 0.3  # seconds the server takes over each message
TIMEOUT = 180  # generous: a busy two-core CI machine starts Django slowly

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker subprocess must share the test database, with row locks: PostgreSQL only",
)


class SlowSink(Sink):
    """A slow mail server that records each Message-ID as the message arrives, and holds one
    message without answering until told to, so a worker can be killed mid-send."""

    def __init__(self, hold):
        super().__init__()
        self.hold = hold
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        with self.lock:
            arrived = len(self.message_ids)
        if arrived == self.hold:
            self.holding.set()
            await asyncio.to_thread(self.release.wait, TIMEOUT)
        await asyncio.sleep(SMTP_DELAY)
        return reply


def subprocess_database_url():
    """DATABASE_URL for the database this test runs against (pytest-django's test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def wait_for(condition, what, worker, log):
    """Poll until the condition holds; fail with the worker's output if it exits or time runs out."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            problem = f"the worker exited ({worker.returncode})" if worker.poll() is not None else "timed out"
            pytest.fail(f"Waiting for {what}: {problem}\n--- {log.name}\n{log.read_text()}")
        time.sleep(0.05)


def start_worker(env, log_path):
    with log_path.open("w") as log:  # the worker keeps its own copy of the file descriptor
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop(process):
    """Let a worker finish its current task and exit; kill it if it will not."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def unsent():
    return OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).count()


def test_a_worker_killed_mid_send_loses_no_email(transactional_db, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    smtp_port = free_port()
    env = environment(subprocess_database_url(), smtp_port)
    worker_log, restarted_log = tmp_path / "worker.log", tmp_path / "restarted-worker.log"
    sink = SlowSink(hold=KILL_DURING)
    controller = Controller(sink, hostname=HOST, port=smtp_port)
    controller.start()
    workers = []
    try:
        emails = [
            email_queue(
                to=[f"person{number}@example.org"],
                subject="Thank you for your feedback",
                template="emails/feedback_acknowledgement",
                context={"form_title": "Feedback", "reference": f"FB-{number:04}"},
            )
            for number in range(EMAILS)
        ]
        assert DBTaskResult.objects.count() == EMAILS

        worker = start_worker(env, worker_log)
        workers.append(worker)
        wait_for(sink.holding.is_set, f"message {KILL_DURING} to reach the mail server", worker, worker_log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        sink.release.set()
        with sink.lock:
            arrived_before_kill = list(sink.message_ids)
        in_flight = arrived_before_kill[-1]
        row_in_flight = next(email for email in emails if email.message_id == in_flight)
        row_in_flight.refresh_from_db()
        assert (row_in_flight.status, row_in_flight.attempts) == (OutboundEmail.Status.PENDING, 0), (
            "the send the worker died in must have rolled back"
        )

        restarted = start_worker(env, restarted_log)
        workers.append(restarted)
        sweeps = []

        def sweep_until_all_sent():
            result = subprocess.run(
                [sys.executable, "manage.py", "send_queued_email"],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
            assert result.returncode == 0, result.stderr
            sweeps.append(result.stdout.strip())
            return unsent() == 0

        wait_for(sweep_until_all_sent, "every outbox row to be sent", restarted, restarted_log)
        for process in workers:
            stop(process)  # nothing can send after this, so the count is final
    finally:
        sink.release.set()
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
        controller.stop()

    arrivals = Counter(sink.message_ids)
    duplicates = sum(arrivals.values()) - len(arrivals)
    print(
        f"\nF07: {EMAILS} emails; worker killed by SIGKILL while message {KILL_DURING} was being sent "
        f"({len(arrived_before_kill)} had reached the mail server). Sweeps run: {len(sweeps)} {sweeps}. "
        f"Tasks left claimed by the dead worker: "
        f"{DBTaskResult.objects.filter(status='RUNNING').count()}. Messages received: {sum(arrivals.values())}, "
        f"distinct Message-IDs: {len(arrivals)}, duplicates: {duplicates}."
    )
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    assert set(arrivals) == {email.message_id for email in emails}
    assert duplicates <= 1
    assert {message_id for message_id, times in arrivals.items() if times > 1} <= {in_flight}
