"""The members' area's models, one module per subject; import them from `groups.models`."""

from .updates import UPDATE_BODY_MAX_LENGTH, UPDATE_TITLE_MAX_LENGTH, Update, UpdateQuerySet, UpdateTag
from .working_groups import (
    GroupPrivateMixin,
    Invitation,
    InvitationQuerySet,
    MembersAreaIndexPage,
    MembersAreaPageMixin,
    Membership,
    Organisation,
    PrivatePagePermissionTester,
    Region,
    WorkingGroupPage,
    parse_email_domains,
    validate_email_domains,
)

__all__ = [
    "UPDATE_BODY_MAX_LENGTH",
    "UPDATE_TITLE_MAX_LENGTH",
    "GroupPrivateMixin",
    "Invitation",
    "InvitationQuerySet",
    "MembersAreaIndexPage",
    "MembersAreaPageMixin",
    "Membership",
    "Organisation",
    "PrivatePagePermissionTester",
    "Region",
    "Update",
    "UpdateQuerySet",
    "UpdateTag",
    "WorkingGroupPage",
    "parse_email_domains",
    "validate_email_domains",
]
