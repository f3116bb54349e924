"""Fast, isolated test settings, and expensive data built once for a module."""

from contextlib import contextmanager


def fast_settings(media_root):
    """Fast, isolated settings for tests (applied here, not in portal.settings)."""
    from django.conf import settings

    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "MEDIA_ROOT": media_root,
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
            "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        },
        "SECURE_SSL_REDIRECT": False,
    }


def clear_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@contextmanager
def built_once(django_db_blocker, media_root):
    """For a module-scoped fixture that builds expensive data once for all of a module's tests.

    The data is built inside one transaction that is rolled back after the module's last
    test, and each test runs in a savepoint within it and is rolled back to the data as
    built: what Django's `setUpTestData` does for a class. Use it in a fixture that asks
    for `django_db_setup`, in a module whose tests use the database (not transactional).
    """
    from django.db import transaction
    from django.test import override_settings

    with override_settings(**fast_settings(media_root)), django_db_blocker.unblock(), transaction.atomic():
        clear_caches()
        yield
        transaction.set_rollback(True)
