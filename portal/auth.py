"""How a signed-in person is loaded for each request.

Every signed-in request loads the person from their session, and nearly every one then
asks whether they have an authenticator (portal.middleware.MFARequiredMiddleware). Both
are answered by one query here rather than two. The user object lives for one request,
and says so (`loaded_for_request`), so per-request reads may be kept on it (see
groups.permissions).

The query is written once, as SQL: building and compiling it through the ORM on every
request cost more CPU than anything else a signed-in request does before its view.
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

# The kinds of authenticator that count as MFA being set up (recovery codes alone do not).
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@cache
def _user_sql():
    """SELECT every column of the user, and whether they have MFA, by primary key."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    user_table, pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    mfa_table = quote(Authenticator._meta.db_table)
    mfa_user = quote(Authenticator._meta.get_field("user").column)
    mfa_type = quote(Authenticator._meta.get_field("type").column)
    types = ", ".join(["%s"] * len(MFA_TYPES))
    # Only quoted table and column names go into the text; every value is a parameter.
    return (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {mfa_table} a"  # noqa: S608
        f" WHERE a.{mfa_user} = u.{pk} AND a.{mfa_type} IN ({types})) AS portal_has_mfa"
        f" FROM {user_table} u WHERE u.{pk} = %s"
    )


class AuthenticationBackend(AllauthBackend):
    """allauth's backend, loading the user with whether they have set up MFA."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(user_model._default_manager.raw(_user_sql(), [*MFA_TYPES, user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user.portal_has_mfa = bool(user.portal_has_mfa)  # SQLite answers 0 or 1
        user.loaded_for_request = True
        return user


def has_mfa(user):
    """Whether `user` has a TOTP or WebAuthn authenticator: from the sign-in load when
    there was one, else asked now."""
    known = getattr(user, "portal_has_mfa", None)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists()
