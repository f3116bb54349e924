"""The members' area of the demo site: the four working groups' fictional members, a year
of meetings with notes and actions, updates, small documents and trend returns.

Everything goes through the services the members' area uses itself (`membership_add`,
`meeting_create`, `action_status_change`, `update_post`, `trend_return_create_sample`), so
the demo holds nothing the site could not have made. Dates are counted back from the day
of loading, so the area always looks lived in: past meetings with notes, the next ones
planned, actions done, open and overdue.

Like the rest of the demo loader, each part is made only where it is missing (people by
email address; a group's meetings, updates and returns when it has none; documents by
title), so loading again creates nothing. The demo tells nobody: it loads inside the
notifications service's `notifications_muted()`, a year of demo meetings, actions and
documents would otherwise fill everyone's first digest. What a publish records for itself
(an action's announced owner) is still recorded.
"""

import csv
import datetime
import io
import logging
import zlib
from contextlib import contextmanager

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model

from groups.meetings.services import action_status_change, meeting_create
from groups.membership.selectors import group_members
from groups.membership.services import account_username_for, membership_add
from groups.models import (
    ActionItem,
    ActionItemChange,
    AllRegionsTrendSummaryPage,
    MeetingPage,
    Membership,
    TrendReturn,
    TrendSummaryPage,
    Update,
)
from groups.notifications.services import notifications_muted
from groups.trends.quarters import recent_quarters
from groups.trends.services import trend_release_publish, trend_return_create_sample, trend_return_submit
from groups.updates.services import update_post
from portal.documents import validate_document_file
from portal.mail import admin_mail_muted
from portal.profiles import job_title_of, person_details_change
from portal.roles import DATA_STEWARDS_GROUP_NAME

MEETING_EVERY = datetime.timedelta(weeks=6)
PAST_MEETINGS = 9  # every six weeks: a year
UPCOMING_MEETINGS = 2
MEETING_TIME = datetime.time(10, 0)
MEETING_LENGTH = datetime.timedelta(hours=2)
# How long ago each group last met, so the four are not in step.
LAST_MET_DAYS_AGO = {"cumbria": 10, "northumbria": 17, "durham-cleveland": 24, "yorkshire": 31}
UPDATES_PER_GROUP = 9
RETURN_QUARTERS = 8
# A typical quarter's count for one agency of each sector (made up, small as real ones are).
RETURN_SIZE = {
    "police": 12,
    "childrens-social-care": 7,
    "voluntary-sector": 5,
    "health": 4,
    "education": 3,
    "youth-justice": 2,
    "other": 2,
}
JOINED_DAYS_AGO = 400
# Varies the made-up figures; chosen so that each narrative's claims are figures the
# release shows (tests/home/demo/test_demo_content.py).
RETURN_SEED = "a1"


def _no_step(label):
    pass


def demo_groups_load(*, spec, people, groups, organisations, report, step=_no_step):
    """Fill each working group (`groups`: {region: WorkingGroupPage}) from `spec`
    (working_groups.toml) and `people` (people.toml's [[members]]); `step(label)` is
    called as each group, then the trend summaries, begin."""
    today = timezone.localdate()
    with notifications_muted(), admin_mail_muted(), _audit_log_quiet():
        for member in people:
            _load_member(member, groups, organisations, report)
        for index, group in enumerate(groups.values()):
            step(group.title)
            members = _active_memberships(group)
            if not members:
                continue
            documents = _load_documents(group, spec, members, today, report)
            _load_meetings(group, spec, members, documents, today, report)
            _load_updates(group, spec, members, index, today, report)
            _load_returns(group, spec, members, report, with_late_return=index == 0)
        step("trend summaries")
        _load_summaries(groups, spec, report)


@contextmanager
def _audit_log_quiet():
    """The demo's own audit entries (memberships added, returns submitted) are recorded in
    Site history as usual, but not echoed line by line to the console of `make run`."""
    logger = logging.getLogger("portal.security")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _aware(day, time=MEETING_TIME):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _active_memberships(group):
    """The group's active members, the demo sign-ins first (so they get actions too)."""
    memberships = group_members(working_group=group)
    return sorted(memberships, key=lambda m: (not _is_sign_in(m), m.pk))


# People


def demo_person_name(user, spec):
    """Give a demo account the name and job title of its data file, unless it has a name
    and job title of its own already (a demo made before these were asked for gets them;
    a change made since is kept)."""
    if user.get_full_name() and job_title_of(user):
        return
    first_name, last_name = spec["name"].split(" ", 1)
    person_details_change(
        user=user,
        first_name=user.first_name or first_name,
        last_name=user.last_name or last_name,
        job_title=job_title_of(user) or spec.get("job_title", ""),
    )


def _load_member(spec, groups, organisations, report):
    """A fictional member: an account without a password (no one can sign in as them)."""
    User = get_user_model()
    email = spec["email"]
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        demo_person_name(existing, spec)
        return
    user = User.objects.create_user(username=account_username_for(email), email=email, password=None)
    demo_person_name(user, spec)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    membership = membership_add(
        user=user,
        working_group=groups[spec["group"]],
        organisation=organisations[spec["organisation"]],
        role=spec["role"],
    )
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=timezone.now() - datetime.timedelta(days=JOINED_DAYS_AGO)
    )
    report.created.append(f"member {email}")


# Documents


def pdf_bytes(lines):
    """A small, valid one-page PDF that shows `lines` (Helvetica, A4)."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = ["BT", "/F1 11 Tf", "15 TL", "60 790 Td"]
    content += [f"({escape(line)}) '" for line in lines]
    content.append("ET")
    stream = "\n".join(content).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _meeting_starts(group, today):
    """The group's meetings over the past year and the next two, oldest first."""
    last = today - datetime.timedelta(days=LAST_MET_DAYS_AGO.get(group.region, 14))
    return [last + n * MEETING_EVERY for n in range(-(PAST_MEETINGS - 1), UPCOMING_MEETINGS + 1)]


def _document_content(spec, group, today):
    if spec["kind"] == "pdf":
        return pdf_bytes([group.title, *spec["lines"]])
    if spec["kind"] == "txt":
        return ("\n".join([group.title, "", *spec["lines"]]) + "\n").encode()
    # The meeting schedule: the group's meetings as a spreadsheet.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "time", "where"])
    for n, day in enumerate(_meeting_starts(group, today)):
        writer.writerow([day.isoformat(), MEETING_TIME.strftime("%H:%M"), "online" if n % 2 else "in person"])
    return buffer.getvalue().encode()


def _load_documents(group, spec, members, today, report):
    """The group's small documents, by title: {title: Document}."""
    Document = get_document_model()
    uploader = _coordinators(members)[0].user
    documents = {}
    for item in spec["documents"]:
        document = Document.objects.filter(collection=group.collection, title=item["title"]).first()
        if document is None:
            name = f"{group.slug}-{slugify(item['title'])}.{item['kind']}"
            file = ContentFile(_document_content(item, group, today), name=name)
            validate_document_file(file)  # the same check as an upload
            document = Document(title=item["title"], collection=group.collection, uploaded_by_user=uploader)
            document.file.save(file.name, file, save=False)
            document._set_document_file_metadata()
            document.save()
            Document.objects.filter(pk=document.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=item["age_days"])
            )
            report.created.append(f"document {group.title}: {document.title}")
        documents[item["title"]] = document
    return documents


# Meetings and actions


def _coordinators(members):
    return [m for m in members if m.role == Membership.Role.COORDINATOR] or members


def _is_sign_in(membership):
    return membership.user.email.endswith("@example.org")


def _owner(spec, members, turn, *, recent):
    """The action's owner for `spec["owner"]`: a sector ("police") gives a member of an
    organisation of that sector, in turn; "organisation:<sector>" gives the organisation
    alone. A sector the group lacks falls to its coordinators. A `recent` action goes to
    a demo sign-in of that sector where there is one, so they have open actions to see."""
    owner = spec["owner"]
    by_organisation = owner.startswith("organisation:")
    sector = owner.removeprefix("organisation:")
    candidates = [m for m in members if m.organisation.sector == sector] or _coordinators(members)
    if recent and any(_is_sign_in(m) for m in candidates):
        candidates = [m for m in candidates if _is_sign_in(m)]
    membership = candidates[turn % len(candidates)]
    if by_organisation:
        return {"owner_organisation": membership.organisation}
    return {"owner_user": membership.user, "owner_organisation": membership.organisation}


def _status(age, position):
    """How far an action has got, by how many meetings ago it was agreed (`age`, 0 for
    the last one) and its place in the list: recent ones open, older ones done, with one
    long-running action still in progress and one dropped."""
    Status = ActionItem.Status
    if age == 0:
        return Status.IN_PROGRESS if position == 1 else Status.OPEN
    if age == 1:
        return Status.DONE if position == 0 else Status.OPEN
    if (age, position) == (3, 0):
        return Status.IN_PROGRESS
    if (age, position) == (5, 1):
        return Status.DROPPED
    return Status.DONE


STATUS_NOTES = {
    ActionItem.Status.IN_PROGRESS: "Started; a first draft is with the agencies for comment.",
    ActionItem.Status.DROPPED: "No longer needed: covered by the updated referral pathway.",
}


def _load_meetings(group, spec, members, documents, today, report):
    if MeetingPage.objects.child_of(group).exists():
        return
    place = spec["places"][group.region]
    organisations = list(dict.fromkeys(m.organisation for m in members))
    coordinator = _coordinators(members)[0].user
    starts = _meeting_starts(group, today)
    themes, upcoming = spec["themes"], spec["upcoming"]
    offset = list(LAST_MET_DAYS_AGO).index(group.region) if group.region in LAST_MET_DAYS_AGO else 0
    for n, day in enumerate(starts):
        past = day < today
        age = PAST_MEETINGS - 1 - n  # meetings ago; negative for the ones to come
        absent = organisations[n % len(organisations)]
        common = {
            "working_group": group,
            "start": _aware(day),
            "end": _aware(day) + MEETING_LENGTH,
            "user": coordinator,
            **({"location": place["location"]} if n % 2 == 0 else {"online_link": place["online_link"]}),
        }
        if not past:
            theme = upcoming[(n - PAST_MEETINGS) % len(upcoming)]
            meeting_create(
                **common,
                agenda=[(spec["agenda"]["opening"], ""), (theme["title"], ""), (spec["agenda"]["closing"], "")],
            )
            report.created.append(f"meeting {group.title} {day}")
            continue
        theme = themes[(age + offset) % len(themes)]
        actions = []
        for position, action in enumerate(theme["actions"]):
            actions.append(
                {
                    "description": action["description"],
                    "due_date": day + datetime.timedelta(days=action["due_days"]),
                    **_owner(action, members, n + position, recent=age <= 1),
                }
            )
        linked = []
        if n == 0:
            linked.append(documents.get("Terms of reference"))
        if age == 1:
            linked.append(documents.get("Quarterly trends briefing"))
        meeting = meeting_create(
            **common,
            apologies=absent.name,
            attending_organisations=[o for o in organisations if o != absent],
            agenda=[
                (spec["agenda"]["opening"], spec["agenda"]["opening_notes"]),
                ("Agency updates", theme["agency_updates"]),
                (theme["title"], theme["notes"]),
                (spec["agenda"]["closing"], spec["agenda"]["closing_notes"]),
            ],
            actions=actions,
            documents=[d for d in linked if d is not None],
        )
        _progress_actions(meeting, theme, age, members, today)
        report.created.append(f"meeting {group.title} {day}")


def _progress_actions(meeting, theme, age, members, today):
    """Move the meeting's actions on as their owners would have, each change dated."""
    coordinator = _coordinators(members)[0].user
    for position, action in enumerate(meeting.actions.order_by("sort_order", "pk")):
        status = _status(age, position)
        if status == ActionItem.Status.OPEN:
            continue
        note = theme["actions"][position]["done_note"] if status == ActionItem.Status.DONE else STATUS_NOTES[status]
        by = action.owner_user
        if by is None:
            by = next((m.user for m in members if m.organisation_id == action.owner_organisation_id), coordinator)
        change = action_status_change(action=action, status=status, note=note, user=by)
        meeting_day = timezone.localtime(meeting.start).date()
        when = min(action.due_date - datetime.timedelta(days=2), today - datetime.timedelta(days=1))
        when = max(when, meeting_day + datetime.timedelta(days=1))
        ActionItemChange.objects.filter(pk=change.pk).update(changed_at=_aware(when, datetime.time(15, 30)))


# Updates


def _load_updates(group, spec, members, index, today, report):
    if Update.objects.filter(working_group=group).exists():
        return
    items = spec["updates"]
    step = 360 // UPDATES_PER_GROUP
    for n in range(UPDATES_PER_GROUP):
        item = items[(n + 3 * index) % len(items)]
        author = members[(n * 3 + index) % len(members)].user
        days_ago = 355 - n * step - 2 * index
        update_post(
            working_group=group,
            author=author,
            title=item["title"],
            body=item["body"].strip(),
            tags=item["tags"],
            created_at=_aware(today - datetime.timedelta(days=max(days_ago, 1)), datetime.time(9 + n % 7, 15)),
            notify=False,
        )
        report.created.append(f"update {group.title}: {item['title']}")


# Trend returns


def _load_returns(group, spec, members, report, *, with_late_return=False):
    """A return per organisation and quarter for the last RETURN_QUARTERS quarters; the
    last organisation has not yet sent the latest one, so the tracking page shows a gap,
    and in the first group the largest organisation's return for the summaries' quarter
    arrives late (see _load_summaries)."""
    if TrendReturn.objects.filter(working_group=group).exists():
        return
    organisations = _submitters(members)
    quarters = recent_quarters(RETURN_QUARTERS)
    late = _late_return(organisations) if with_late_return else None
    for age, quarter in enumerate(quarters):
        for position, organisation in enumerate(organisations):
            if age == 0 and position == len(organisations) - 1:
                continue
            if (organisation, quarter) == late:
                continue
            _submit_sample(group, spec, organisation, organisations[organisation], quarter, age, report)


def _submitters(members):
    """{organisation: the member who sends its returns}, in the order of `members`."""
    submitters = {}
    for membership in members:
        submitters.setdefault(membership.organisation, membership.user)
    return submitters


def _late_return(organisations):
    """(organisation, quarter) of the demo's late return: the organisation with the largest
    typical return, for the summaries' quarter. Large, so that the revision it causes is a
    change the audit can show."""
    largest = max(organisations, key=lambda organisation: RETURN_SIZE.get(organisation.sector, 2))
    return largest, _summary_quarter()


def _summary_quarter():
    """The last quarter every organisation has reported (the latest is still being collected)."""
    return recent_quarters(2)[-1]


def _submit_sample(group, spec, organisation, submitted_by, quarter, age, report):
    notes = spec["returns"]["notes"]
    # Seeded by how many quarters ago, not by the quarter itself, so the demo's figures
    # (and the claims of its narratives) are the same whenever it is loaded.
    seed = zlib.crc32(f"{RETURN_SEED}:{group.region}:{organisation.name}:{age}".encode())
    growth = 1 + 0.06 * (RETURN_QUARTERS - age)  # a slow rise over the quarters
    size = RETURN_SIZE.get(organisation.sector, 2) * growth
    total = max(0, round(size) + seed % 5 - 2)
    trend_return_create_sample(
        group=group,
        organisation=organisation,
        quarter=quarter,
        total=total,
        seed=seed,
        submitted_by=submitted_by,
        note=notes[seed % len(notes)],
    )
    report.created.append(f"trend return {group.title} {organisation.name} {quarter.code}")


# The demo's late return: a records review that found 20 more children. Each of its counts
# is 0 or at least the threshold, so the revision it causes changes no figure by a small
# amount, and the revised release can show what it changed (a real one may hide more).
LATE_RETURN_COUNTS = {
    "age_13_15": 10,
    "age_16_17": 10,
    "gender_boys": 10,
    "gender_girls": 10,
    "contact_social_media": 10,
    "contact_gaming": 10,
    "demand_money": 20,
    "paid_yes": 10,
    "paid_no": 10,
    "ransom_50_499": 10,
    "ransom_unknown": 10,
    "followed_police": 20,
    "followed_report_remove": 10,
}


def _load_summaries(groups, spec, report):
    """The release of the last quarter every organisation has reported (the latest is
    still being collected): each group's summary and the summary across all regions,
    published together, with public copies of the regional ones, so the charts, the `[c]`
    cells and the CSV can be seen. Then the first group's late return arrives and the
    release is published again: a revision, whose changed figures are marked [r]. Both go
    live through the approval workflow (both keys), as `manage.py trends_release` does, so
    their figures are fixed in snapshots of the ledger."""
    quarter = _summary_quarter()
    narratives = spec["summaries"]["narratives"]
    first = next(iter(groups.values()))
    area = first.get_parent()
    if AllRegionsTrendSummaryPage.objects.child_of(area).filter(year=quarter.year, quarter=quarter.number).exists():
        return
    for index, group in enumerate(groups.values()):
        page = TrendSummaryPage(
            year=quarter.year, quarter=quarter.number, narrative=narratives[index % len(narratives)], live=False
        )
        group.add_child(instance=page)
    page = AllRegionsTrendSummaryPage(year=quarter.year, quarter=quarter.number, narrative=narratives[-1], live=False)
    area.add_child(instance=page)
    _publish_release(quarter, report)
    organisations = _submitters(_active_memberships(first))
    if organisations:
        organisation, _ = _late_return(organisations)
        if not TrendReturn.objects.filter(working_group=first, organisation=organisation).for_quarter(quarter).exists():
            trend_return_submit(
                group=first,
                organisation=organisation,
                submitted_by=organisations[organisation],
                quarter=quarter,
                total=LATE_RETURN_COUNTS["gender_boys"] + LATE_RETURN_COUNTS["gender_girls"],
                counts=LATE_RETURN_COUNTS,
                note="Late: includes cases found in a records review.",
            )
            report.created.append(f"trend return {first.title} {organisation.name} {quarter.code}, late")
            _publish_release(quarter, report, note="revised after a late return")


def _publish_release(quarter, report, note=""):
    """Both keys: an administrator prepares the release and the demo's data steward, of
    another organisation, approves it, which publishes it."""
    user_model = get_user_model()
    preparer = user_model.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    steward = user_model.objects.filter(groups__name=DATA_STEWARDS_GROUP_NAME, is_active=True).order_by("pk").first()
    trend_release_publish(quarter=quarter, prepared_by=preparer, approved_by=steward, public=True)
    report.created.append(f"trend release {quarter.code}" + (f", {note}" if note else ""))
