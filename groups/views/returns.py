"""Trend returns: a member's own organisation's returns, the return form, one return with
its history; for coordinators, tracking with reminders and the bulk import.

Raw returns answer 404 to anyone but the owner organisation's members in the group and
the group's coordinators (and administrators): no one else learns that a return exists.
The organisation is always the member's own, from their membership, never from the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.exports import csv_response, xlsx_response

from ..models import TrendReturn
from ..permissions import can_view_trend_return, is_coordinator, member_organisation
from ..quarters import Quarter, recent_quarters, reporting_quarter
from ..trend_categories import BREAKDOWNS
from ..trend_forms import ImportForm, TrendReturnForm, initial_from
from ..trend_import import ImportFileError, template_rows, trend_returns_import
from ..trend_returns import (
    ReminderError,
    last_reminder,
    quarter_error,
    trend_return_history,
    trend_return_latest,
    trend_return_remind,
    trend_return_submit,
    trend_return_tracking,
    trend_returns_of,
)
from .common import group_for_coordinator, group_for_member

NAV = "return_list"


@login_required
@require_http_methods(["GET"])
def return_list(request, group_slug):
    group = group_for_member(request, group_slug=group_slug)
    organisation = member_organisation(request.user, group)
    returns = list(trend_returns_of(group=group, organisation=organisation)) if organisation else []
    quarter = reporting_quarter()
    context = {
        "group": group,
        "organisation": organisation,
        "returns": returns,
        "quarter": quarter,
        "reporting_return": next((r for r in returns if r.period == quarter), None),
        "is_coordinator": is_coordinator(request.user, group),
        "nav": NAV,
    }
    return render(request, "groups/returns/list.html", context)


def _requested_quarter(request):
    """The quarter asked for in ?quarter=, if returns can be made for it; else the reporting quarter."""
    try:
        quarter = Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        return reporting_quarter()
    return reporting_quarter() if quarter_error(quarter) else quarter


@login_required
@require_http_methods(["GET", "POST"])
def return_submit(request, group_slug):
    group = group_for_member(request, group_slug=group_slug)
    organisation = member_organisation(request.user, group)
    if organisation is None:  # An administrator who is not a member has no return to make.
        raise Http404
    quarter = _requested_quarter(request)
    quarters = recent_quarters()
    if quarter not in quarters:
        quarters.append(quarter)
    latest = trend_return_latest(group=group, organisation=organisation, quarter=quarter)
    form = TrendReturnForm(
        request.POST if request.method == "POST" else None,
        initial=initial_from(latest, quarter=quarter),
        quarters=quarters,
    )
    if request.method == "POST" and form.is_valid():
        try:
            trend_return = trend_return_submit(
                group=group,
                organisation=organisation,
                submitted_by=request.user,
                quarter=form.cleaned_data["quarter"],
                total=form.cleaned_data["total"],
                counts=form.counts,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, f"Return for {trend_return.period.label} submitted (version {trend_return.version})."
            )
            return redirect("groups:return_detail", group_slug=group.slug, return_pk=trend_return.pk)
    context = {
        "group": group,
        "organisation": organisation,
        "form": form,
        "quarter": quarter,
        "latest": latest,
        "nav": NAV,
    }
    return render(request, "groups/returns/form.html", context)


@login_required
@require_http_methods(["GET"])
def return_detail(request, group_slug, return_pk):
    group = group_for_member(request, group_slug=group_slug)
    trend_return = (
        TrendReturn.objects.filter(pk=return_pk, working_group=group)
        .select_related("organisation", "working_group", "submitted_by")
        .prefetch_related("counts")
        .first()
    )
    if trend_return is None or not can_view_trend_return(request.user, trend_return):
        raise Http404
    counts = trend_return.counts_by_key()
    sections = [
        {"breakdown": breakdown, "rows": [(c.label, counts.get(c.key, 0)) for c in breakdown.categories]}
        for breakdown in BREAKDOWNS
    ]
    context = {
        "group": group,
        "trend_return": trend_return,
        "sections": sections,
        "history": trend_return_history(trend_return=trend_return),
        "can_resubmit": member_organisation(request.user, group) == trend_return.organisation,
        "nav": NAV,
    }
    return render(request, "groups/returns/detail.html", context)


@login_required
@require_http_methods(["GET"])
def return_tracking(request, group_slug):
    group = group_for_coordinator(request, group_slug=group_slug)
    quarter = reporting_quarter()
    rows = trend_return_tracking(group=group, quarter=quarter)
    context = {
        "group": group,
        "quarter": quarter,
        "rows": rows,
        "submitted": sum(1 for row in rows if row["trend_return"]),
        "outstanding": sum(1 for row in rows if not row["trend_return"]),
        "last_reminder": last_reminder(group=group, quarter=quarter),
        "nav": NAV,
    }
    return render(request, "groups/returns/tracking.html", context)


@login_required
@require_POST
def return_remind(request, group_slug):
    group = group_for_coordinator(request, group_slug=group_slug)
    quarter = reporting_quarter()
    try:
        sent = trend_return_remind(group=group, quarter=quarter, sent_by=request.user, request=request)
    except ReminderError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Reminder sent to {sent} {'person' if sent == 1 else 'people'}.")
    return redirect("groups:return_tracking", group_slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def return_import(request, group_slug):
    group = group_for_coordinator(request, group_slug=group_slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = trend_returns_import(
                group=group, uploaded_file=form.cleaned_data["file"], imported_by=request.user, request=request
            )
        except ImportFileError as error:
            form.add_error("file", error.messages[0])
        else:
            if not result.errors:
                count = len(result.created)
                messages.success(request, f"{count} {'return' if count == 1 else 'returns'} imported.")
                return redirect("groups:return_tracking", group_slug=group.slug)
    context = {"group": group, "form": form, "result": result, "nav": NAV}
    return render(request, "groups/returns/import.html", context)


@login_required
@require_http_methods(["GET"])
def return_import_template(request, group_slug, file_format):
    group = group_for_coordinator(request, group_slug=group_slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    header, rows = template_rows(group=group)
    filename = f"trend-returns-{group.slug}-{reporting_quarter().code}"
    if file_format == "xlsx":
        return xlsx_response(filename=f"{filename}.xlsx", header=header, rows=rows)
    return csv_response(filename=f"{filename}.csv", header=header, rows=rows)
