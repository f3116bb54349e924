"""Names and choices the members' area shares across features.

Permissions, models and services all need the same regions, roles, statuses and names;
keeping them here means none of those modules has to import another to read a constant.
Values are stored in the database: changing one is a migration.
"""

from django.db import models


class Region(models.TextChoices):
    CUMBRIA = "cumbria", "Cumbria"
    NORTHUMBRIA = "northumbria", "Northumbria"
    DURHAM_CLEVELAND = "durham-cleveland", "Durham Cleveland"
    YORKSHIRE = "yorkshire", "Yorkshire"


class OrganisationSector(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens-social-care", "Children's social care"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    VOLUNTARY_SECTOR = "voluntary-sector", "Voluntary sector"
    YOUTH_JUSTICE = "youth-justice", "Youth justice"
    OTHER = "other", "Other"


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    COORDINATOR = "coordinator", "Coordinator"


class MembershipStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    LEFT = "left", "Left"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# An action still to be done (ActionItem.objects.open()).
ACTION_OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class NotificationFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately, one email for each"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "Off"


class NotificationKind(models.TextChoices):
    MEETING_NOTES = "meeting_notes", "Meeting notes published"
    UPDATE = "update", "Update posted"
    ACTION_ASSIGNED = "action_assigned", "Action assigned"
    ACTION_DUE_SOON = "action_due_soon", "Action due in three days"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    DOCUMENT = "document", "Document added"


# The Django groups of a working group, named after its region ("Cumbria members").
def members_group_name(region_label):
    return f"{region_label} members"


def coordinators_group_name(region_label):
    return f"{region_label} coordinators"


# Collections directly under the root: documents anyone may download, and the parent
# of every working group's own (private) collection.
PUBLIC_DOCUMENTS_COLLECTION = "Public documents"
WORKING_GROUPS_COLLECTION = "Working groups"

# The group's sections are Django views at /members/<group>/<section>/; a page there
# would never be reached.
RESERVED_SLUGS = frozenset(
    {"meetings", "actions", "updates", "documents", "people", "returns", "invitations", "summaries"}
)
