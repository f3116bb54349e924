"""Feedback under load with the mail server down: `make bench-feedback` (python -m bench.feedback).

What it does
------------
1. Creates a throwaway PostgreSQL database (`portal_bench_feedback` on 127.0.0.1, dropped
   first if it exists, dropped again at the end unless BENCH_KEEP_DB=1), migrates it and
   loads the demo content, which includes the feedback form at /feedback/.
2. Serves the site with gunicorn (DEBUG off) and runs the background task worker
   (`manage.py db_worker`), with EMAIL_URL pointing at a local port where no SMTP server
   is listening yet: every send fails and is rescheduled by the outbox.
3. Sends BENCH_SENDERS (default 500) submissions at once, one thread per sender, each as a
   person would: load the form, wait the time trap's 3 seconds, post it. Rate limiting
   stays on: each sender has its own X-Forwarded-For, and the server trusts one proxy
   (DJANGO_TRUSTED_PROXY_COUNT=1), so each counts as a different address.
4. Starts an SMTP server (aiosmtpd) on that port, runs `manage.py send_queued_email --now`
   once (what an operator runs after an outage) while the worker keeps retrying, and
   waits until every outbox row is sent.
5. Reports: submissions stored, emails delivered, duplicate Message-IDs, errors seen by
   senders, and how long the backlog took to drain. Figures also go to
   .bench/feedback-results.json. The goal: every submission stored and delivered, no
   duplicates, no errors. The exit status is 1 when it is not met.
"""

import email
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from bench.harness import (
    BASE_DIR,
    OUTPUT_DIR,
    NoRedirects,
    count,
    drop_database,
    free_port,
    gunicorn,
    prepare_site,
    recreate_database,
    run_main,
    site_environment,
    stop,
    write_results,
)

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_feedback"
FORM_PATH = "/feedback/"
TIME_TRAP_SECONDS = 3.2
# How long a sender waits for an answer before counting it as an error: a browser's own limit
# is about 300 s (Chromium); on a busy two-core machine 500 people at once do queue.
CLIENT_TIMEOUT = float(os.environ.get("BENCH_CLIENT_TIMEOUT", "300"))
MESSAGE = "The guidance should say sooner that children should not pay, and link to Report Remove."


@dataclass
class Outcome:
    senders: int
    submissions_stored: int = 0
    outbox_rows: int = 0
    emails_delivered: int = 0
    duplicate_message_ids: int = 0
    errors_seen_by_senders: int = 0
    error_examples: list = field(default_factory=list)
    sending_seconds: float = 0.0
    pending_when_smtp_started: int = 0
    slowest_answer_seconds: float = 0.0
    drain_seconds: float | None = None

    @property
    def goal_met(self):
        return (
            self.submissions_stored == self.senders
            and self.emails_delivered == self.outbox_rows == self.senders
            and self.duplicate_message_ids == 0
            and self.errors_seen_by_senders == 0
        )


# SMTP ----------------------------------------------------------------------------------


class Sink:
    """An aiosmtpd handler that keeps each message's Message-ID."""

    def __init__(self):
        self.message_ids = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.message_ids.append(message.get("Message-ID", ""))
        return "250 Message accepted for delivery"


# Senders -------------------------------------------------------------------------------

_INPUT = re.compile(r'<input[^>]*name="(csrfmiddlewaretoken|feedback_ticket)"[^>]*value="([^"]*)"')


def send_one(base_url, number):
    """One person: load the form, take their time, send it. Returns (error or None, slowest answer in s)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    headers = {"X-Forwarded-For": address}
    slowest = 0.0
    try:
        asked = time.monotonic()
        form_request = urllib.request.Request(base_url + FORM_PATH, headers=headers)  # noqa: S310 (http://127.0.0.1)
        with opener.open(form_request, timeout=CLIENT_TIMEOUT) as response:
            html = response.read().decode()
        slowest = time.monotonic() - asked
        hidden = dict(_INPUT.findall(html))
        time.sleep(TIME_TRAP_SECONDS)
        data = urllib.parse.urlencode(
            {
                **hidden,
                "what_is_your_feedback_about": "A guidance page",
                "your_role": "Designated safeguarding lead",
                "your_region": "Cumbria",
                "your_message": f"{MESSAGE} (sender {number})",
            }
        ).encode()
        request = urllib.request.Request(base_url + FORM_PATH, data=data, headers=headers)  # noqa: S310
        asked = time.monotonic()
        try:
            with opener.open(request, timeout=CLIENT_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        slowest = max(slowest, time.monotonic() - asked)
        if status != 302:
            return f"POST answered {status}", slowest
    except Exception as error:
        return f"{type(error).__name__}: {error}", slowest
    return None, slowest


# gthread workers: 500 people at once mostly wait on the network, and starting may take a
# while on a busy machine.
GUNICORN_OPTIONS = ["--worker-class", "gthread", "--threads", "4", "--timeout", "60", "--backlog", "2048"]


# Main ----------------------------------------------------------------------------------


def environment(database_url, smtp_port):
    """The site's environment with mail sent to `smtp_port` on 127.0.0.1, one trusted proxy
    (each sender's X-Forwarded-For is its address) and short outbox backoffs."""
    return site_environment(
        database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_TRUSTED_PROXY_COUNT="1",
        OUTBOX_BACKOFF_SECONDS=os.environ.get("OUTBOX_BACKOFF_SECONDS", "5"),
        OUTBOX_MAX_BACKOFF_SECONDS=os.environ.get("OUTBOX_MAX_BACKOFF_SECONDS", "30"),
        DJANGO_LOG_LEVEL="WARNING",
    )


def run():
    senders = int(os.environ.get("BENCH_SENDERS", "500"))
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    database_url = os.environ.get("BENCH_FEEDBACK_DATABASE_URL", DATABASE_URL)
    smtp_port = free_port()
    env = environment(database_url, smtp_port)
    outcome = Outcome(senders=senders)
    OUTPUT_DIR.mkdir(exist_ok=True)

    print(f"Preparing a throwaway database ({urlsplit(database_url).path.lstrip('/')}) and the demo site:")
    recreate_database(database_url)
    prepare_site(env)
    worker_log = (OUTPUT_DIR / "feedback-worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
        cwd=BASE_DIR,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        with gunicorn(
            env, workers=workers, options=GUNICORN_OPTIONS, log_name="feedback-gunicorn.log", start_timeout=180
        ) as server:
            print(f"SMTP is down (nothing on port {smtp_port}). {senders} senders at once…")
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=senders) as pool:
                results = list(pool.map(lambda n: send_one(server.base_url, n), range(senders)))
            errors = [error for error, _ in results if error]
            outcome.slowest_answer_seconds = round(max(slowest for _, slowest in results), 1)
            outcome.sending_seconds = round(time.monotonic() - started, 1)
            outcome.errors_seen_by_senders = len(errors)
            outcome.error_examples = sorted(set(errors))[:5]
        outcome.submissions_stored = count(database_url, "SELECT count(*) FROM home_feedbacksubmission")
        outcome.outbox_rows = count(database_url, "SELECT count(*) FROM portal_outboundemail")
        outcome.pending_when_smtp_started = count(
            database_url, "SELECT count(*) FROM portal_outboundemail WHERE status = 'pending'"
        )
        print(f"  stored {outcome.submissions_stored}; {outcome.pending_when_smtp_started} emails waiting")

        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        print("SMTP is up: draining the backlog (the worker's retries, and send_queued_email --now once)…")
        started = time.monotonic()
        try:
            subprocess.run(
                [sys.executable, "manage.py", "send_queued_email", "--now"],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                check=True,
            )
            deadline = started + float(os.environ.get("BENCH_DRAIN_TIMEOUT", "300"))
            while time.monotonic() < deadline:
                unsent = count(database_url, "SELECT count(*) FROM portal_outboundemail WHERE status <> 'sent'")
                if unsent == 0 and len(sink.message_ids) >= outcome.outbox_rows:
                    outcome.drain_seconds = round(time.monotonic() - started, 1)
                    break
                time.sleep(0.2)
            time.sleep(2)  # anything sent twice would arrive now
        finally:
            controller.stop()
        outcome.emails_delivered = len(sink.message_ids)
        outcome.duplicate_message_ids = len(sink.message_ids) - len(set(sink.message_ids))
    finally:
        stop(worker)
        worker_log.close()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            drop_database(database_url)
    return outcome


def report(outcome):
    drain = "did not finish" if outcome.drain_seconds is None else f"{outcome.drain_seconds} s"
    print(
        f"""
Senders                          {outcome.senders} (all at once; {outcome.sending_seconds} s to send)
Slowest answer a sender waited   {outcome.slowest_answer_seconds} s
Submissions stored               {outcome.submissions_stored}
Emails queued (outbox rows)      {outcome.outbox_rows}
Emails delivered                 {outcome.emails_delivered}
Duplicate Message-IDs            {outcome.duplicate_message_ids}
Errors seen by senders           {outcome.errors_seen_by_senders} {outcome.error_examples or ""}
Backlog when SMTP came back      {outcome.pending_when_smtp_started}
Backlog drain time               {drain}
{"PASS" if outcome.goal_met else "FAIL"}  every submission stored and delivered once, no errors"""
    )
    path = write_results("feedback-results.json", {**asdict(outcome), "goal_met": outcome.goal_met})
    print(f"Figures written to {path}.")


def main():
    outcome = run_main(run)
    report(outcome)
    sys.exit(0 if outcome.goal_met else 1)


if __name__ == "__main__":
    main()
