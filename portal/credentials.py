"""What an account keeps when it is switched off or on again: no way in, and no rights.

A deactivated account must not come back the way it left. Its authenticators (app,
security keys, recovery codes) and its sessions are dropped whenever `is_active`
changes, by whatever route (a membership ending, the admin's user screen, an
invitation accepted, the shell): an old phone or an old session cookie then opens
nothing, and MFA is set up afresh on the next sign-in (portal.middleware).

Rights an invitation does not grant (administrator, staff, the Editors role, any
other group or permission given by hand) are never restored by accepting one: see
`account_is_privileged` and groups.membership.services.invitation_accept.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .audit import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest


def account_is_privileged(user: AbstractUser, *, ordinary_group_ids: Iterable[int] = ()) -> bool:
    """Whether `user` holds any right beyond the groups in `ordinary_group_ids` (the
    working groups' own, which memberships decide): administrator, staff, a permission
    of their own or any other group (Editors, for example)."""
    if user.is_superuser or user.is_staff:
        return True
    if user.user_permissions.exists():
        return True
    return user.groups.exclude(pk__in=list(ordinary_group_ids)).exists()


def account_privileges_drop(
    *,
    user: AbstractUser,
    ordinary_group_ids: Iterable[int] = (),
    actor: AbstractUser | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Take every right but the working groups' own from `user` (and record it)."""
    user.is_superuser = user.is_staff = False
    user.save(update_fields=["is_superuser", "is_staff"])
    user.user_permissions.clear()
    user.groups.remove(*user.groups.exclude(pk__in=list(ordinary_group_ids)))
    audit_record(action="portal.privileges_dropped", request=request, user=user, actor=actor)


def account_sessions_end(*, user: AbstractUser) -> int:
    """End every session of `user`; returns how many were ended.

    allauth's session list (usersessions) knows the sessions begun through its sign-in;
    the session table is read too for any other (Django's own login, for example), so
    none survives. Deleting through the session store clears the shared cache as well.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    user_id = str(user.pk)
    # Sessions are encoded, so they are read one by one; few are live at any time (they
    # end after SESSION_COOKIE_AGE idle), and an account is switched off rarely.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == user_id:
            keys.add(session.session_key)
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def account_credentials_drop(*, user: AbstractUser) -> None:
    """Drop `user`'s authenticators (recovery codes included) and end their sessions."""
    Authenticator.objects.filter(user=user).delete()
    account_sessions_end(user=user)


_WAS_ACTIVE = "_portal_was_active"


@receiver(pre_save, sender=get_user_model(), dispatch_uid="portal_credentials_note_active")
def _note_active(sender, instance, update_fields=None, raw=False, **kwargs):
    # Saves that do not touch is_active (the last sign-in time, a name) cost no query.
    if raw or instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    was = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    setattr(instance, _WAS_ACTIVE, was)


@receiver(post_save, sender=get_user_model(), dispatch_uid="portal_credentials_drop_on_switch")
def _drop_on_switch(sender, instance, created=False, raw=False, **kwargs):
    """Switched off or on again, by any route that saves the account: nothing carries over."""
    was = instance.__dict__.pop(_WAS_ACTIVE, None)
    if raw or created or was is None or was == instance.is_active:
        return
    account_credentials_drop(user=instance)
    action = "portal.account_reactivated" if instance.is_active else "portal.account_deactivated"
    audit_record(action=action, user=instance)
