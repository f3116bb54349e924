"""The members' area's models, one module per subject; import them from `groups.models`."""

from .trends import TrendCount, TrendReturn, TrendReturnQuerySet
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
    "GroupPrivateMixin",
    "Invitation",
    "InvitationQuerySet",
    "MembersAreaIndexPage",
    "MembersAreaPageMixin",
    "Membership",
    "Organisation",
    "PrivatePagePermissionTester",
    "Region",
    "TrendCount",
    "TrendReturn",
    "TrendReturnQuerySet",
    "WorkingGroupPage",
    "parse_email_domains",
    "validate_email_domains",
]
