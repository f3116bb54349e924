"""Two `send_digests` runs at once never send an item twice (PostgreSQL: real concurrent transactions)."""

import threading

import pytest

from django.db import connection, connections, transaction

from groups.models import Notification
from groups.notifications.services import (
    action_reminders_create,
    digests_send,
    notifications_muted,
    notify_update_posted,
)
from portal.models import OutboundEmail
from tests.factories import (
    SENSITIVE,
    MembersAreaIndexPageFactory,
    WorkingGroupPageFactory,
    make_action,
    make_meeting,
    make_member,
    make_update,
)

RUNS = 6

pytestmark = [
    # Transactional: each thread commits. Serialized rollback restores what the migrations
    # made (the default site, the root page) that the flush at the end removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"),
]


def run_at_once(function):
    """Call `function` from RUNS threads released together; return what each returned or raised."""
    barrier = threading.Barrier(RUNS)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # reported by the test
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def group(home_page):
    return WorkingGroupPageFactory(parent=MembersAreaIndexPageFactory(parent=home_page), region="cumbria")


def test_concurrent_digest_runs_send_each_item_once(group):
    author = make_member(group)
    members = [make_member(group) for _ in range(5)]
    for _ in range(20):
        update = make_update(group, author=author, title=f"Update title {SENSITIVE}", body=f"Update body {SENSITIVE}")
        notify_update_posted(update=update, actor=author)

    results = run_at_once(lambda: digests_send(frequencies=["daily"]))

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(result["items"] for result in results) == 100
    for member in members:
        email = OutboundEmail.objects.get(to=[member.email])
        assert email.subject == "Your working group digest: 20 new items"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_persons_items_go_out_together_while_another_transaction_holds_one(group):
    """The split that overlapping runs once made, made on purpose: another transaction
    holds one of a person's waiting rows (as a run part-way through locking them would).
    The run waits for it instead of sending the rest now and that one later."""
    member = make_member(group)
    author = make_member(group)
    for _ in range(3):
        notify_update_posted(update=make_update(group, author=author), actor=author)
    held_row = Notification.objects.filter(recipient=member).earliest("pk")
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=held_row.pk)
                holding.set()
                release.wait()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    sender = threading.Thread(target=lambda: (digests_send(frequencies=["daily"]), connections.close_all()))
    sender.start()
    while sender.is_alive() and not _waiting_for_a_lock():
        sender.join(timeout=0.01)
    release.set()
    holder.join()
    sender.join()
    digests_send(frequencies=["daily"])

    email = OutboundEmail.objects.get(to=[member.email])
    assert email.subject == "Your working group digest: 3 new items"


def _waiting_for_a_lock() -> bool:
    """Whether another connection to this database is waiting for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock')"
        )
        return cursor.fetchone()[0]


def test_concurrent_reminder_runs_record_each_reminder_once(group):
    import datetime

    owner = make_member(group)
    with notifications_muted():
        meeting = make_meeting(group, title=f"Meeting {SENSITIVE}", agenda=[("Notes", f"<p>Notes {SENSITIVE}</p>")])
    actions = [
        make_action(meeting, description=f"Action {SENSITIVE}", owner_user=owner, due_date=datetime.date.today())
        for _ in range(10)
    ]

    results = run_at_once(lambda: action_reminders_create(actions=actions))

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(results) == 10
    assert Notification.objects.filter(recipient=owner).count() == 10
