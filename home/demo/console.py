"""Loading the demo on a console: a short line as each part begins, the sign-ins last,
and none of the hundreds of log lines the pages and tasks it makes would write."""

import logging
from contextlib import contextmanager

from django.core.management import call_command

from .loader import demo_content_load
from .sign_ins import SIGN_IN_URL, sign_ins_text

# Loggers that write a line for every page the demo creates and every task it queues.
CHATTY_LOGGERS = ("wagtail", "portal.security", "django_tasks", "django_tasks_db", "modelsearch")
FIRST_SIGN_INS_TITLE = "Demo sign-ins, one per role:"


@contextmanager
def chatty_logs_quiet(*, quiet=True):
    """Hide those loggers' INFO lines for a while; warnings and errors still show."""
    if not quiet:
        yield
        return
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def demo_load_on_console(*, write, style, verbosity=1, sign_in_url=SIGN_IN_URL):
    """Load the demo, saying what it is doing; return the sign-ins it made (if any).

    At verbosity 2 or more, the pages' and tasks' own log lines show too."""

    def progress(step, steps, label):
        if verbosity:
            write(f"Loading demo content ({step}/{steps}): {label}...")

    with chatty_logs_quiet(quiet=verbosity < 2):
        report, _ = demo_content_load(progress=progress)
        if not report.created:
            write("Demo content is already loaded; nothing changed.")
            return []
        # Wagtail updates its search index in background tasks; build it now so that
        # search works at once, whether or not a worker is running yet.
        if verbosity:
            write("Building the search index...")
        call_command("update_index", verbosity=0)
    write(f"Created {len(report.created)} items of demo content.")
    if report.logins:
        write(style.WARNING(sign_ins_text(report.logins, title=FIRST_SIGN_INS_TITLE, sign_in_url=sign_in_url)))
    return report.logins
