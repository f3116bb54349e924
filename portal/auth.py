"""How a signed-in person is loaded for each request.

Every signed-in request loads the person from their session, and nearly every one then
asks whether they have an authenticator (portal.middleware.MFARequiredMiddleware). Both
are answered by one query here rather than two, which also says which Django groups the
person is in (for the members' area's page view restrictions, home.frame). The user
object lives for one request, and says so (`loaded_for_request`), so per-request reads
may be kept on it (see groups.permissions).

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


# Each database's way of joining the ids of the person's groups into one text column.
_GROUP_IDS_AGGREGATES = {
    "postgresql": "string_agg(CAST(g.{column} AS text), ',')",
    "sqlite": "group_concat(g.{column}, ',')",
}


@cache
def _user_sql():
    """SELECT every column of the user, whether they have MFA and, where the database can
    say it in one column, the ids of their groups, by primary key."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    user_table, pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    mfa_table = quote(Authenticator._meta.db_table)
    mfa_user = quote(Authenticator._meta.get_field("user").column)
    mfa_type = quote(Authenticator._meta.get_field("type").column)
    types = ", ".join(["%s"] * len(MFA_TYPES))
    groups = user_model._meta.get_field("groups").remote_field.through._meta
    aggregate = _GROUP_IDS_AGGREGATES.get(connection.vendor)
    group_ids = ""
    if aggregate:
        group_column = quote(groups.get_field("group").column)
        group_user = quote(groups.get_field("user").column)
        group_ids = (
            f", (SELECT {aggregate.format(column=group_column)} FROM {quote(groups.db_table)} g"  # noqa: S608
            f" WHERE g.{group_user} = u.{pk}) AS portal_group_id_list"
        )
    # Only quoted table and column names go into the text; every value is a parameter.
    return (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {mfa_table} a"  # noqa: S608
        f" WHERE a.{mfa_user} = u.{pk} AND a.{mfa_type} IN ({types})) AS portal_has_mfa{group_ids}"
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
        if hasattr(user, "portal_group_id_list"):
            # For the members' area's view restrictions (home.frame.user_group_ids).
            listed = user.__dict__.pop("portal_group_id_list") or ""
            user.portal_group_ids = frozenset(int(pk) for pk in str(listed).split(",") if pk)
        user.loaded_for_request = True
        return user


def has_mfa(user):
    """Whether `user` has a TOTP or WebAuthn authenticator: from the sign-in load when
    there was one, else asked now."""
    known = getattr(user, "portal_has_mfa", None)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists()
