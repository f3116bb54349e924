"""factory_boy factories and role helpers, one module a subject; every name is importable
from `tests.factories` as well.

Tests build exactly the tree they need with these (never from the demo content).
Accounts are made as production makes them: with an authenticator app (MFA) unless a
test asks for none (`mfa=False`).
"""

from tests.factories.documents import (
    PDF_CONTENT,
    make_document,
)
from tests.factories.feedback import (
    FEEDBACK_REGIONS,
    FEEDBACK_TOPICS,
    FeedbackFormPageFactory,
    feedback_answers,
    feedback_ticket,
)
from tests.factories.library import (
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    ResourceFactory,
    ResourceIndexPageFactory,
    SupportServiceFactory,
    TopicFactory,
    audience,
)
from tests.factories.members import (
    SENSITIVE,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    days,
    due,
    make_action,
    make_data_steward,
    make_meeting,
    make_member,
    make_update,
)
from tests.factories.pages import (
    HomePageFactory,
    StandardPageFactory,
    make_site,
)
from tests.factories.trends import (
    TrendReturnFactory,
    add_trend_return,
    import_rows_filled,
    leak_a_single_organisations_total,
    make_trend_summary,
    publish_with_approval,
    published_tables,
    trend_counts,
)
from tests.factories.users import (
    UserFactory,
    make_administrator,
    make_editor,
    with_authenticator,
)

__all__ = [
    "FEEDBACK_REGIONS",
    "FEEDBACK_TOPICS",
    "PDF_CONTENT",
    "SENSITIVE",
    "FeedbackFormPageFactory",
    "GuidanceIndexPageFactory",
    "GuidancePageFactory",
    "HomePageFactory",
    "MembersAreaIndexPageFactory",
    "OrganisationFactory",
    "ResourceFactory",
    "ResourceIndexPageFactory",
    "StandardPageFactory",
    "SupportServiceFactory",
    "TopicFactory",
    "TrendReturnFactory",
    "UserFactory",
    "WorkingGroupPageFactory",
    "add_trend_return",
    "audience",
    "days",
    "due",
    "feedback_answers",
    "feedback_ticket",
    "import_rows_filled",
    "leak_a_single_organisations_total",
    "make_action",
    "make_administrator",
    "make_data_steward",
    "make_document",
    "make_editor",
    "make_meeting",
    "make_member",
    "make_site",
    "make_trend_summary",
    "make_update",
    "publish_with_approval",
    "published_tables",
    "trend_counts",
    "with_authenticator",
]
