"""What every page's header needs to know about the person reading it.

The header shows the signed-in person's groups and whether they use the admin. Working
that out on every page would add queries to every page, so it is worked out when they
sign in and kept in their session, then worked out again at most every few minutes: a
group joined or left shows in the header within HEADER_REFRESH_SECONDS (a link to a
group someone has just left answers 404, like any other group's page).
"""

import time

from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.dispatch import receiver

from groups.models import Membership, WorkingGroupPage

SESSION_KEY = "portal_header"
HEADER_REFRESH_SECONDS = 300


def header_data(user):
    """The person's live groups (title and address) and whether they may use the admin."""
    groups = [
        {"pk": group.pk, "path": group.path, "title": group.title, "url": group.url}
        for group in WorkingGroupPage.objects.live()
        .filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)
        .order_by("title")
        .distinct()
    ]
    uses_admin = user.is_superuser or (
        user.is_active
        and Permission.objects.filter(
            Q(user=user) | Q(group__user=user), content_type__app_label="wagtailadmin", codename="access_admin"
        ).exists()
    )
    return {"groups": groups, "uses_admin": uses_admin, "at": time.time()}


@receiver(user_logged_in, dispatch_uid="portal_header_on_sign_in")
def _remember_header(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = header_data(user)


def account(request):
    """`header_groups` and `header_uses_admin` for the header of a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    data = request.session.get(SESSION_KEY)
    if not data or time.time() - data.get("at", 0) > HEADER_REFRESH_SECONDS:
        data = request.session[SESSION_KEY] = header_data(user)
    return {"header_groups": data["groups"], "header_uses_admin": data["uses_admin"]}
