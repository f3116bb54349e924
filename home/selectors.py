"""Reads for feedback: which form a site uses, and where a submission goes."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from wagtail import hooks
from wagtail.models import Site

from .models.feedback import FeedbackFormPage, FeedbackRoute, FeedbackSubmission


def feedback_form_for_site(*, site: Site | None) -> FeedbackFormPage | None:
    """The site's live feedback form (the first, if editors made several), or None."""
    if site is None:
        return None
    return FeedbackFormPage.objects.live().descendant_of(site.root_page).order_by("path").first()


def feedback_new_count() -> int:
    """How many submissions nobody has triaged yet (status New)."""
    return FeedbackSubmission.objects.filter(status=FeedbackSubmission.Status.NEW).count()


def feedback_submission_for_token(token: uuid.UUID) -> FeedbackSubmission | None:
    """The submission a rendered form (its token) already produced, or None."""
    return FeedbackSubmission.objects.filter(form_token=token).first()


def region_coordinators(region: str | None) -> tuple[str, list[str]] | None:
    """The working group of `region` as (its title, its active coordinators' addresses), or
    None. The members' area answers through the `feedback_region_coordinators` hook
    (groups.wagtail_hooks), so the public site needs no import of it."""
    for hook in hooks.get_hooks("feedback_region_coordinators"):
        found = hook(region)
        if found is not None:
            return found
    return None


@dataclass
class Recipient:
    address: str
    admin_link: bool = True  # coordinators cannot open submissions in the admin
    copy_for: str = ""  # set on the coordinating organisation's copy of a routed email


@dataclass
class Routing:
    recipients: list[Recipient] = field(default_factory=list)
    include_answers: bool = False
    group_title: str = ""  # the working group a joining request was routed to


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
        title, coordinators = region_coordinators(region) or ("", [])
        if coordinators:
            organisation = [Recipient(r.address, copy_for=title) for r in defaults]
            recipients = [Recipient(address, admin_link=False) for address in coordinators] + listed + organisation
            return Routing(recipients=_unique(recipients), include_answers=include_answers, group_title=title)
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
