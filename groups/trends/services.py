"""Writes for trends: submitting returns (one at a time or imported from a spreadsheet),
reminding organisations, and recording a summary's figures in the ledger when it is published.

Who may submit for which organisation is decided by the callers from `Membership`
(`groups.permissions.member_organisation`); these functions trust the organisation they
are given but check it has active members in the working group, and check every number.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.models import WorkflowState

from groups.models import (
    AllRegionsTrendSummaryPage,
    Membership,
    Organisation,
    TrendCount,
    TrendLedgerEntry,
    TrendPublication,
    TrendReturn,
    TrendSourceVersion,
    TrendSummaryPage,
    WorkingGroupPage,
)
from portal.audit import audit_record
from portal.mail import admin_mail_muted
from portal.outbox import email_queue

from .audit import AuditRefused, AuditResult, Scope
from .categories import BREAKDOWN_OF, BREAKDOWNS, CATEGORY_KEYS
from .forms import TrendReturnForm
from .imports import (
    HEADERS,
    ORGANISATION,
    ImportFileError,
    ImportResult,
    RowError,
    cell_text,
    error_column,
    form_row_errors,
    header_columns,
    normalise,
    read_rows,
)
from .quarters import Quarter
from .selectors import (
    PreparedSummary,
    SummaryPage,
    last_reminder,
    release_recorded,
    reporting_organisations,
    return_form_url,
    summary_scope,
    trend_quarters,
    trend_release_pages,
    trend_release_prepare,
    trend_release_waiting,
    trend_release_waiting_prepare,
    trend_return_tracking,
    trend_summary_prepare,
    trend_summary_prepare_withheld,
)
from .validation import MAX_COUNT, NOTE_MAX_LENGTH, breakdown_errors, quarter_error, validate_note

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from wagtail.models import Page, Revision

# One reminder per group and quarter in this time, however often the button is pressed.
REMINDER_INTERVAL = datetime.timedelta(hours=24)
# The bulk import's limits: a quarter's returns for one region fit well inside them.
MAX_UPLOAD_BYTES = 1_000_000
MAX_ROWS = 500


# Returns


def _validate(
    *,
    working_group: WorkingGroupPage,
    organisation: Organisation,
    quarter: Quarter,
    total: int,
    counts: dict[str, int],
    note: str,
) -> None:
    """Raise ValidationError with a message (or messages) per field when the return breaks a rule."""
    errors: dict[str, str | list[str]] = {}
    message = quarter_error(quarter)
    if message:
        errors["quarter"] = message
    unknown = set(counts) - set(CATEGORY_KEYS)
    if unknown:
        errors["__all__"] = f"Unknown categories: {', '.join(sorted(unknown))}."
    for key, value in {"total": total, **counts}.items():
        if key in unknown:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[key] = "Enter a whole number."
        elif not 0 <= value <= MAX_COUNT:
            errors[key] = f"Enter a number from 0 to {MAX_COUNT:,}."
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"The note must be {NOTE_MAX_LENGTH} characters or fewer."
    else:
        try:
            validate_note(note)
        except ValidationError as error:
            errors["note"] = error.messages
    if not errors:
        errors.update(breakdown_errors(total=total, counts=counts))
    if not Membership.objects.filter(
        working_group=working_group, organisation=organisation, status=Membership.Status.ACTIVE
    ).exists():
        errors["organisation"] = f"{organisation} has no active members in the {working_group.title}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def trend_return_submit(
    *,
    group: WorkingGroupPage,
    organisation: Organisation,
    submitted_by: User | None,
    quarter: Quarter,
    total: int,
    counts: dict[str, int],
    note: str = "",
    submitted_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> TrendReturn:
    """Store a new version of `organisation`'s return for `group`'s region and `quarter`.

    `counts` maps category keys to whole numbers (a missing key counts 0). The version
    is one more than the latest, which stops being current; earlier versions are kept.
    Raises ValidationError with a message per field (breakdowns by their key).
    """
    note = (note or "").strip()
    counts = {**dict.fromkeys(CATEGORY_KEYS, 0), **counts}
    _validate(working_group=group, organisation=organisation, quarter=quarter, total=total, counts=counts, note=note)

    # One submission at a time per organisation, so versions never collide.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    versions = TrendReturn.objects.filter(
        organisation=organisation, working_group=group, year=quarter.year, quarter=quarter.number
    )
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    versions.filter(is_current=True).update(is_current=False)
    trend_return = TrendReturn.objects.create(
        organisation=organisation,
        working_group=group,
        year=quarter.year,
        quarter=quarter.number,
        version=latest + 1,
        is_current=True,
        submitted_by=submitted_by,
        submitted_at=submitted_at or timezone.now(),
        total=total,
        note=note,
    )
    TrendCount.objects.bulk_create(
        TrendCount(trend_return=trend_return, breakdown=BREAKDOWN_OF[key].key, category=key, count=counts[key])
        for key in CATEGORY_KEYS
    )
    if submitted_by is not None:
        audit_record(
            action="portal.trend_return_submitted",
            request=request,
            user=submitted_by,
            group=group.title,
            organisation=organisation.name,
            quarter=quarter.code,
            version=trend_return.version,
        )
    return trend_return


# Typical shares of each category, for fictional figures shaped like the published
# patterns (NCA and IWF alerts, 2023-2024): most children are 13 to 17, boys are the large
# majority (financially motivated cases dominate), first contact is mostly on gaming
# platforms and social media, most demands are for money. For "what followed", the share
# of children each step applies to. Made-up figures only: never a source for real ones.
SAMPLE_SHARES = {
    "age_under_11": 0.02,
    "age_11_12": 0.10,
    "age_13_15": 0.50,
    "age_16_17": 0.33,
    "age_18_over": 0.05,
    "gender_boys": 0.74,
    "gender_girls": 0.22,
    "gender_other_unknown": 0.04,
    "contact_social_media": 0.30,
    "contact_gaming": 0.36,
    "contact_messaging": 0.22,
    "contact_other": 0.05,
    "contact_unknown": 0.07,
    "demand_money": 0.70,
    "demand_images": 0.19,
    "demand_sexual_acts": 0.05,
    "demand_criminal_acts": 0.02,
    "demand_unknown": 0.04,
    "paid_yes": 0.24,
    "paid_no": 0.62,
    "paid_unknown": 0.14,
    "ransom_under_50": 0.14,
    "ransom_50_499": 0.42,
    "ransom_500_2500": 0.14,
    "ransom_over_2500": 0.03,
    "ransom_unknown": 0.27,
    "followed_police": 0.72,
    "followed_report_remove": 0.30,
    "followed_social_care": 0.45,
    "followed_mental_health": 0.28,
    "followed_suicide_prevention": 0.07,
}


def trend_counts_sample(*, total: int, rng: random.Random) -> dict[str, int]:
    """Fictional counts adding up to `total`, for demo content, tests and benchmarks: each
    child drawn from SAMPLE_SHARES, so the usual categories lead and the rare ones are the
    genuinely small cells real returns have."""
    counts: dict[str, int] = {}
    for breakdown in BREAKDOWNS:
        if breakdown.partition:
            weights = [SAMPLE_SHARES[key] for key in breakdown.keys]
            drawn = rng.choices(breakdown.keys, weights=weights, k=total)
            counts.update({key: drawn.count(key) for key in breakdown.keys})
        else:
            counts.update({key: sum(rng.random() < SAMPLE_SHARES[key] for _ in range(total)) for key in breakdown.keys})
    return counts


def trend_return_create_sample(
    *,
    group: WorkingGroupPage,
    organisation: Organisation,
    quarter: Quarter,
    total: int,
    seed: int | None = None,
    submitted_by: User | None = None,
    note: str = "",
) -> TrendReturn:
    """A fictional return with plausible counts: what the demo content calls."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo figures, not security
    submitted_at = timezone.make_aware(datetime.datetime.combine(quarter.end, datetime.time(12)))
    submitted_at += datetime.timedelta(days=rng.randint(1, 20))
    return trend_return_submit(
        group=group,
        organisation=organisation,
        submitted_by=submitted_by,
        quarter=quarter,
        total=total,
        counts=trend_counts_sample(total=total, rng=rng),
        note=note,
        submitted_at=min(submitted_at, timezone.now()),
    )


class ReminderError(ValidationError):
    """A reminder that was not sent; the message says why."""


@transaction.atomic
def trend_return_remind(
    *, working_group: WorkingGroupPage, quarter: Quarter, sent_by: User, request: HttpRequest | None = None
) -> int:
    """Email every active member of each organisation in `working_group` that has not
    submitted a return for `quarter`, once per REMINDER_INTERVAL. Returns the number of emails.

    The email names the quarter, the deadline and the form's link: nothing about any
    organisation's figures.
    """
    sent = last_reminder(working_group=working_group, quarter=quarter)
    if sent is not None and sent > timezone.now() - REMINDER_INTERVAL:
        raise ReminderError(
            "A reminder was already sent at "
            + date_format(timezone.localtime(sent), "H:i \\o\\n j F Y")
            + ". You can send another 24 hours after that.",
            code="too_soon",
        )
    outstanding = [
        row["organisation"]
        for row in trend_return_tracking(working_group=working_group, quarter=quarter)
        if not row["trend_return"]
    ]
    memberships = (
        Membership.objects.filter(
            working_group=working_group, organisation__in=outstanding, status=Membership.Status.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
    )
    recipients = sorted({m.user.email for m in memberships if m.user.email and m.user.is_active})
    if not recipients:
        raise ReminderError("Every organisation has submitted its return: there is nobody to remind.", code="none")
    context = {
        "group_name": working_group.title,
        "quarter": quarter.label,
        "deadline": date_format(quarter.deadline, "j F Y"),
        "form_url": return_form_url(working_group=working_group, quarter=quarter),
    }
    for address in recipients:
        email_queue(
            to=[address],
            subject=f"Reminder: trend return for {quarter.label}",
            template="emails/trend_return_reminder",
            context=context,
        )
    audit_record(
        action="portal.trend_return_reminder",
        request=request,
        user=sent_by,
        group_id=working_group.pk,
        group=working_group.title,
        quarter=quarter.code,
        organisations=len(outstanding),
        recipients=len(recipients),
    )
    return len(recipients)


def trend_returns_import(
    *,
    working_group: WorkingGroupPage,
    uploaded_file: UploadedFile,
    imported_by: User,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Validate every row of `uploaded_file`; if all are valid, store them as returns
    submitted by `imported_by` (a new version where one exists). Returns ImportResult;
    raises ImportFileError for a file that cannot be read at all.

    Every row is validated with the return form and every error reported with its row
    number and column; only when there are none are the returns stored, all in one
    transaction, so a file is imported whole or not at all.
    """
    rows = read_rows(uploaded_file, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS)
    rows = [row for row in rows if any(cell_text(value) for value in row)]
    if not rows:
        raise ImportFileError("The selected file is empty.")
    columns = header_columns(rows[0])
    body = rows[1:]
    if not body:
        raise ImportFileError("The file has a header but no returns.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"Import at most {MAX_ROWS} returns at a time.")

    organisations = {normalise(o.name): o for o in reporting_organisations(working_group=working_group)}
    result, valid = ImportResult(), []
    seen: dict[tuple[int, Quarter], int] = {}
    for number, row in enumerate(body, start=2):
        data = {column: cell_text(row[index]) if index < len(row) else "" for index, column in columns.items()}
        form = TrendReturnForm(data=data)
        organisation = organisations.get(normalise(data[ORGANISATION]))
        if organisation is None:
            message = (
                "Enter the organisation's name"
                if not data[ORGANISATION]
                else f"“{data[ORGANISATION][:100]}” is not an organisation with members in this group"
            )
            result.errors.append(RowError(number, HEADERS[ORGANISATION], message))
        if not form.is_valid():
            result.errors += form_row_errors(number, form)
            continue
        if organisation is None:
            continue
        key = (organisation.pk, form.cleaned_data["quarter"])
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    HEADERS[ORGANISATION],
                    f"Row {seen[key]} is already {organisation}'s return for this quarter",
                )
            )
            continue
        seen[key] = number
        valid.append((number, organisation, form))
    if result.errors:
        return result

    try:
        with transaction.atomic():
            for number, organisation, form in valid:
                try:
                    result.created.append(
                        trend_return_submit(
                            group=working_group,
                            organisation=organisation,
                            submitted_by=imported_by,
                            quarter=form.cleaned_data["quarter"],
                            total=form.cleaned_data["total"],
                            counts=form.counts,
                            note=form.cleaned_data["note"],
                            request=request,
                        )
                    )
                except ValidationError as error:
                    result.errors += [
                        RowError(number, error_column(name), message)
                        for name, messages in error.message_dict.items()
                        for message in messages
                    ]
            if result.errors:
                raise _RollBack
            audit_record(
                action="portal.trend_returns_imported",
                request=request,
                user=imported_by,
                group=working_group.title,
                returns=len(result.created),
            )
    except _RollBack:
        result.created = []
    return result


class _RollBack(Exception):
    """Undo a partly stored import."""


# Summaries


def _record(
    *,
    page: SummaryPage | None,
    revision: Revision | None,
    prepared: PreparedSummary,
    withheld: AuditResult | None = None,
) -> list[TrendPublication]:
    """Append the prepared copies to the ledger: the source versions first (once each),
    then each copy with its entries, each entry marked revised where the returns behind it
    changed since the same figure was last published."""
    scope, data = prepared.scope, prepared.source_data
    known = set(TrendSourceVersion.objects.filter(key__in=data.rows).values_list("key", flat=True))
    TrendSourceVersion.objects.bulk_create(
        TrendSourceVersion(key=key, **row) for key, row in data.rows.items() if key not in known
    )
    last_sources: dict[Scope, tuple[str, ...] | None] = {}
    for earlier in prepared.ledger:
        for figure in earlier.figures:
            last_sources[figure] = earlier.source_keys(figure)
    quarters = trend_quarters(scope.quarter)
    recorded = []
    for index, audience in enumerate(prepared.audiences):
        proposed = prepared.protected.publications[index]
        reasons = prepared.protected.reasons[index]
        result = withheld.to_dict() if withheld else prepared.protected.result.to_dict()
        publication = TrendPublication.objects.create(
            page=page,
            revision=revision,
            audience=audience,
            region=scope.region,
            year=scope.quarter.year,
            quarter=scope.quarter.number,
            period_start=quarters[0].start,
            period_end=quarters[-1].end,
            threshold=proposed.threshold,
            organisations=data.organisations,
            sources={f"{region} {quarter}": key for (region, quarter), key in data.blocks.items()},
            audit=result,
            information_kept=prepared.protected.information_kept[index],
        )
        TrendLedgerEntry.objects.bulk_create(
            TrendLedgerEntry(
                publication=publication,
                regions=sorted(figure.regions),
                quarters=sorted(figure.quarters),
                category=figure.category,
                value=None if withheld else value,
                revised=last_sources.get(figure) not in (None, proposed.source_keys(figure)),
                no_data=value == 0 and not withheld and data.has_no_data(figure),
                reason=reasons.get(figure, "") if not withheld else "withheld",
            )
            for figure, value in proposed.figures.items()
        )
        recorded.append(publication)
    return recorded


def trend_summary_submit(*, page: SummaryPage, submitted_by: User) -> WorkflowState:
    """Submit `page`'s latest revision for a data steward's approval, as "Submit to Trend
    summary approval" does in the admin: the first key. Raises ValidationError when an
    administrator has switched the workflow off (then no summary can go live)."""
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError("The trend summary approval workflow is switched off: ask an administrator.")
    return workflow.start(page, submitted_by)


def trend_summary_approve(*, page: SummaryPage, approved_by: User, comment: str = "") -> None:
    """A data steward's approval of the submitted `page`, as "Approve and publish" in the
    admin: the second key, which publishes it. Raises PermissionDenied, saying why, when
    `approved_by` may not approve it (not a steward, the submitter, or of the submitter's
    organisation)."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        raise ValidationError("This trend summary is not waiting for approval.")
    task_state.task.specific.on_action(task_state, approved_by, "approve", comment=comment)


def trend_summary_check(*, page: SummaryPage) -> AuditResult:
    """Prepare and audit `page`'s copies without recording anything: what the admin runs
    before it publishes, so a release the audit refuses never goes live. Raises AuditRefused."""
    prepared = trend_summary_prepare(scope=summary_scope(page), public=bool(getattr(page, "publish_publicly", False)))
    return prepared.protected.result


@transaction.atomic
def trend_summary_publish(*, page: SummaryPage, revision: Revision | None) -> list[TrendPublication]:
    """Record the figures of `page`'s newly published `revision` in the ledger: a members'
    copy, and a public one when the page is also published to the public site. Called on
    `page_published`; publishing again records new copies, earlier ones are kept (they
    were published, so every later release is audited against them).

    A revision published with its quarter's release (`trend_release_publish`) is already
    recorded, with the figures protected and audited with the release's other tables: it
    is left as it is. Otherwise this page's revision is a release of its one table.

    The figures are the current returns (the latest version per organisation) for the
    region, or every region, over the summary's quarter and the quarters before it in the
    trend, protected and audited against everything published before
    (`audit.protect_release`). The admin refuses a release the audit refuses before it
    publishes (`trend_summary_check`); should the returns change in between so that the
    audit now refuses, every figure of this revision is recorded as `[c]` (hiding
    everything new can never narrow anything) and the refusal is stored, rather than
    failing a publication that has already gone live.
    """
    if release_recorded(revision=revision):
        # Recorded with its release (`trend_release_publish`), audited with the other tables.
        return list(TrendPublication.objects.filter(revision=revision))
    scope = summary_scope(page)
    public = bool(getattr(page, "publish_publicly", False))
    try:
        prepared = trend_summary_prepare(scope=scope, public=public)
    except AuditRefused as refusal:
        prepared = trend_summary_prepare_withheld(scope=scope, public=public)
        return _record(page=page, revision=revision, prepared=prepared, withheld=refusal.result)
    return _record(page=page, revision=revision, prepared=prepared)


# Releases: a quarter's summaries published together


@dataclass
class PublishedRelease:
    """A quarter's release as published: its pages (each region's, then all regions'),
    the ledger copies recorded for them, whether it revised an earlier release, and the
    audit that let it through (never a figure)."""

    quarter: Quarter
    pages: list[SummaryPage]
    publications: list[TrendPublication]
    revision: bool
    result: AuditResult


def _preparer_refusal(*, user: User, pages: list[SummaryPage | None], parents: list[Page]) -> str | None:
    """Why `user` may not prepare every summary of a release (as the admin's page
    permissions decide who may edit and submit one), or None."""
    if not user.is_active:
        return f"{user.email} cannot prepare trend summaries: the account is not active."
    refused = []
    for page, parent in zip(pages, parents, strict=True):
        if page is not None:
            allowed = page.permissions_for_user(user).can_edit()
        else:
            allowed = parent.permissions_for_user(user).can_add_subpage()
        if not allowed:
            refused.append("the all-regions summary" if parent.specific_class is not WorkingGroupPage else parent.title)
    if refused:
        return (
            f"{user.email} cannot prepare this release: only a group's coordinators and administrators prepare its "
            f"summary, and only administrators the all-regions one (not allowed: {', '.join(refused)})."
        )
    return None


def trend_release_publish(
    *, quarter: Quarter, prepared_by: User, approved_by: User, public: bool = False
) -> PublishedRelease:
    """Prepare, audit and publish `quarter`'s release, every summary together: each live
    working group's summary page and the all-regions one (made when missing, with the
    quarter's default title), to members and, when `public`, each regional summary to the
    public site too (an all-regions summary is for members only).

    Both keys, as in the admin: each page's latest revision is submitted to the approval
    workflow by `prepared_by` (who must be allowed to edit every page: a group's
    coordinator for its summary, an administrator for all of them) and approved by
    `approved_by` (a data steward of another organisation: the workflow's own rule). The
    tables are protected and audited as one candidate against everything already
    published (`selectors.trend_release_prepare`) and recorded in the ledger before the
    approvals publish them. All of it is one transaction: any refusal leaves nothing
    published and nothing recorded.

    Run again for a quarter already released (after a late return or a correction), it
    publishes a revision of the release through the same path, audited against everything
    published, the figures it revises included; figures whose returns changed are marked
    revised (`[r]`).

    The workflow's own emails ("a page is waiting for your review", "… has been
    approved") are not sent: both keys are turned here, by the two people named, so every
    steward would be asked to review what is already approved.

    Raises PermissionDenied (a preparer or approver the workflow would refuse),
    ValidationError (a page that cannot be published now, e.g. one already waiting for
    approval) or AuditRefused, each saying why and never a figure.
    """
    with admin_mail_muted(), transaction.atomic():
        return _release_publish(quarter=quarter, prepared_by=prepared_by, approved_by=approved_by, public=public)


def _release_publish(*, quarter: Quarter, prepared_by: User, approved_by: User, public: bool) -> PublishedRelease:
    found = trend_release_pages(quarter=quarter)
    if found.area is None or not found.regional:
        raise ValidationError("There are no working groups, so there is no release to publish.")
    existing = [page for _, page in found.regional] + [found.all_regions]
    parents = [group for group, _ in found.regional] + [found.area]
    refusal = _preparer_refusal(user=prepared_by, pages=existing, parents=parents)
    if refusal:
        raise PermissionDenied(refusal)

    pages: list[SummaryPage] = []
    for page, parent in zip(existing, parents, strict=True):
        if page is None:
            model = AllRegionsTrendSummaryPage if parent is found.area else TrendSummaryPage
            page = parent.add_child(instance=model(year=quarter.year, quarter=quarter.number, live=False))
        elif page.workflow_in_progress:
            raise ValidationError(
                f"“{page.title}” is already waiting for a data steward's approval: approve it or cancel the "
                "approval in the admin first."
            )
        pages.append(page)
    revision_of_release = any(page.live for page in pages)

    # The first key: each page's latest revision, submitted by the preparer.
    revisions = []
    for index, page in enumerate(pages):
        draft = page.get_latest_revision_as_object()  # the page itself when it has no revision yet
        if isinstance(draft, TrendSummaryPage):
            draft.publish_publicly = public
        draft.go_live_at = None  # published now, with the rest of the release
        revisions.append(draft.save_revision(user=prepared_by))
        trend_summary_submit(page=draft, submitted_by=prepared_by)
        task_state = draft.current_workflow_task_state
        refusal = task_state.task.specific.approval_refusal(draft, approved_by) if task_state else None
        if refusal:
            raise PermissionDenied(refusal)
        pages[index] = draft

    # Protected and audited as one, then recorded for the revisions about to go live.
    prepared = trend_release_prepare(quarter=quarter, tables=[summary_scope(page) for page in pages], public=public)
    publications = []
    for page, revision, table in zip(pages, revisions, prepared, strict=True):
        publications += _record(page=page, revision=revision, prepared=table)

    # The second key: the steward's approval publishes each page (its figures are those
    # just recorded: `trend_summary_publish` leaves them as they are).
    for page, revision in zip(pages, revisions, strict=True):
        trend_summary_approve(page=page, approved_by=approved_by)
        page.refresh_from_db()
        if not page.live or page.live_revision_id != revision.pk:
            raise ValidationError(f"“{page.title}” was not published, so nothing of the release was.")
    return PublishedRelease(quarter, pages, publications, revision_of_release, prepared[0].protected.result)


@transaction.atomic
def trend_release_approve(*, quarter: Quarter, approved_by: User, comment: str = "") -> PublishedRelease:
    """A data steward's approval of `quarter`'s release in the admin: every summary of the
    quarter waiting for approval (each submitted there by its coordinator or an
    administrator: the first key) approved together, which publishes them (the second key).

    The tables are protected and audited as one against everything already published (each
    regional table with a public copy where its page chose one), recorded in the ledger,
    then each page's task is approved as "Approve and publish" would, so the workflow's
    states and notices say who approved what. The workflow refuses what it refuses on one
    page (`TrendSummaryApprovalTask.approval_refusal`: not a steward, the submitter, of the
    submitter's organisation or of none), for any of the pages. One transaction: all of the
    release goes live, or, on any refusal, nothing is published or recorded and the pages
    stay waiting.

    A table of the quarter not waiting (published before, or still a draft) is not part of
    it: a published one is audited against as published.

    Raises PermissionDenied, ValidationError (nothing is waiting) or AuditRefused, each
    saying why and never a figure."""
    release = trend_release_waiting(quarter=quarter)
    if release is None:
        raise ValidationError(f"No trend summary of {quarter.label} is waiting for a data steward's approval.")
    # Two stewards approving at once: the second waits here for the first, then finds the
    # pages approved, rather than recording the release twice.
    states = WorkflowState.objects.select_for_update().filter(
        pk__in=[table.task_state.workflow_state_id for table in release.tables]
    )
    if any(status != WorkflowState.STATUS_IN_PROGRESS for status in states.values_list("status", flat=True)):
        raise ValidationError(f"The release for {quarter.label} was approved or changed meanwhile: look again.")
    for table in release.tables:
        refusal = table.task_state.task.specific.approval_refusal(table.draft, approved_by)
        if refusal:
            raise PermissionDenied(refusal)
    revision_of_release = any(table.page.live for table in release.tables)
    prepared = trend_release_waiting_prepare(release=release)
    publications = []
    for table, copies in zip(release.tables, prepared, strict=True):
        publications += _record(page=table.page, revision=table.revision, prepared=copies)

    # The second key on each page: its figures are those just recorded, which
    # `trend_summary_publish` and the approval's audit leave as they are.
    pages = []
    for table in release.tables:
        trend_summary_approve(page=table.page, approved_by=approved_by, comment=comment)
        page = type(table.page).objects.get(pk=table.page.pk)
        if not page.live or page.live_revision_id != table.revision.pk:
            raise ValidationError(f"“{page.title}” was not published, so nothing of the release was.")
        pages.append(page)
    return PublishedRelease(quarter, pages, publications, revision_of_release, prepared[0].protected.result)
