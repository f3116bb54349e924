"""Who may do what in the members' area.

These predicates read the memberships directly, never the Django groups derived from
them, so a suspension or removal counts on the very next request whatever state the
groups are in. Where people are kept in Redis (portal.auth), a person's memberships are
kept with them and retired by any membership saved or deleted; one changed behind the
ORM's back (SQL, `QuerySet.update()`) counts within AUTH_USER_CACHE_SECONDS instead.
Superusers (administrators) may do everything; an inactive account may do nothing.

They import no models: they query through the objects they are given (the user's
`memberships`), so models, selectors and services can all use them. The site-wide
Editors role is `portal.roles.is_editor`.
"""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.auth import forget_kept, kept_name, kept_with_person
from portal.roles import is_data_steward

from .enums import MembershipRole, MembershipStatus


def _active_memberships(user):
    return user.memberships.filter(status=MembershipStatus.ACTIVE)


# The person's active memberships, kept on a user object that lives for one request
# (`loaded_for_request`, set by portal.auth), so that the many checks a page makes cost one
# query between them. Other user objects (in services, tasks, tests) are asked each time.
_MEMBERSHIPS_ATTRIBUTE = "_portal_active_memberships"
# Kept beside the session with the person where people are kept (portal.auth), and read
# with the session; groups.membership.receivers retires them on any change to a membership.
_KEPT_MEMBERSHIPS = kept_name("groups.active_memberships")


@cache
def _memberships_sql(model):
    """SELECT every column of a person's memberships with a status, as
    `_active_memberships` does: written once, as building the query through the ORM on
    every members' page cost about as much CPU as running it (see portal.auth)."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    user, status = quote(meta.get_field("user").column), quote(meta.get_field("status").column)
    working_group = quote(meta.get_field("working_group").column)
    # Only quoted table and column names go into the text; every value is a parameter.
    return (
        f"SELECT {columns} FROM {quote(meta.db_table)}"  # noqa: S608
        f" WHERE {user} = %s AND {status} = %s ORDER BY {working_group}"
    )


def request_memberships(user):
    """`user`'s active memberships as a list, read once per request; None for a user object
    that is not a request's, whose checks query each time."""
    if not getattr(user, "loaded_for_request", False):
        return None
    memberships = user.__dict__.get(_MEMBERSHIPS_ATTRIBUTE)
    if memberships is None:
        model = user.memberships.model

        def load():
            return list(model.objects.raw(_memberships_sql(model), [user.pk, MembershipStatus.ACTIVE]))

        memberships = user.__dict__[_MEMBERSHIPS_ATTRIBUTE] = kept_with_person(user, _KEPT_MEMBERSHIPS, load)
    return memberships


def forget_memberships(user):
    """Drop the memberships kept on `user` (after changing them within the request)."""
    user.__dict__.pop(_MEMBERSHIPS_ATTRIBUTE, None)
    forget_kept(user, _KEPT_MEMBERSHIPS)


def _membership(user, working_group, *, role=None):
    """`user`'s active membership of `working_group` (with `role`, if given), or None."""
    working_group_id = getattr(working_group, "pk", working_group)
    memberships = request_memberships(user)
    if memberships is None:
        found = _active_memberships(user).filter(working_group_id=working_group_id)
        return found.filter(role=role).first() if role else found.first()
    return next(
        (m for m in memberships if m.working_group_id == working_group_id and (role is None or m.role == role)),
        None,
    )


def active_membership_of(user, working_group):
    """`user`'s active membership of `working_group`, or None (one query per request at most)."""
    if not is_signed_in(user):
        return None
    return _membership(user, working_group)


def is_signed_in(user):
    """An active account that has signed in."""
    return user is not None and user.is_authenticated and user.is_active


def can_view_group(user, working_group):
    """Whether `user` may see working group `working_group`'s area: active members only."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return _membership(user, working_group) is not None


def is_coordinator(user, working_group):
    """Whether `user` runs `working_group`: an active membership with the coordinator role."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return _membership(user, working_group, role=MembershipRole.COORDINATOR) is not None


def owns_action(user, action, membership):
    """Whether `user`, with `membership` (their active one in the action's group, or
    None), owns `action`: it is theirs, or, owned by an organisation alone, their
    organisation's. No queries, so a page of actions can ask for each."""
    if membership is None or not is_signed_in(user):
        return False
    if action.owner_user_id:
        return action.owner_user_id == user.pk
    return action.owner_organisation_id is not None and action.owner_organisation_id == membership.organisation_id


def can_update_action(user, action, *, working_group=None):
    """Whether `user` may change `action`'s status: its group's coordinators, or the
    member who owns it (see owns_action)."""
    if not is_signed_in(user):
        return False
    working_group = working_group or action.meeting.get_working_group()
    if is_coordinator(user, working_group):
        return True
    return owns_action(user, action, _membership(user, working_group))


def can_post_update(user, working_group):
    """Active members (coordinators included) post updates, under their organisation in the
    working_group; administrators who are not members cannot, having no organisation there."""
    if not is_signed_in(user):
        return False
    return _membership(user, working_group) is not None


def update_edit_deadline(update):
    """Until when the author may still change or delete `update` (UPDATE_EDIT_WINDOW_HOURS after posting)."""
    return update.created_at + timedelta(hours=settings.UPDATE_EDIT_WINDOW_HOURS)


def is_own_changeable_update(user, update):
    """Whether `update` is `user`'s own, not hidden, and still within the edit window.

    No query: for lists whose viewer is already known to be a member of the group. Use
    `can_change_update` anywhere else.
    """
    return (
        is_signed_in(user)
        and update.author_id == user.pk
        and update.hidden_at is None
        and timezone.now() < update_edit_deadline(update)
    )


def can_change_update(user, update):
    """Whether `user` may edit or delete `update`: its author, still an active member of
    the group, for a while after posting, unless a coordinator has hidden it."""
    return is_own_changeable_update(user, update) and can_view_group(user, update.working_group)


def can_view_update(user, update):
    """Members see their group's updates; hidden ones only the group's coordinators."""
    if update.hidden_at is not None:
        return is_coordinator(user, update.working_group)
    return can_view_group(user, update.working_group)


def can_hide_update(user, update):
    """Coordinators (and administrators) may hide or unhide any update in their group."""
    return is_coordinator(user, update.working_group)


def member_organisation(user, working_group):
    """The organisation through which `user` is an active member of `working_group`, or None.

    A member submits trend returns for this organisation only, whatever a form says.
    """
    if not is_signed_in(user):
        return None
    membership = _active_memberships(user).filter(working_group=working_group).select_related("organisation").first()
    return membership.organisation if membership else None


def can_view_trend_return(user, trend_return):
    """Raw returns are read by the owner organisation's active members in that group and
    by the group's coordinators (and administrators); never by editors, other
    organisations or other groups. Published figures come from summaries instead."""
    if not is_signed_in(user):
        return False
    if is_coordinator(user, trend_return.working_group):
        return True
    membership = _membership(user, trend_return.working_group_id)
    return membership is not None and membership.organisation_id == trend_return.organisation_id


def can_view_all_regions(user):
    """The all-regions trend summaries are for every active member of any working group
    (and administrators): they hold nothing a region's own summary would not."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    memberships = request_memberships(user)
    return bool(memberships) if memberships is not None else _active_memberships(user).exists()


def can_see_disclosure_report(user, page):
    """Which rule hid which figure says a little about the true values (a count hidden
    as "fewer than 10" is from 1 to 9), so only those who may read the raw returns see
    it: the group's coordinators for a region, administrators for all regions."""
    working_group = page.get_working_group() if hasattr(page, "get_working_group") else None
    if working_group is None:
        return is_signed_in(user) and user.is_superuser
    return is_coordinator(user, working_group)


def can_review_trend_releases(user):
    """Who sees, in the admin, the quarters' trend releases waiting for a data steward's
    second key: the data stewards, who give it, and administrators, who run the site (they
    see it, but only a steward approves). Everyone else gets 404, as for a missing page."""
    return is_signed_in(user) and (user.is_superuser or is_data_steward(user))
