"""Reads for feedback: which form a site uses, and where a submission goes."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from wagtail.models import Site

from groups.models import Membership, Region, WorkingGroupPage

from .models.feedback import FeedbackFormPage, FeedbackRoute, FeedbackSubmission


def feedback_form_for_site(*, site: Site | None) -> FeedbackFormPage | None:
    """The site's live feedback form (the first, if editors made several), or None."""
    if site is None:
        return None
    return FeedbackFormPage.objects.live().descendant_of(site.root_page).order_by("path").first()


def feedback_submission_for_token(token: uuid.UUID) -> FeedbackSubmission | None:
    """The submission a rendered form (its token) already produced, or None."""
    return FeedbackSubmission.objects.filter(form_token=token).first()


def working_group_for_region(region: str | None) -> WorkingGroupPage | None:
    """The live working group whose region (its value or its name) is `region`, or None."""
    wanted = " ".join((region or "").split()).lower()
    if not wanted:
        return None
    for value, label in Region.choices:
        if wanted in (value.lower(), label.lower()):
            return WorkingGroupPage.objects.live().filter(region=value).first()
    return None


def group_coordinator_emails(group: WorkingGroupPage) -> list[str]:
    """The email addresses of a group's active coordinators (Membership is the source of truth)."""
    return list(
        Membership.objects.filter(
            working_group=group, status=Membership.Status.ACTIVE, role=Membership.Role.COORDINATOR
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


@dataclass
class Recipient:
    address: str
    admin_link: bool = True  # coordinators cannot open submissions in the admin
    copy_for: str = ""  # set on the coordinating organisation's copy of a routed email


@dataclass
class Routing:
    recipients: list[Recipient] = field(default_factory=list)
    include_answers: bool = False
    group: WorkingGroupPage | None = None


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    result: list[Recipient] = []
    for recipient in recipients:
        if recipient.address.lower() not in seen:
            seen.add(recipient.address.lower())
            result.append(recipient)
    return result


def feedback_routing(*, form_page: FeedbackFormPage, topic: str, region: str) -> Routing:
    """Who receives a submission about `topic` from `region`, and whether they see the answers.

    Only the routing rules and the form page decide; nothing the sender typed is used
    except to pick a rule and a region. A join request for a region whose group has no
    active coordinator goes to the usual recipients, so nothing is lost.
    """
    defaults = [Recipient(address) for address in form_page.default_recipients()]
    include_answers = form_page.include_answers_in_email
    rule = FeedbackRoute.objects.filter(topic__iexact=" ".join((topic or "").split())).first() if topic else None
    if rule is None:
        return Routing(recipients=_unique(defaults), include_answers=include_answers)
    include_answers = include_answers or rule.include_answers
    listed = [Recipient(address) for address in rule.addresses]
    if rule.to_group_coordinators:
        group = working_group_for_region(region)
        coordinators = group_coordinator_emails(group) if group is not None else []
        if group is not None and coordinators:
            organisation = [Recipient(r.address, copy_for=group.title) for r in defaults]
            recipients = [Recipient(address, admin_link=False) for address in coordinators] + listed + organisation
            return Routing(recipients=_unique(recipients), include_answers=include_answers, group=group)
    return Routing(recipients=_unique(listed or defaults), include_answers=include_answers)


FIXED_EXPORT_FIELDS = ("reference", "submit_time")


def feedback_export(*, submissions: QuerySet[FeedbackSubmission]) -> tuple[list[str], list[list[Any]]]:
    """A header and rows for a spreadsheet of `submissions`: the triage columns, then one
    column per question of the forms they came from (cells are made safe by the writer)."""
    rows_of = list(submissions.select_related("page", "assignee", "source_page"))
    questions: dict[str, str] = {}
    for page in FeedbackFormPage.objects.filter(pk__in={s.page_id for s in rows_of}).order_by("path"):
        for name, label in page.get_data_fields():
            if name not in FIXED_EXPORT_FIELDS:
                questions.setdefault(name, label)
    header = ["Reference", "Submitted", "Form", "Topic", "Region", "About the page", "Status", "Assignee"]
    header += [*questions.values(), "Internal notes"]
    rows = []
    for submission in rows_of:
        rows.append(
            [
                submission.reference,
                submission.submit_time,
                submission.page.title,
                submission.topic,
                submission.region,
                submission.source_page.title if submission.source_page else "",
                submission.get_status_display(),
                submission.assignee.email if submission.assignee else "",
                *[submission.form_data.get(name) for name in questions],
                submission.internal_notes,
            ]
        )
    return header, rows
