"""Background tasks, run by `manage.py db_worker`."""

from django_tasks import task

from .outbox import email_send


@task()
def send_outbound_email(email_id):
    """Send one outbox email; failures reschedule themselves (see portal.outbox)."""
    return email_send(email_id=email_id)
