"""A quiet console: the loggers that write a line per task run, scheduled job or (on a
developer's machine) page change show only warnings and errors, unless
DJANGO_LOG_VERBOSE=1 (`make run VERBOSE=1`) asks for everything."""

import logging

import pytest

from portal.logging import QuietLoggersFilter

from .test_settings import SECRET_KEY, read_settings


def record(name, level):
    return logging.LogRecord(name, level, __file__, 1, "Task id=%s state=SUCCESSFUL", ("1",), None)


@pytest.mark.parametrize(
    ("name", "level", "shown"),
    [
        ("django_tasks_db", logging.INFO, False),
        ("django_tasks", logging.INFO, False),
        ("wagtail", logging.INFO, False),
        ("wagtail.admin", logging.INFO, False),
        ("wagtail", logging.WARNING, True),
        ("django_tasks_db", logging.ERROR, True),
        ("django.server", logging.INFO, True),
        ("wagtailfoo", logging.INFO, True),
    ],
)
def test_the_filter_drops_only_the_quiet_loggers_lines_below_warning(name, level, shown):
    quiet = QuietLoggersFilter(["django_tasks", "django_tasks_db", "wagtail"])

    assert quiet.filter(record(name, level)) is shown


def test_the_filter_holds_whatever_level_the_worker_sets():
    """db_worker sets its loggers to INFO at its default verbosity, after the settings."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, QuietLoggersFilter) for f in h.filters))
    logging.getLogger("django_tasks_db").setLevel(logging.INFO)
    try:
        assert handler.filter(record("django_tasks_db", logging.INFO)) is False
        assert handler.filter(record("django_tasks_db", logging.WARNING)) is True
    finally:
        logging.getLogger("django_tasks_db").setLevel(logging.NOTSET)


@pytest.mark.parametrize(
    ("env", "quiet", "loud"),
    [
        pytest.param(
            {"DJANGO_DEBUG": "1"},
            {"django_tasks", "django_tasks_db", "apscheduler", "wagtail", "django.utils.autoreload"},
            set(),
            id="development",
        ),
        pytest.param(
            {"DJANGO_DEBUG": "1", "DJANGO_LOG_VERBOSE": "1"}, set(), {"django_tasks_db", "wagtail"}, id="verbose"
        ),
        # In production Wagtail's page lines stay (titles withheld), as a record of changes.
        pytest.param(
            {"DJANGO_SECRET_KEY": SECRET_KEY},
            {"django_tasks", "django_tasks_db", "apscheduler"},
            {"wagtail"},
            id="production",
        ),
    ],
)
def test_which_loggers_are_quiet(env, quiet, loud):
    loggers = set(read_settings(env, "QUIET_LOGGERS")["QUIET_LOGGERS"])

    assert quiet <= loggers
    assert not loud & loggers
