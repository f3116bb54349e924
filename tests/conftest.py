import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import (
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    MembersAreaIndexPageFactory,
    OrganisationFactory,
    WorkingGroupPageFactory,
    make_site,
)

# Hypothesis' per-example deadline measures the machine, not the code: on a busy CI box a
# page render can take longer than 200 ms. Test speed is watched by benchmarks instead.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast, isolated settings for every test (applied here, not in portal.settings)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
    settings.SECURE_SSL_REDIRECT = False
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


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
