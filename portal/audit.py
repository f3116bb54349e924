"""Security events: recorded where administrators can see them, and logged safely.

Each event is written twice: to Wagtail's audit log against the account it concerns
(administrators see it under Reports → Site history), and as one line in the
`portal.security` log with the time, account, IP address and route. Neither ever holds
a password, code, token or session id.
"""

import logging

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.core.internal.httpkit import get_client_ip
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from wagtail.log_actions import log

logger = logging.getLogger("portal.security")

ACTIONS = {
    "portal.login": ("Signed in", "Signed in"),
    "portal.login_failed": ("Failed sign-in", "A sign-in failed"),
    "portal.lockout": ("Sign-in locked out", "Too many failed sign-ins: locked out for a while"),
    "portal.logout": ("Signed out", "Signed out"),
    "portal.mfa_failed": ("Failed MFA code", "A wrong two-factor code was entered"),
    "portal.mfa_added": ("Authenticator added", "Added an authenticator"),
    "portal.mfa_removed": ("Authenticator removed", "Removed an authenticator"),
    "portal.password_changed": ("Password changed", "Changed the password"),
    "portal.password_reset": ("Password reset", "Reset the password"),
    "portal.account_deactivated": ("Account deactivated", "Switched off; its authenticators and sessions dropped"),
    "portal.account_reactivated": ("Account reactivated", "Switched on; its old authenticators and sessions dropped"),
    "portal.privileges_dropped": ("Privileges removed", "Administrator, staff and other rights were removed"),
    "portal.invitation_sent": ("Invitation sent", "Sent an invitation"),
    "portal.invitation_accepted": ("Invitation accepted", "Accepted an invitation"),
    "portal.membership_added": ("Membership added", "Added to a working group"),
    "portal.membership_activated": ("Membership activated", "Joined a working group"),
    "portal.membership_role_changed": ("Role changed", "Role in a working group changed"),
    "portal.membership_suspended": ("Membership suspended", "Suspended from a working group"),
    "portal.membership_reinstated": ("Membership reinstated", "Reinstated in a working group"),
    "portal.membership_left": ("Membership ended", "Left or was removed from a working group"),
    "portal.update_hidden": ("Update hidden", "An update was hidden by a coordinator"),
    "portal.update_unhidden": ("Update shown again", "A hidden update was shown again by a coordinator"),
    "portal.update_deleted": ("Update deleted", "An update was deleted by its author"),
    "portal.trend_return_submitted": ("Trend return submitted", "Submitted a trend return"),
    "portal.trend_return_reminder": ("Trend return reminder sent", "Sent a reminder to submit trend returns"),
    "portal.trend_returns_imported": ("Trend returns imported", "Imported trend returns from a spreadsheet"),
    "portal.feedback_triaged": ("Feedback triaged", "Recorded the status, assignee or notes of feedback"),
    "portal.feedback_purged": ("Old feedback deleted", "Deleted feedback past its retention period"),
    "portal.feedback_deleted": ("Feedback deleted", "An administrator deleted feedback submissions"),
}


def audit_record(*, action, request=None, user=None, actor=None, **data):
    """Record a security event about `user` (an account, or None when none matched)."""
    ip = client_ip(request)
    route = request.path if request is not None else ""
    logger.info(
        "%s user=%s ip=%s route=%s",
        action,
        user.pk if user is not None else "anonymous",
        ip,
        route,
        extra={"action": action, "user_id": getattr(user, "pk", None), "ip": ip, "route": route},
    )
    if user is not None:
        log(instance=user, action=action, user=actor or user, data={"ip": ip, **data})


def client_ip(request):
    """The requester's address as allauth reads it (proxy-aware), or "" without a request."""
    if request is None:
        return ""
    try:
        return get_client_ip(request)
    except Exception:  # An unparseable proxy header must not stop the audit.
        return request.META.get("REMOTE_ADDR", "")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(action="portal.login", request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="portal.logout", request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the account it matched is recorded, never what was typed.
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    audit_record(action="portal.login_failed", request=request, user=user)


@receiver(authentication_failed)
def _mfa_failed(sender, user, request=None, **kwargs):
    audit_record(action="portal.mfa_failed", request=request, user=user)


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit_record(action="portal.mfa_added", request=request, user=user, type=authenticator.type)


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit_record(action="portal.mfa_removed", request=request, user=user, type=authenticator.type)


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit_record(action="portal.password_changed", request=request, user=user)


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit_record(action="portal.password_reset", request=request, user=user)
