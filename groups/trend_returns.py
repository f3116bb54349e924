"""Trend returns: the rules, the writes (`trend_return_*`) and the reads.

Who may submit for which organisation is decided by the callers from `Membership`
(`groups.permissions.member_organisation`); these functions trust the organisation they
are given but check it has active members in the group, and check every number.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.models import ModelLogEntry

from portal.audit import audit_record
from portal.pii import validate_no_personal_data

from .models import Membership, Organisation, TrendCount, TrendReturn
from .quarters import FIRST_YEAR
from .trend_categories import BREAKDOWN_OF, BREAKDOWNS, CATEGORY_KEYS, column_label

# Far above any real quarter's count for one agency; bigger is a typing slip.
MAX_COUNT = 100_000
NOTE_MAX_LENGTH = 1000
# One reminder per group and quarter in this time, however often the button is pressed.
REMINDER_INTERVAL = datetime.timedelta(hours=24)


# Rules


def quarter_error(quarter, today=None):
    """Why returns cannot be made for `quarter`, or None when they can."""
    if quarter.year < FIRST_YEAR:
        return f"Choose a quarter from {FIRST_YEAR} onwards."
    if not quarter.has_ended(today):
        return f"You can only submit a return for a quarter that has ended: {quarter.label} ends on " + date_format(
            quarter.end, "j F Y"
        )
    return None


def breakdown_errors(*, total, counts):
    """{breakdown key: message} for each breakdown whose counts do not fit the total.

    Partitions must add up to the total; each "what followed" count must not exceed it.
    """
    errors = {}
    for breakdown in BREAKDOWNS:
        values = [counts.get(key) or 0 for key in breakdown.keys]
        if breakdown.partition:
            added = sum(values)
            if added != total:
                errors[breakdown.key] = (
                    f"{breakdown.plural} add up to {added}, but you said {_children(total)} identified"
                )
        else:
            over = [key for key, value in zip(breakdown.keys, values, strict=True) if value > total]
            if over:
                names = ", ".join(column_label(key).split(": ", 1)[1] for key in over)
                errors[breakdown.key] = (
                    f"{breakdown.label}: each number must be no more than the {total} children identified "
                    f"(check {names})"
                )
    return errors


def _children(total):
    return f"{total} child was" if total == 1 else f"{total} children were"


def _validate(*, group, organisation, quarter, total, counts, note):
    errors = {}
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
        working_group=group, organisation=organisation, status=Membership.Status.ACTIVE
    ).exists():
        errors["organisation"] = f"{organisation} has no active members in the {group.title}."
    if errors:
        raise ValidationError(errors)


def validate_note(value):
    """The note on emerging tactics is screened for personal data (portal.pii)."""
    validate_no_personal_data(value)


# Writes


@transaction.atomic
def trend_return_submit(
    *, group, organisation, submitted_by, quarter, total, counts, note="", submitted_at=None, request=None
):
    """Store a new version of `organisation`'s return for `group`'s region and `quarter`.

    `counts` maps category keys to whole numbers (a missing key counts 0). The version
    is one more than the latest, which stops being current; earlier versions are kept.
    Raises ValidationError with a message per field (breakdowns by their key).
    """
    note = (note or "").strip()
    counts = {**dict.fromkeys(CATEGORY_KEYS, 0), **counts}
    _validate(group=group, organisation=organisation, quarter=quarter, total=total, counts=counts, note=note)

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


def trend_counts_sample(*, total, rng):
    """Plausible counts adding up to `total`, for demo content and tests (never real data)."""
    counts = {}
    for breakdown in BREAKDOWNS:
        if breakdown.partition:
            weights = [rng.random() + 0.2 for _ in breakdown.keys]
            shares = [int(total * weight / sum(weights)) for weight in weights]
            shares[rng.randrange(len(shares))] += total - sum(shares)
            counts.update(zip(breakdown.keys, shares, strict=True))
        else:
            counts.update({key: rng.randint(0, total) for key in breakdown.keys})
    return counts


def trend_return_create_sample(*, group, organisation, quarter, total, seed=None, submitted_by=None, note=""):
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


def return_form_url(*, group, quarter):
    """The absolute link to the return form for `quarter`, from the canonical base URL."""
    path = reverse("groups:return_submit", kwargs={"group_slug": group.slug})
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}?quarter={quarter.code}"


def last_reminder(*, group, quarter):
    """When the latest reminder for `group` and `quarter` was sent, or None."""
    entry = (
        ModelLogEntry.objects.filter(
            action="portal.trend_return_reminder", data__group_id=group.pk, data__quarter=quarter.code
        )
        .order_by("-timestamp")
        .first()
    )
    return entry.timestamp if entry else None


class ReminderError(ValidationError):
    """A reminder that was not sent; the message says why."""


@transaction.atomic
def trend_return_remind(*, group, quarter, sent_by, request=None):
    """Email every active member of each organisation in `group` that has not submitted a
    return for `quarter`, once per REMINDER_INTERVAL. Returns the number of emails.

    The email names the quarter, the deadline and the form's link: nothing about any
    organisation's figures.
    """
    from portal.outbox import email_queue

    sent = last_reminder(group=group, quarter=quarter)
    if sent is not None and sent > timezone.now() - REMINDER_INTERVAL:
        raise ReminderError(
            "A reminder was already sent at "
            + date_format(timezone.localtime(sent), "H:i \\o\\n j F Y")
            + ". You can send another 24 hours after that.",
            code="too_soon",
        )
    outstanding = [
        row["organisation"] for row in trend_return_tracking(group=group, quarter=quarter) if not row["trend_return"]
    ]
    memberships = (
        Membership.objects.filter(working_group=group, organisation__in=outstanding, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    recipients = sorted({m.user.email for m in memberships if m.user.email and m.user.is_active})
    if not recipients:
        raise ReminderError("Every organisation has submitted its return: there is nobody to remind.", code="none")
    context = {
        "group_name": group.title,
        "quarter": quarter.label,
        "deadline": date_format(quarter.deadline, "j F Y"),
        "form_url": return_form_url(group=group, quarter=quarter),
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
        group_id=group.pk,
        group=group.title,
        quarter=quarter.code,
        organisations=len(outstanding),
        recipients=len(recipients),
    )
    return len(recipients)


# Reads


def trend_returns_of(*, group, organisation):
    """The current version of each of `organisation`'s returns in `group`, newest quarter first."""
    return (
        TrendReturn.objects.current()
        .filter(working_group=group, organisation=organisation)
        .select_related("submitted_by")
        .order_by("-year", "-quarter")
    )


def trend_return_history(*, trend_return):
    """Every version of the same organisation's return for the same quarter, newest first."""
    return (
        TrendReturn.objects.filter(
            working_group_id=trend_return.working_group_id,
            organisation_id=trend_return.organisation_id,
            year=trend_return.year,
            quarter=trend_return.quarter,
        )
        .select_related("submitted_by")
        .order_by("-version")
    )


def trend_return_latest(*, group, organisation, quarter):
    """The current version of `organisation`'s return for `quarter`, with its counts, or None."""
    return (
        TrendReturn.objects.current()
        .for_quarter(quarter)
        .filter(working_group=group, organisation=organisation)
        .prefetch_related("counts")
        .first()
    )


def reporting_organisations(*, group):
    """The organisations with active members in `group`: the ones expected to make returns."""
    return Organisation.objects.filter(
        memberships__working_group=group, memberships__status=Membership.Status.ACTIVE
    ).distinct()


def trend_return_tracking(*, group, quarter):
    """For each reporting organisation, by name: its current return for `quarter` (or None)
    and its number of active members. Two queries, however many organisations."""
    organisations = list(
        reporting_organisations(group=group)
        .annotate(
            active_members=Count(
                "memberships",
                filter=Q(memberships__working_group=group, memberships__status=Membership.Status.ACTIVE),
                distinct=True,
            )
        )
        .order_by("name")
    )
    returns = {
        r.organisation_id: r
        for r in TrendReturn.objects.current()
        .for_quarter(quarter)
        .filter(working_group=group)
        .select_related("submitted_by")
    }
    return [
        {
            "organisation": organisation,
            "trend_return": returns.get(organisation.pk),
            "members": organisation.active_members,
        }
        for organisation in organisations
    ]


@dataclass(frozen=True)
class CategoryTotal:
    breakdown: str
    category: str
    count: int
    organisations: int  # how many organisations' returns put at least one child here


def trend_aggregate(*, quarter, group=None):
    """The current returns for `quarter` in `group`'s region (or every region), added up.

    Returns (totals, categories): totals is {"total", "returns", "organisations"};
    categories is a list of CategoryTotal. Two queries whatever the number of returns:
    what a trend summary is computed from (before disclosure control).
    """
    returns = TrendReturn.objects.current().for_quarter(quarter)
    if group is not None:
        returns = returns.filter(working_group=group)
    totals = returns.aggregate(
        total=Sum("total"), returns=Count("pk"), organisations=Count("organisation", distinct=True)
    )
    totals["total"] = totals["total"] or 0
    rows = (
        TrendCount.objects.filter(trend_return__in=returns)
        .values("breakdown", "category")
        .annotate(
            children=Sum("count"),
            contributors=Count("trend_return__organisation", distinct=True, filter=Q(count__gt=0)),
        )
        .order_by()
    )
    by_key = {row["category"]: row for row in rows}
    categories = [
        CategoryTotal(
            breakdown=BREAKDOWN_OF[key].key,
            category=key,
            count=by_key.get(key, {}).get("children") or 0,
            organisations=by_key.get(key, {}).get("contributors") or 0,
        )
        for key in CATEGORY_KEYS
    ]
    return totals, categories
