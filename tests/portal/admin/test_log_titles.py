"""Security matrix row L01 for Wagtail's own log lines: page titles (members' words in a
working group's area) and paths made from them never reach the server's log."""

import io
import logging

import pytest

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

SECRET = "Safeguarding case of Jordan"


@pytest.fixture
def console():
    """What the configured console handler writes, for the duration of a test."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if type(handler) is logging.StreamHandler and handler.formatter is not None
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_wagtail_logs_page_events_without_titles(console, cumbria, admin_user):
    meeting = make_meeting(cumbria, title=SECRET, publish=False)
    meeting.save_revision(user=admin_user).publish(user=admin_user)
    meeting.title = f"{SECRET} (moved)"
    meeting.save_revision(user=admin_user)
    meeting.delete()
    output = console.getvalue()
    assert f'Page created: "[withheld]" id={meeting.pk}' in output
    assert "Published:" in output and "Page deleted:" in output
    assert "Jordan" not in output
    assert "safeguarding-case" not in output.lower()
