"""How a signed-in person is loaded for each request.

Every signed-in request loads the person from their session, and nearly every one then
asks whether they have an authenticator (portal.middleware.MFARequiredMiddleware). Both
are answered by one query here rather than two. The user object lives for one request,
and says so (`loaded_for_request`), so per-request reads may be kept on it (see
groups.permissions).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

# The kinds of authenticator that count as MFA being set up (recovery codes alone do not).
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_mfa_expression():
    return Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=MFA_TYPES))


class AuthenticationBackend(AllauthBackend):
    """allauth's backend, loading the user with whether they have set up MFA."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.annotate(portal_has_mfa=has_mfa_expression()).filter(pk=user_id)
        user = user.first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user.loaded_for_request = True
        return user


def has_mfa(user):
    """Whether `user` has a TOTP or WebAuthn authenticator: from the sign-in load when
    there was one, else asked now."""
    known = getattr(user, "portal_has_mfa", None)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists()
