"""A change to a membership retires every person kept with their memberships
(portal.auth.kept_with_person, groups.permissions.request_memberships)."""

from portal.auth import people_changed


def membership_changed(**kwargs) -> None:
    people_changed()
