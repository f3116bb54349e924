"""Security matrix row F04: one rendered form sent twice, one after the other or at once,
stores one submission and one email, and both requests get the same confirmation."""

import threading

import pytest

from django.db import connection
from django.test import Client

from home.models import FeedbackSubmission
from portal.models import OutboundEmail
from tests.factories import feedback_ticket
from tests.feedback import post_feedback


@pytest.mark.django_db
def test_the_same_form_sent_twice_stores_once_and_confirms_twice_alike(
    client, feedback_page, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = feedback_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_feedback(client, feedback_page, ticket=ticket)
        second = post_feedback(client, feedback_page, ticket=ticket)

    assert first.status_code == second.status_code == 302
    assert client.get(first["Location"]).content == client.get(second["Location"]).content
    assert FeedbackSubmission.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions: PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_twice_at_once_stores_one_row(feedback_page):
    ticket = feedback_ticket()
    start = threading.Barrier(2)
    statuses = []

    def send():
        try:
            start.wait()
            statuses.append(post_feedback(Client(), feedback_page, ticket=ticket).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302, 302]
    assert FeedbackSubmission.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
