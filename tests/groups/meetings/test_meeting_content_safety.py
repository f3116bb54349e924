"""Rows I01 and C08 for meetings: whatever is written into notes and actions comes out
escaped or reduced to the editor's safe markup, and meetings carry no images."""

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from groups.meetings.services import notes_clean
from groups.models import MeetingAgendaItem, MeetingPage
from groups.models.meetings import NOTES_FEATURES
from tests.factories import make_meeting, make_member
from tests.html import soup
from tests.hypothesis_profiles import scaled

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<svg onload="alert(1)"><p>x</p></svg>',
    '<p onclick="alert(1)" style="color:red">styled</p>',
    '"><iframe src="https://evil.example/"></iframe>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<embed embedtype="media" url="https://www.youtube.com/watch?v=x"/>',
    '<embed embedtype="image" id="1" format="fullwidth" alt="x"/>',
    "</p></li></ol><script>alert(2)</script>",
    "<<script>script>alert(3)<</script>/script>",
]
UNSAFE = re.compile(r"<script|<iframe|<img|<svg|<embed|<math|\son\w+\s*=|javascript:|data:|style=", re.IGNORECASE)


def unsafe_markup(html):
    """Unsafe markup in `html`, ignoring text (escaped text is harmless)."""
    tags = re.findall(r"<[^>]*>", html)
    return [tag for tag in tags if UNSAFE.search(tag)]


@pytest.mark.parametrize("payload", XSS)
def test_notes_are_reduced_to_the_editors_markup(payload):
    cleaned = notes_clean(f"<p>Before</p>{payload}<p>After</p>")
    assert unsafe_markup(cleaned) == []
    assert "Before" in cleaned and "After" in cleaned


@settings(max_examples=scaled(0.6))
@given(
    st.lists(
        st.one_of(st.sampled_from(XSS), st.text(alphabet=st.characters(codec="utf-8"), max_size=40)), max_size=6
    ).map("".join)
)
def test_any_notes_come_out_without_unsafe_markup(text):
    assert unsafe_markup(notes_clean(text)) == []


@pytest.mark.parametrize("payload", XSS)
def test_notes_and_actions_are_safe_on_the_meeting_page(client, cumbria, payload):
    member = make_member(cumbria)
    meeting = make_meeting(
        cumbria,
        title=f"Meeting {payload}"[:255],
        location=payload,
        apologies=payload,
        agenda=[(payload[:255], f"<p>notes</p>{payload}")],
        actions=[{"description": payload, "due_date": datetime.date(2026, 4, 1)}],
    )
    client.force_login(member)
    for url in [meeting.url, reverse("groups:meeting_index", kwargs={"group_slug": "cumbria"})]:
        main = str(soup(client.get(url)).find("main"))
        assert unsafe_markup(main) == [], url
    action = meeting.actions.get()
    main = str(
        soup(client.get(reverse("groups:action_detail", kwargs={"group_slug": "cumbria", "pk": action.pk}))).find(
            "main"
        )
    )
    assert unsafe_markup(main) == []


def test_stored_notes_that_bypassed_the_editor_are_still_checked_on_the_way_in(cumbria):
    """The service is the only other way in, and it cleans too (an admin form is the first)."""
    meeting = make_meeting(cumbria, agenda=[("Item", "<p>ok</p><script>alert(1)</script>")])
    assert "<script" not in MeetingAgendaItem.objects.get(meeting=meeting).notes


def test_meeting_notes_allow_no_images_or_embeds():
    assert not {"image", "embed", "document-link"} & set(NOTES_FEATURES)
    field = MeetingAgendaItem._meta.get_field("notes")
    assert field.features == NOTES_FEATURES


def test_meeting_pages_have_no_image_fields_or_image_blocks():
    from wagtail.images.models import AbstractImage

    for model in (MeetingPage, MeetingAgendaItem):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert not (related and issubclass(related, AbstractImage)), (model, field)


def test_a_document_the_coordinator_may_not_choose_is_refused(client, cumbria, yorkshire):
    coordinator = make_member(cumbria, role="coordinator")
    private = Collection.get_first_root_node().add_child(name="Yorkshire's documents")
    document = Document.objects.create(title="Yorkshire plan", collection=private, file=ContentFile(b"x", "plan.pdf"))
    client.force_login(coordinator)
    data = nested_form_data(
        {
            "title": "",
            "slug": "",
            "start": "2026-03-03 10:00",
            "end": "",
            "location": "",
            "online_link": "",
            "apologies": "",
            "agenda_items": inline_formset([]),
            "documents": inline_formset([{"document": document.pk}]),
            "actions": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["groups", "meetingpage", cumbria.pk]), data)
    assert response.status_code == 200
    assert "Choose a document from this group" in response.content.decode()
    assert not MeetingPage.objects.exists()
