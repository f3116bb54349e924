"""A working group's meetings as an iCalendar feed, for members' calendar apps.

Only what a calendar needs: each meeting's title, times, place or link and the URL of
its page (which asks the reader to sign in). Never notes, actions, attendance or
apologies: calendar apps sync to many devices and services.
"""

from icalendar import Calendar, Event

from django.conf import settings
from django.utils import timezone

from .selectors import group_meetings

PRODID = "-//Working Group Portal//Meetings//EN"


def _absolute(url):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url and url.startswith("/") else url


def group_calendar(*, working_group, request=None):
    """The group's live meetings as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", working_group.title)
    now = timezone.now()
    meetings = group_meetings(working_group=working_group).only(
        "pk", "title", "start", "end", "location", "online_link", "url_path"
    )
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{PRODID.split('//')[1].replace(' ', '-').lower()}")
        event.add("dtstamp", now)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.start)
        if meeting.end:
            event.add("dtend", meeting.end)
        if meeting.location:
            event.add("location", meeting.location)
        url = meeting.get_url(request=request) if request is not None else meeting.url
        page_url = request.build_absolute_uri(url) if request is not None and url.startswith("/") else _absolute(url)
        event.add("url", page_url)
        description = [f"Meeting page (sign in): {page_url}"]
        if meeting.online_link:
            description.insert(0, f"Join online: {meeting.online_link}")
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar.to_ical()
