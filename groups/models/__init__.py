"""The members' area's models, one module per subject; import them from `groups.models`."""

from .ledger import AppendOnlyError, TrendLedgerEntry, TrendPublication, TrendSourceVersion
from .meetings import (
    ActionItem,
    ActionItemChange,
    CalendarFeed,
    MeetingAgendaItem,
    MeetingDocument,
    MeetingPage,
)
from .notifications import Notification, NotificationEvent, NotificationFrequency, NotificationPreference
from .stewardship import WORKFLOW_NAME, TrendSummaryApprovalTask, approved_by_a_steward, organisations_of
from .summaries import NOT_APPROVED, AllRegionsTrendSummaryPage, TrendSummaryPage
from .trends import TrendCount, TrendReturn, TrendReturnQuerySet
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
    "NOT_APPROVED",
    "UPDATE_BODY_MAX_LENGTH",
    "UPDATE_TITLE_MAX_LENGTH",
    "WORKFLOW_NAME",
    "ActionItem",
    "ActionItemChange",
    "AllRegionsTrendSummaryPage",
    "AppendOnlyError",
    "CalendarFeed",
    "GroupPrivateMixin",
    "Invitation",
    "InvitationQuerySet",
    "MeetingAgendaItem",
    "MeetingDocument",
    "MeetingPage",
    "MembersAreaIndexPage",
    "MembersAreaPageMixin",
    "Membership",
    "Notification",
    "NotificationEvent",
    "NotificationFrequency",
    "NotificationPreference",
    "Organisation",
    "PrivatePagePermissionTester",
    "Region",
    "TrendCount",
    "TrendLedgerEntry",
    "TrendPublication",
    "TrendReturn",
    "TrendReturnQuerySet",
    "TrendSourceVersion",
    "TrendSummaryApprovalTask",
    "TrendSummaryPage",
    "Update",
    "UpdateQuerySet",
    "UpdateTag",
    "WorkingGroupPage",
    "approved_by_a_steward",
    "organisations_of",
    "parse_email_domains",
    "validate_email_domains",
]
