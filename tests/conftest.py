import pytest

from tests import hypothesis_profiles
from tests.factories import (
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_site,
)
from tests.fast import clear_caches, fast_settings

hypothesis_profiles.load()  # before any test module applies @settings


@pytest.fixture
def media_root(tmp_path):
    """Where a test's uploads go; a module whose data is built once overrides it."""
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root):
    """`fast_settings` for every test, and empty caches."""
    for name, value in fast_settings(media_root).items():
        setattr(settings, name, value)
    clear_caches()


@pytest.fixture
def home_page(db):
    return make_site()


@pytest.fixture
def guidance_index(home_page):
    return GuidanceIndexPageFactory(parent=home_page, slug="guidance")


@pytest.fixture
def guidance_page(guidance_index):
    return GuidancePageFactory(parent=guidance_index, slug="what-to-do", title="What to do")


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's administrator, with an authenticator: every account must have MFA."""
    from tests.accounts import make_account

    user, _ = make_account("admin@example.org", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def members_area(home_page):
    return MembersAreaIndexPageFactory(parent=home_page)


@pytest.fixture
def cumbria(members_area):
    return WorkingGroupPageFactory(parent=members_area, region="cumbria")


@pytest.fixture
def yorkshire(members_area):
    return WorkingGroupPageFactory(parent=members_area, region="yorkshire")


@pytest.fixture
def police():
    return OrganisationFactory(name="Cumbria Constabulary", sector="police", email_domains="cumbria.police.uk")


@pytest.fixture
def feedback_page(home_page):
    from tests.factories import FeedbackFormPageFactory

    return FeedbackFormPageFactory(parent=home_page)
