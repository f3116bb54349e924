"""The allauth account adapter: who may sign up, and how account email is sent."""

import time

from allauth.account import views as allauth_views
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.internal.flows.login import get_authentication_records

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import Membership
from portal.roles import is_editor

from .audit import audit_record
from .middleware import MFA_SETUP_NEXT_SESSION_KEY
from .outbox import email_store
from .profiles import PersonDetailsForm, job_title_of, person_details, person_details_change


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Closed: accounts come only from invitations (accepted through their own view)."""
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        """Sensitive changes (email, password, MFA) need a sign-in in the last five minutes.

        allauth counts only an explicit re-authentication, so someone who has just
        signed in, or is setting up their first authenticator straight after signing
        in, would be asked for their password twice in a row. Here a recent sign-in
        counts too; after ACCOUNT_REAUTHENTICATION_TIMEOUT seconds the password (and
        code) are asked for again. (get_authentication_records is allauth's internal
        record of this session's sign-ins.)
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
                return False
        return True

    def authenticate(self, request, **credentials):
        """A new session key as soon as the password is right, not only after MFA: a session
        key known before sign-in is worth nothing at any step (no session fixation)."""
        user = super().authenticate(request, **credentials)
        if user is not None and hasattr(request, "session"):
            request.session.cycle_key()
        return user

    def get_login_redirect_url(self, request):
        """Where each role's work is, when the sign-in was not for a particular page (a
        `next` address always wins; allauth asks this only without one): administrators
        and editors to the admin, someone who coordinates one group to that group,
        everyone else to the members' area."""
        user = request.user
        if user.is_superuser or is_editor(user):
            return reverse("wagtailadmin_home")
        coordinated = [
            membership.working_group
            for membership in Membership.objects.filter(
                user=user,
                status=Membership.Status.ACTIVE,
                role=Membership.Role.COORDINATOR,
                working_group__live=True,
            ).select_related("working_group")
        ]
        if len(coordinated) == 1:
            return coordinated[0].url
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        """allauth's messages (verification, password reset, security notices) go through
        the outbox like every other email, so an SMTP outage delays them and loses none."""
        request = context.get("request") or self.request
        message = self.render_mail(template_prefix, email, {"request": request, "email": email, **context})
        html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        email_store(
            to=message.to,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            from_email=message.from_email,
        )


class LoginView(allauth_views.LoginView):
    """allauth's sign-in, answering 429 Too Many Requests once the failed-login limit is
    reached, so that clients and monitoring see the limit (allauth shows a form error)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(error.code == "too_many_login_attempts" for error in form.errors.as_data().get("__all__", [])):
            response.status_code = 429
            audit_record(action="portal.lockout", request=self.request, user=None)
        return response


@login_required
def account_overview(request):
    """ "Your account": who they are, and one page leading to each of allauth's account pages."""
    return render(request, "account/overview.html", {"job_title": job_title_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def account_details(request):
    """Change the name and job title the people someone works with see."""
    form = PersonDetailsForm(request.POST or None, initial=person_details(request.user))
    if request.method == "POST" and form.is_valid():
        person_details_change(user=request.user, **form.cleaned_data)
        messages.success(request, "Your name and job title have been saved.")
        return redirect("account_overview")
    return render(request, "account/details.html", {"form": form})


class RecoveryCodesSavedForm(forms.Form):
    codes_saved = forms.BooleanField(
        label="I have saved my recovery codes",
        error_messages={"required": "Confirm that you have saved your recovery codes"},
    )


@login_required
@require_POST
def recovery_codes_saved(request):
    """'Continue' from the recovery codes, which are shown once: only with the box ticked
    to say they were saved, checked here as well as by the browser. Unticked, the page
    says that the codes cannot be shown again and offers new ones. Ticked, it goes on to
    the page they were going to when they were sent to set up MFA, if any, else to
    where their work is."""
    form = RecoveryCodesSavedForm(request.POST)
    if form.is_valid():
        going_to = request.session.pop(MFA_SETUP_NEXT_SESSION_KEY, "")
        if not url_has_allowed_host_and_scheme(going_to, allowed_hosts={request.get_host()}):
            going_to = get_adapter(request).get_login_redirect_url(request)
        return redirect(going_to)
    return render(request, "mfa/recovery_codes/not_saved.html", {"form": form})
