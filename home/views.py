import secrets

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wagtail.models import Site

from resources.models import GuidancePage

from . import antispam
from .forms import PageFeedbackForm
from .search import clean_query, search_public, search_working_groups
from .selectors import feedback_form_for_site, feedback_submission_for_token
from .services import feedback_submit

TRY_AGAIN = "Sorry, we could not send your feedback. Please check your answers and select the button to send it again."


@require_safe
def search(request):
    query = clean_query(request.GET.get("query"))
    results = search_public(query=query, page_number=request.GET.get("page"), request=request)
    member_results = search_working_groups(user=request.user, query=query, request=request)
    context = {"search_query": query, "search_results": results, "member_results": member_results}
    return render(request, "home/search.html", context)


@require_safe
def robots_txt(request):
    return render(request, "home/robots.txt", content_type="text/plain")


# Feedback ------------------------------------------------------------------------------


def _rate_limited(request, context):
    return render(request, "home/feedback_rate_limited.html", context, status=429)


def _sent(url, reference):
    return HttpResponseRedirect(f"{url}?{urlencode({'sent': antispam.confirmation_sign(reference)})}")


def _fake_reference():
    return f"FB-{timezone.localdate().year}-{secrets.randbelow(10**6):06d}"


def feedback_post(request, *, form, form_page, done_url, source_page=None):
    """The steps every feedback POST takes: rate limit, honeypot, ticket, validation, store.

    Returns (response, ticket value for re-rendering). A response is a redirect to the
    confirmation (the same one for a repeated form token), a 429, or None when the form
    must be shown again with its errors and everything the sender typed.
    """
    if not antispam.rate_limit_consume(request):
        antispam.log_refusal(request, "rate_limited")
        return _rate_limited(request, {"page": source_page or form_page}), None
    if antispam.honeypot_filled(request.POST):
        antispam.log_refusal(request, "honeypot")
        return _sent(done_url, _fake_reference()), None  # looks like success: nothing stored
    ticket = antispam.ticket_check(request.POST.get(antispam.TICKET_FIELD))
    if ticket.token is not None and ticket.problem in ("", "too_fast"):
        existing = feedback_submission_for_token(ticket.token)
        if existing is not None:  # sent twice: the same confirmation
            return _sent(done_url, existing.reference), None
    valid = form.is_valid()
    if not ticket.ok:
        antispam.log_refusal(request, ticket.problem)
        form.add_error(None, TRY_AGAIN)
        # A fresh ticket for a tampered or expired one; the same (still running) one if too fast.
        return None, ticket.value if ticket.problem == "too_fast" else antispam.ticket_issue()
    if not valid:
        return None, ticket.value
    submission, _created = feedback_submit(form_page=form_page, form=form, token=ticket.token, source_page=source_page)
    return _sent(done_url, submission.reference), None


def feedback_form_serve(request, *, page):
    """FeedbackFormPage.serve: the form, the confirmation (?sent=…), or a POST to handle."""
    ticket = None
    if request.method == "POST":
        form = page.get_form(request.POST, page=page, user=request.user)
        response, ticket = feedback_post(request, form=form, form_page=page, done_url=page.url)
        if response is not None:
            add_never_cache_headers(response)
            return response
    elif "sent" in request.GET:
        reference = antispam.confirmation_read(request.GET["sent"])
        context = {**page.get_context(request), "reference": reference}
        response = TemplateResponse(request, page.get_landing_page_template(request), context)
        add_never_cache_headers(response)
        return response
    else:
        form = page.get_form(page=page, user=request.user)
    context = {
        **page.get_context(request),
        "form": form,
        "ticket": ticket or antispam.ticket_issue(),
    }
    response = TemplateResponse(request, page.get_template(request), context)
    # Never from a cache: every rendering carries its own ticket (and form token).
    add_never_cache_headers(response)
    return response


# Exempt from CSRF, the one view that is: the Yes/No form sits on guidance pages, which
# are served to anonymous visitors from the shared page cache and so can carry no CSRF
# token (nor a per-rendering ticket for the time trap). What it guards instead: it only
# counts an anonymous "useful: yes" (never emailed, tied to no account, nothing to forge
# into harm), "no" records nothing and leads to the full form (which has its token); the
# browser's Sec-Fetch-Site or Origin must say the POST came from this site; the honeypot
# and the per-address rate limit apply as to every feedback. It is a POST so that
# crawlers and link prefetchers, which follow GETs, never count anything.
@csrf_exempt
@never_cache
@require_POST
def page_feedback_useful(request, page_id):
    """The answer to 'Is this page useful?' from the end of a guidance page."""
    source = GuidancePage.objects.live().public().filter(pk=page_id).first()
    form_page = feedback_form_for_site(site=Site.find_for_request(request))
    if source is None or form_page is None:
        raise Http404
    form_url = reverse("page_feedback", args=[source.pk])
    if request.POST.get("useful", "").lower() != "yes":
        return HttpResponseRedirect(f"{form_url}?{urlencode({'useful': 'no'})}", status=303)
    if antispam.cross_site(request):
        antispam.log_refusal(request, "cross_site")
        return HttpResponseRedirect(f"{form_url}?{urlencode({'useful': 'yes'})}", status=303)  # asks to confirm
    if not antispam.rate_limit_consume(request):
        antispam.log_refusal(request, "rate_limited")
        return _rate_limited(request, {"page": source})
    if antispam.honeypot_filled(request.POST):
        antispam.log_refusal(request, "honeypot")
        reference = _fake_reference()  # looks like success: nothing stored
    else:
        form = PageFeedbackForm({"page_useful": "Yes"})
        form.is_valid()
        submission, _created = feedback_submit(form_page=form_page, form=form, token=None, source_page=source)
        reference = submission.reference
    signed = urlencode({"sent": antispam.confirmation_sign(reference), "useful": "yes"})
    # 303: the thanks is fetched with a GET, and reloading it counts nothing again.
    return HttpResponseRedirect(f"{form_url}?{signed}", status=303)


@never_cache
@require_http_methods(["GET", "POST"])
def page_feedback(request, page_id):
    """'Is this page useful? / Report a problem with this page' for a guidance page.

    The guidance page's Yes and No post to page_feedback_useful, and its "Report a
    problem" links here, rather than holding this form itself: guidance pages are served
    to anonymous visitors from a shared cache, and a form's CSRF token and per-rendering
    ticket cannot be shared. A GET with useful=yes (an old link, a crawler) asks to
    confirm; useful=no shows this form with No chosen.
    """
    source = GuidancePage.objects.live().public().filter(pk=page_id).first()
    form_page = feedback_form_for_site(site=Site.find_for_request(request))
    if source is None or form_page is None:
        raise Http404
    ticket = None
    if request.method == "POST":
        form = PageFeedbackForm(request.POST)
        response, ticket = feedback_post(
            request, form=form, form_page=form_page, done_url=request.path, source_page=source
        )
        if response is not None:
            return response
    elif "sent" in request.GET:
        reference = antispam.confirmation_read(request.GET["sent"])
        context = {"source": source, "reference": reference, "useful": request.GET.get("useful") == "yes"}
        return render(request, "home/page_feedback_sent.html", context)
    elif request.GET.get("useful", "").lower() == "yes":
        # A GET records nothing (a link followed by a crawler or prefetched): it asks.
        return render(request, "home/page_feedback_confirm.html", {"source": source})
    else:
        useful = "No" if request.GET.get("useful", "").lower() == "no" or "problem" in request.GET else None
        form = PageFeedbackForm(initial={"page_useful": useful})
    context = {
        "source": source,
        "form": form,
        "ticket": ticket or antispam.ticket_issue(),
    }
    return render(request, "home/page_feedback.html", context)
