"""Trend views: a member's own organisation's returns, the return form, one return with
its history; for coordinators, tracking with reminders and the bulk import; the list of
a group's summaries, the members' CSV download and the public copies.

Raw returns answer 404 to anyone but the owner organisation's members in the group and
the group's coordinators (and administrators): no one else learns that a return exists.
The organisation is always the member's own, from their membership, never from the form.

Every published figure comes from the ledger (`selectors.live_publication`,
`selectors.public_publication`), never from the returns. The members' CSV answers 404 to
anyone who may not read the summary page itself; the public views show only public
copies of live regional summaries, and are cached for anonymous visitors like any
public page (the cache is cleared whenever content is published).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groups.membership.selectors import working_group_for_coordinator, working_group_for_member
from groups.models import Region, TrendSummaryPage
from groups.permissions import (
    can_view_all_regions,
    can_view_group,
    can_view_trend_return,
    is_coordinator,
    member_organisation,
)
from portal.exports import csv_response, xlsx_response

from .categories import BREAKDOWNS
from .figures import CSV_HEADER, published_summary, summary_csv_rows
from .forms import ImportForm, TrendReturnForm, initial_from
from .imports import ImportFileError
from .quarters import Quarter, recent_quarters, reporting_quarter
from .selectors import (
    LEDGER_CSV_HEADER,
    PUBLIC,
    all_regions_trend_summaries,
    coming_releases,
    group_trend_summaries,
    import_template_rows,
    last_reminder,
    ledger_figures,
    live_publication,
    live_trend_summary_page,
    public_publication,
    public_releases,
    public_summary_url,
    publication_data,
    trend_return_history,
    trend_return_in_group,
    trend_return_latest,
    trend_return_tracking,
    trend_returns_of,
    trend_summary_page,
)
from .services import ReminderError, trend_return_remind, trend_return_submit, trend_returns_import
from .validation import quarter_error

NAV = "return_list"


# Returns


@login_required
@require_http_methods(["GET"])
def return_list(request, group_slug):
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    organisation = member_organisation(request.user, working_group)
    returns = list(trend_returns_of(working_group=working_group, organisation=organisation)) if organisation else []
    quarter = reporting_quarter()
    context = {
        "group": working_group,
        "organisation": organisation,
        "returns": returns,
        "quarter": quarter,
        "reporting_return": next((r for r in returns if r.period == quarter), None),
        "is_coordinator": is_coordinator(request.user, working_group),
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
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    organisation = member_organisation(request.user, working_group)
    if organisation is None:  # An administrator who is not a member has no return to make.
        raise Http404
    quarter = _requested_quarter(request)
    quarters = recent_quarters()
    if quarter not in quarters:
        quarters.append(quarter)
    latest = trend_return_latest(working_group=working_group, organisation=organisation, quarter=quarter)
    form = TrendReturnForm(
        request.POST if request.method == "POST" else None,
        initial=initial_from(latest, quarter=quarter),
        quarters=quarters,
    )
    if request.method == "POST" and form.is_valid():
        try:
            trend_return = trend_return_submit(
                group=working_group,
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
            return redirect("groups:return_detail", group_slug=working_group.slug, return_pk=trend_return.pk)
    context = {
        "group": working_group,
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
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    trend_return = trend_return_in_group(working_group=working_group, pk=return_pk)
    if trend_return is None or not can_view_trend_return(request.user, trend_return):
        raise Http404
    counts = trend_return.counts_by_key()
    sections = [
        {"breakdown": breakdown, "rows": [(c.label, counts.get(c.key, 0)) for c in breakdown.categories]}
        for breakdown in BREAKDOWNS
    ]
    context = {
        "group": working_group,
        "trend_return": trend_return,
        "sections": sections,
        "history": trend_return_history(trend_return=trend_return),
        "can_resubmit": member_organisation(request.user, working_group) == trend_return.organisation,
        "nav": NAV,
    }
    return render(request, "groups/returns/detail.html", context)


@login_required
@require_http_methods(["GET"])
def return_tracking(request, group_slug):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    quarter = reporting_quarter()
    rows = trend_return_tracking(working_group=working_group, quarter=quarter)
    context = {
        "group": working_group,
        "quarter": quarter,
        "rows": rows,
        "submitted": sum(1 for row in rows if row["trend_return"]),
        "outstanding": sum(1 for row in rows if not row["trend_return"]),
        "last_reminder": last_reminder(working_group=working_group, quarter=quarter),
        "nav": NAV,
    }
    return render(request, "groups/returns/tracking.html", context)


@login_required
@require_POST
def return_remind(request, group_slug):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    quarter = reporting_quarter()
    try:
        sent = trend_return_remind(working_group=working_group, quarter=quarter, sent_by=request.user, request=request)
    except ReminderError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Reminder sent to {sent} {'person' if sent == 1 else 'people'}.")
    return redirect("groups:return_tracking", group_slug=working_group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def return_import(request, group_slug):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = trend_returns_import(
                working_group=working_group,
                uploaded_file=form.cleaned_data["file"],
                imported_by=request.user,
                request=request,
            )
        except ImportFileError as error:
            form.add_error("file", error.messages[0])
        else:
            if not result.errors:
                count = len(result.created)
                messages.success(request, f"{count} {'return' if count == 1 else 'returns'} imported.")
                return redirect("groups:return_tracking", group_slug=working_group.slug)
    context = {"group": working_group, "form": form, "result": result, "nav": NAV}
    return render(request, "groups/returns/import.html", context)


@login_required
@require_http_methods(["GET"])
def return_import_template(request, group_slug, file_format):
    working_group = working_group_for_coordinator(user=request.user, group_slug=group_slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    header, rows = import_template_rows(working_group=working_group)
    filename = f"trend-returns-{working_group.slug}-{reporting_quarter().code}"
    if file_format == "xlsx":
        return xlsx_response(filename=f"{filename}.xlsx", header=header, rows=rows)
    return csv_response(filename=f"{filename}.csv", header=header, rows=rows)


# Summaries


@login_required
@require_safe
def trend_summary_list(request, group_slug):
    """A group's published trend summaries, and those across all regions."""
    working_group = working_group_for_member(user=request.user, group_slug=group_slug)
    return render(
        request,
        "groups/summaries/list.html",
        {
            "group": working_group,
            "summaries": group_trend_summaries(working_group=working_group),
            "all_regions": all_regions_trend_summaries(),
            "can_add": is_coordinator(request.user, working_group),
        },
    )


def _summary_page_for(request, page_pk):
    """The live summary page `page_pk` if the signed-in person may read it; else 404."""
    page = live_trend_summary_page(pk=page_pk)
    if isinstance(page, TrendSummaryPage):
        working_group = page.get_working_group()
        if working_group is not None and working_group.live and can_view_group(request.user, working_group):
            return page
        raise Http404
    if page is not None and can_view_all_regions(request.user):
        return page
    raise Http404


@login_required
@require_safe
def trend_summary_csv(request, page_pk):
    """The members' figures of a published summary, exactly as the page shows them."""
    page = _summary_page_for(request, page_pk)
    publication = live_publication(page=page)
    if publication is None:
        raise Http404
    return csv_response(
        filename=f"trend-summary-{publication.region or 'all-regions'}-{publication.period.code.lower()}.csv",
        header=CSV_HEADER,
        rows=summary_csv_rows(title=page.title, data=publication_data(publication)),
    )


def _public_publication_or_404(region, year, number):
    if region not in Region.values or not 1 <= number <= 4:
        raise Http404
    publication = public_publication(region=region, quarter=Quarter(year, number))
    if publication is None:
        raise Http404
    return publication


@require_safe
def public_trend_list(request):
    """The release calendar: the public copies on show by quarter, newest first, the
    announced dates of coming releases, and the public figures as open data."""
    return render(
        request,
        "groups/summaries/public_list.html",
        {"releases": public_releases(), "coming": coming_releases()},
    )


@require_safe
def public_trend_ledger(request, file_format):
    """Open data: every figure ever published to the public (the ledger's public part, never
    a members' copy), as CSV or JSON. Cached for anonymous visitors like the pages."""
    if file_format not in ("csv", "json"):
        raise Http404
    figures = ledger_figures(audiences=[str(PUBLIC)])
    filename = f"trend-figures-published.{file_format}"
    if file_format == "csv":
        return csv_response(
            filename=filename, header=LEDGER_CSV_HEADER, rows=[figure.as_csv_row() for figure in figures]
        )
    response = JsonResponse([figure.as_json() for figure in figures], safe=False)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def public_trend_detail(request, region, year, number):
    """The public copy of a regional summary: its narrative and the public figures."""
    publication = _public_publication_or_404(region, year, number)
    page = trend_summary_page(pk=publication.page_id)
    return render(
        request,
        "groups/summaries/public_detail.html",
        {
            "title": page.title,
            "narrative": page.narrative,
            "region": Region(region).label,
            "summary": published_summary(publication_data(publication)),
            "csv_url": public_summary_url(region=region, quarter=publication.period, csv=True),
            "show_report": False,
        },
    )


@require_safe
def public_trend_csv(request, region, year, number):
    """The public copy's figures as CSV, exactly as its page shows them."""
    publication = _public_publication_or_404(region, year, number)
    return csv_response(
        filename=f"trend-summary-{region}-{publication.period.code.lower()}.csv",
        header=CSV_HEADER,
        rows=summary_csv_rows(title=publication.page.title, data=publication_data(publication)),
    )
