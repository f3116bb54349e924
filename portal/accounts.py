"""The allauth account adapter: who may sign up, and how account email is sent."""

import time

from allauth.account import views as allauth_views
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled

from django.conf import settings

from .audit import audit_record
from .outbox import email_store


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Closed: accounts come only from invitations (accepted through their own view)."""
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        """Setting up a first authenticator right after signing in needs no second password.

        allauth asks for the password again before any MFA change; the portal sends
        every account without MFA straight to set it up after sign-in, where asking
        again would only be friction. Any later change still needs re-authentication.
        (get_authentication_records is allauth's internal record of this session's sign-ins.)
        """
        request = self.request
        if app == "allauth.mfa" and request.user.is_authenticated and not is_mfa_enabled(request.user):
            records = get_authentication_records(request, request.user)
            recent = [r for r in records if time.time() - r["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT]
            if recent:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def authenticate(self, request, **credentials):
        """A new session key as soon as the password is right, not only after MFA: a session
        key known before sign-in is worth nothing at any step (no session fixation)."""
        user = super().authenticate(request, **credentials)
        if user is not None and hasattr(request, "session"):
            request.session.cycle_key()
        return user

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
