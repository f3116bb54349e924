"""Emails the Wagtail admin sends itself (moderation and workflow notifications) go
through the outbox like every other email, and carry no member-written words: no page
title, task name, person or comment, only a link to the admin."""

import pytest

from django.contrib.auth.models import Group
from django.core import mail

from portal.models import OutboundEmail
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Jordan from St Aidan's"


@pytest.fixture
def workflow(home_page):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    reviewers = Group.objects.create(name="Reviewers")
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(reviewers)
    task = GroupApprovalTask.objects.create(name=f"Check {SECRET}")
    task.groups.set([reviewers])
    workflow = Workflow.objects.create(name="Sign-off")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow, reviewer


def test_a_review_request_is_queued_in_the_outbox_without_titles(workflow, home_page, admin_user):
    workflow, reviewer = workflow
    page = StandardPageFactory(parent=home_page, title=SECRET)
    page.save_revision(user=admin_user)
    workflow.start(page, admin_user)
    assert mail.outbox == []  # nothing sent straight from the request
    email = OutboundEmail.objects.get(to=[reviewer.email])
    assert email.status == OutboundEmail.Status.PENDING
    assert email.subject == "A page is waiting for your review"
    for text in (email.subject, email.body_text, email.body_html):
        assert "Jordan" not in text and "Aidan" not in text
    assert f"/admin/pages/{page.pk}/edit/" in email.body_text


def test_wagtails_send_mail_uses_the_outbox():
    from wagtail.admin.mail import send_mail

    send_mail("Subject", "Body", ["someone@example.org"])
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(to=["someone@example.org"], subject="Subject").exists()


@pytest.mark.parametrize("outcome", ["approve", "reject"])
def test_the_outcome_of_a_review_is_queued_without_titles_either(workflow, home_page, outcome):
    workflow, reviewer = workflow
    reviewer.is_superuser = True  # approving the last task publishes the page
    reviewer.save()
    submitter = UserFactory(email="submitter@example.org", is_superuser=True, is_staff=True)
    page = StandardPageFactory(parent=home_page, title=SECRET)
    page.save_revision(user=submitter)
    state = workflow.start(page, submitter)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, outcome, comment=f"About {SECRET}")
    emails = OutboundEmail.objects.filter(to=[submitter.email])
    assert emails.exists()  # the submitter is told, through the outbox
    assert mail.outbox == []
    for email in OutboundEmail.objects.all():
        for text in (email.subject, email.body_text, email.body_html):
            assert "Jordan" not in text and "Aidan" not in text, (email.subject, text)
