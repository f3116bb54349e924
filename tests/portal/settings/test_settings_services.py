"""Settings for shared services: Redis for the caches and sessions, S3-compatible object
storage for documents. Each test starts a fresh interpreter (see test_settings.py)."""

import sys

import pytest

from tests.fresh_process import SECRET_KEY, read_settings, run

REDIS = "portal.redis_cache.RedisCache"


def test_one_server_defaults_need_no_other_service():
    values = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY}, "CACHES", "SESSION_ENGINE", "STORAGES")

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["CACHES"]["pages"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert values["SESSION_ENGINE"] == "portal.sessions.db"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_redis_url_moves_the_caches_and_sessions_to_redis():
    env = {"DJANGO_SECRET_KEY": SECRET_KEY, "REDIS_URL": "redis://cache.example.org:6379/4"}

    values = read_settings(env, "CACHES", "SESSION_ENGINE", "SESSION_CACHE_ALIAS")

    caches = values["CACHES"]
    assert (caches["default"]["BACKEND"], caches["default"]["LOCATION"]) == (REDIS, "redis://cache.example.org:6379/4")
    # Clearing the page cache empties its Redis database: it gets one of its own.
    assert (caches["pages"]["BACKEND"], caches["pages"]["LOCATION"]) == (REDIS, "redis://cache.example.org:6379/5")
    assert values["SESSION_ENGINE"] == "portal.sessions.cached_db"
    assert values["SESSION_CACHE_ALIAS"] == "default"


def test_redis_url_without_a_database_number_uses_0_and_1():
    caches = read_settings({"DJANGO_SECRET_KEY": SECRET_KEY, "REDIS_URL": "redis://cache.example.org"}, "CACHES")[
        "CACHES"
    ]

    assert caches["default"]["LOCATION"] == "redis://cache.example.org"
    assert caches["pages"]["LOCATION"] == "redis://cache.example.org/1"


def test_cache_urls_still_override_redis_url():
    env = {
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "REDIS_URL": "redis://cache.example.org:6379/4",
        "CACHE_URL": "dbcache://portal_cache",
        "PAGE_CACHE_URL": "redis://pages.example.org:6379/9",
    }

    values = read_settings(env, "CACHES", "SESSION_ENGINE")

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["CACHES"]["pages"]["LOCATION"] == "redis://pages.example.org:6379/9"
    assert values["SESSION_ENGINE"] == "portal.sessions.db"


@pytest.mark.parametrize("variable", ["CACHE_URL", "PAGE_CACHE_URL", "REDIS_URL"])
def test_a_redis_cache_reaches_the_redis_client(variable):
    """Before the client was a dependency, the first cache call failed with
    ModuleNotFoundError: No module named 'redis'. Nothing listens on port 1 here, so a
    working client fails to connect instead."""
    alias = "pages" if variable == "PAGE_CACHE_URL" else "default"
    script = (
        # The settings and the cache, without loading the apps (which a cache needs not).
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
        "import redis; from redis.utils import HIREDIS_AVAILABLE; from django.core.cache import caches\n"
        "try:\n"
        f"    caches['{alias}'].get('probe')\n"
        "except redis.exceptions.ConnectionError:\n"
        "    print('connection refused; hiredis', HIREDIS_AVAILABLE)\n"
    )
    env = {"DJANGO_SECRET_KEY": SECRET_KEY, variable: "redis://127.0.0.1:1/0"}

    result = run([sys.executable, "-c", script], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "connection refused; hiredis True"


def test_a_bucket_moves_documents_to_object_storage():
    env = {
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "AWS_STORAGE_BUCKET_NAME": "portal-documents",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
        "AWS_S3_REGION_NAME": "eu-west-2",
    }

    values = read_settings(env, "STORAGES", "WAGTAILDOCS_SERVE_METHOD")

    storage = values["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "portal-documents"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["region_name"] == "eu-west-2"
    assert storage["OPTIONS"]["file_overwrite"] is False
    # Private documents are only ever served by the portal's permission-checked view.
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_deploy_check_passes_with_several_server_variables():
    env = {
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "AWS_STORAGE_BUCKET_NAME": "portal-documents",
    }

    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
