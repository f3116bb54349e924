"""The recurring jobs: declared with their cron expressions, each doing its work once when
run, run twice, or run while another run of it is still going."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wagtail.models import PageLogEntry, Revision

from groups.notifications.services import notify_update_posted
from home.models import FeedbackSubmission
from portal import schedule
from portal.models import OutboundEmail
from tests.factories import SENSITIVE, GuidancePageFactory, make_member, make_update

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_the_schedule_declares_each_job_with_its_cron_expression():
    assert {name: job.cron for name, job in schedule.SCHEDULE.items()} == {
        "heartbeat": "* * * * *",
        "publish_scheduled": "* * * * *",
        "send_queued_email": "*/5 * * * *",
        "send_digests": "0 7 * * *",
        "purge_feedback": "30 3 * * *",
    }


@pytest.mark.parametrize(
    ("name", "after", "expected"),
    [
        ("heartbeat", datetime.datetime(2026, 3, 2, 9, 0, 30, tzinfo=LONDON), datetime.datetime(2026, 3, 2, 9, 1)),
        ("send_queued_email", datetime.datetime(2026, 3, 2, 9, 1, tzinfo=LONDON), datetime.datetime(2026, 3, 2, 9, 5)),
        ("send_digests", datetime.datetime(2026, 3, 2, 7, 0, 1, tzinfo=LONDON), datetime.datetime(2026, 3, 3, 7, 0)),
        # Cron times are London's, summer time included.
        ("send_digests", datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC), datetime.datetime(2026, 6, 1, 7, 0)),
        ("purge_feedback", datetime.datetime(2026, 3, 2, 4, 0, tzinfo=LONDON), datetime.datetime(2026, 3, 3, 3, 30)),
    ],
)
def test_the_scheduler_runs_each_job_at_its_times(name, after, expected):
    jobs = {job.id: job for job in schedule.scheduler_build().get_jobs()}

    assert set(jobs) == set(schedule.SCHEDULE)
    due = jobs[name].trigger.get_next_fire_time(None, after)
    assert due.astimezone(LONDON).replace(tzinfo=None) == expected


def test_weekdays_must_be_names():
    with pytest.raises(ValueError, match="weekday name"):
        schedule.cron("0 7 * * 1")


@pytest.mark.django_db
def test_each_due_time_is_enqueued_once_however_many_schedulers_run():
    job = schedule.SCHEDULE["heartbeat"]
    at = datetime.datetime(2026, 3, 2, 9, 0, 0, 20_000, tzinfo=datetime.UTC)

    assert schedule.job_enqueue(job, now=at) is True
    assert cache.get(schedule.HEARTBEAT_CACHE_KEY) is not None
    cache.delete(schedule.HEARTBEAT_CACHE_KEY)
    # A second scheduler whose clock fires a little later, for the same minute.
    assert schedule.job_enqueue(job, now=at + datetime.timedelta(seconds=2)) is False
    assert cache.get(schedule.HEARTBEAT_CACHE_KEY) is None
    # The next minute is a due time of its own.
    assert schedule.job_enqueue(job, now=at + datetime.timedelta(minutes=1)) is True


@pytest.mark.django_db
def test_jobs_are_enqueued_for_the_worker_with_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    for job in schedule.SCHEDULE.values():
        schedule.job_enqueue(job)

    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(
        f"portal.schedule.{name}" for name in schedule.SCHEDULE
    )


# --- Each job does its work once ------------------------------------------------------------


@pytest.mark.django_db
def test_the_heartbeat_records_when_it_ran():
    at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        schedule.heartbeat.call()
    assert cache.get(schedule.HEARTBEAT_CACHE_KEY) == at.timestamp()


def pending_email():
    return OutboundEmail.objects.create(to=["a@example.org"], from_email="x@example.org", subject="s", body_text="b")


@pytest.mark.django_db
def test_the_outbox_sweep_sends_a_lost_email_once(mailoutbox):
    email = pending_email()  # stored without its task, as if the task were lost

    schedule.send_queued_email.call()
    schedule.send_queued_email.call()

    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


@pytest.fixture
def scheduled_page(guidance_index):
    page = GuidancePageFactory(parent=guidance_index, slug="scheduled", title="Before")
    page.title = "After"
    page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    return page


def scheduled_publications():
    return PageLogEntry.objects.filter(action="wagtail.publish.scheduled").count()


@pytest.mark.django_db
def test_scheduled_publishing_publishes_once_when_run_twice(scheduled_page):
    schedule.publish_scheduled.call()
    schedule.publish_scheduled.call()

    scheduled_page.refresh_from_db()
    assert scheduled_page.title == "After"
    assert scheduled_publications() == 1


@pytest.mark.django_db
def test_scheduled_publishing_does_nothing_while_another_run_holds_the_lock(scheduled_page):
    with schedule.job_lock("publish_scheduled") as acquired:
        assert acquired
        assert schedule.publish_scheduled.call() == "Already running elsewhere: nothing done."
        assert scheduled_publications() == 0

    schedule.publish_scheduled.call()
    assert scheduled_publications() == 1


@pytest.mark.django_db
def test_a_lock_is_held_by_one_at_a_time_and_released():
    with schedule.job_lock("job") as first:
        with schedule.job_lock("job") as second:
            assert (first, second) == (True, False)
        with schedule.job_lock("another-job") as other:
            assert other
    with schedule.job_lock("job") as again:
        assert again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_runs_of_scheduled_publishing_publish_once(scheduled_page, monkeypatch):
    """A second run starting while the first is still publishing does nothing (on PostgreSQL
    the lock is the server's, taken on another connection)."""
    publishing, finish = threading.Event(), threading.Event()
    original_publish = Revision.publish

    def slow_publish(self, *args, **kwargs):
        publishing.set()
        assert finish.wait(10)
        return original_publish(self, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", slow_publish)
    outcome = {}

    def first_run():
        try:
            outcome["first"] = schedule.publish_scheduled.call()
        finally:
            connection.close()

    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert publishing.wait(10)
        outcome["second"] = schedule.publish_scheduled.call()
    finally:
        finish.set()
        thread.join(10)

    assert outcome["second"] == "Already running elsewhere: nothing done."
    assert outcome["first"] != outcome["second"]
    assert scheduled_publications() == 1


@pytest.mark.django_db
def test_digests_are_sent_once_when_run_twice(cumbria):
    author, member = make_member(cumbria), make_member(cumbria)
    update = make_update(cumbria, author=author, title=f"Update title {SENSITIVE}", body=f"Update body {SENSITIVE}")
    notify_update_posted(update=update, actor=author)

    first = schedule.send_digests.call()
    schedule.send_digests.call()

    assert "1 emails queued with 1 items" in first
    assert OutboundEmail.objects.filter(to=[member.email]).count() == 1


@pytest.mark.django_db
def test_retention_deletes_once(feedback_page):
    old = FeedbackSubmission.objects.create(page=feedback_page, form_data={"your_message": "Old."})
    FeedbackSubmission.objects.filter(pk=old.pk).update(submit_time=timezone.now() - datetime.timedelta(days=400))

    first = schedule.purge_feedback.call()
    second = schedule.purge_feedback.call()

    assert "Deleted 1 feedback submissions" in first
    assert "Deleted 0 feedback submissions" in second
    assert not FeedbackSubmission.objects.exists()


def test_the_scheduler_command_starts_with_every_job(monkeypatch):
    started = []
    monkeypatch.setattr(
        "apscheduler.schedulers.blocking.BlockingScheduler.start",
        lambda self: started.append(sorted(job.id for job in self.get_jobs())),
    )
    from io import StringIO

    out = StringIO()
    call_command("run_scheduler", stdout=out)

    assert started == [sorted(schedule.SCHEDULE)]
    assert "0 7 * * *    send_digests" in out.getvalue()


@pytest.mark.django_db
def test_on_postgresql_a_run_in_another_process_holds_the_lock(scheduled_page):
    """Another process's run holds the server's advisory lock: this one does nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory locks: run with DATABASE_URL=postgres://…")
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext('portal:lock:publish_scheduled'))")
            assert cursor.fetchone()[0]
        assert schedule.publish_scheduled.call() == "Already running elsewhere: nothing done."
        assert scheduled_publications() == 0
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('portal:lock:publish_scheduled'))")
    finally:
        other.close()

    schedule.publish_scheduled.call()
    assert scheduled_publications() == 1
