"""The recurring jobs, each a background task with a cron expression.

`manage.py run_scheduler` enqueues each job when its cron expression says so, and the
task worker (`manage.py db_worker`) runs it. The declaration follows django-crontask's
(`@cron("0 7 * * *")` over a task, literal weekdays only), which needs Django 6 and
Python 3.14; the scheduling engine is the same (APScheduler's cron trigger), so moving to
it later changes imports, not schedules.

Every job is safe to run twice and to overlap with itself: the outbox sweep locks each
row it sends, the digests mark each item sent in the transaction that queues its email,
deletions find nothing the second time, and scheduled publishing (Wagtail's, which
would publish a revision twice if two runs overlapped) runs under a lock. Several
schedulers may run at once (one on each app server, say): each due time is enqueued by
the first scheduler to claim it in the shared cache, so every job still runs once.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django_tasks import task
from django_tasks.base import Task

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("portal.schedule")

HEARTBEAT_CACHE_KEY = "portal:worker-heartbeat"
# A job that starts later than this after its due time is skipped until its next one
# (the scheduler was stopped, or the machine asleep). Below a minute, so that the due
# minute is always the minute the job starts in (see job_enqueue).
MISFIRE_GRACE_SECONDS = 30
# How long a claimed due time, or a job's lock, is remembered at most.
CLAIM_SECONDS = 24 * 3600
LOCK_SECONDS = 3600


@dataclass(frozen=True)
class ScheduledJob:
    task: Task
    cron: str
    trigger: CronTrigger

    @property
    def name(self) -> str:
        return self.task.name


# Every scheduled job, by task name, in the order declared.
SCHEDULE: dict[str, ScheduledJob] = {}


def cron(expression: str) -> Callable[[Task], Task]:
    """Run the task on the schedule the cron expression gives (minute hour day month weekday).

    Weekdays must be written as names (mon … sun) or `*`: APScheduler counts 0 as Monday,
    crontab as Sunday, so a digit would be ambiguous.
    """

    *_, weekdays = expression.split()
    if any(character.isdigit() for character in weekdays):
        raise ValueError("Use a weekday name (mon, tue, wed, thu, fri, sat, sun) or *, not a number.")
    trigger = CronTrigger.from_crontab(expression, timezone=timezone.get_default_timezone())

    def decorator(scheduled_task: Task) -> Task:
        SCHEDULE[scheduled_task.name] = ScheduledJob(task=scheduled_task, cron=expression, trigger=trigger)
        return scheduled_task

    return decorator


def job_enqueue(job: ScheduledJob, *, now: datetime | None = None) -> bool:
    """Enqueue the job for the due time that has just come, unless another scheduler has.

    Cron times are whole minutes and a job never starts a minute late (see
    MISFIRE_GRACE_SECONDS), so the due time is the current minute. Returns whether this
    call enqueued it.
    """
    now = now or timezone.now()
    due = now.replace(second=0, microsecond=0)
    if not cache.add(f"portal:schedule:{job.name}:{due.isoformat()}", 1, timeout=CLAIM_SECONDS):
        return False
    job.task.enqueue()
    return True


def scheduler_build() -> BlockingScheduler:
    """A scheduler holding every job in SCHEDULE; `start()` runs it until stopped."""
    scheduler = BlockingScheduler(timezone=timezone.get_default_timezone())
    for job in SCHEDULE.values():
        scheduler.add_job(
            job_enqueue,
            trigger=job.trigger,
            args=[job],
            id=job.name,
            name=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Hold a lock named `name` across processes and machines; yields whether it was got.

    On PostgreSQL an advisory lock, which the server lets go of if the process dies; on
    other databases an entry in the shared cache (atomic in Redis and the database cache),
    which expires after LOCK_SECONDS if the process dies holding it.
    """
    key = f"portal:lock:{name}"
    with _held_lock:
        # PostgreSQL would let the same connection take it again.
        held = False if key in _held else _acquire(key)
        if held:
            _held[key] = held
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        with _held_lock:
            _release(key, _held.pop(key))


# The locks this process holds, and what releases each.
_held: dict[str, str | bool] = {}
_held_lock = threading.Lock()


def _acquire(key: str) -> str | bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [key])
            return bool(cursor.fetchone()[0])
    token = uuid.uuid4().hex
    return token if cache.add(key, token, timeout=LOCK_SECONDS) else False


def _release(key: str, held: str | bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])
    elif cache.get(key) == held:
        cache.delete(key)


def _command(name: str, *args: str) -> str:
    output = StringIO()
    call_command(name, *args, stdout=output)
    return output.getvalue().strip()


def _command_locked(name: str) -> str:
    with job_lock(name) as acquired:
        if not acquired:
            logger.info("%s is already running elsewhere; this run does nothing.", name)
            return "Already running elsewhere: nothing done."
        return _command(name)


# --- The jobs -------------------------------------------------------------------------------


@cron("* * * * *")
@task()
def heartbeat() -> None:
    """Record that the scheduler and the worker both run (checked by /health/ready/)."""
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=None)


@cron("* * * * *")
@task()
def publish_scheduled() -> str:
    """Wagtail's scheduled publishing and expiry."""
    return _command_locked("publish_scheduled")


@cron("*/5 * * * *")
@task()
def send_queued_email() -> str:
    """The outbox's safety net: sends due email whose task was lost."""
    return _command("send_queued_email")


@cron("0 7 * * *")
@task()
def send_digests() -> str:
    """Action reminders, then the daily digests (and the weekly ones on their weekday)."""
    return _command("send_digests")


@cron("30 3 * * *")
@task()
def purge_feedback() -> str:
    """Retention: old feedback, sent email and finished task results."""
    return _command_locked("purge_feedback")
