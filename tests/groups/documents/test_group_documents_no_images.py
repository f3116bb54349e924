"""Security matrix row C08: Wagtail images are always public (their renditions are served
without any check), so the members' area has no place for one. Walks every model of
the members' area, pages and inline rows alike, so a new one is checked without
editing this file."""

import pytest

from django.apps import apps
from django.conf import settings

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import get_page_models
from wagtail.permissions import policy_registry

from groups.models import GroupPrivateMixin
from tests.factories import make_member

MEDIA_FEATURES = {"image", "embed"}


def default_features():
    return set(settings.WAGTAILADMIN_RICH_TEXT_EDITORS["default"]["OPTIONS"]["features"])


def members_area_models():
    """Every page model under a working group, and every model of the groups app
    (updates, meeting rows, actions...)."""
    models = {model for model in get_page_models() if issubclass(model, GroupPrivateMixin)}
    models |= set(apps.get_app_config("groups").get_models())
    return sorted(models, key=lambda model: model._meta.label)


def image_problems_in_block(block, where):
    problems = []
    if isinstance(block, ImageChooserBlock | ImageBlock):
        problems.append(f"{where}: image block")
    elif isinstance(block, EmbedBlock):
        problems.append(f"{where}: embed block")
    elif isinstance(block, blocks.RichTextBlock):
        features = set(block.features or default_features())
        if features & MEDIA_FEATURES:
            problems.append(f"{where}: rich text with {sorted(features & MEDIA_FEATURES)}")
    for name, child in getattr(block, "child_blocks", {}).items():
        problems += image_problems_in_block(child, f"{where}.{name}")
    if isinstance(block, blocks.ListBlock):
        problems += image_problems_in_block(block.child_block, f"{where}[]")
    return problems


def image_problems(model):
    problems = []
    for field in model._meta.get_fields():
        where = f"{model._meta.label}.{field.name}"
        related = getattr(field, "related_model", None)
        if related is not None and issubclass(related, AbstractImage | AbstractRendition):
            problems.append(f"{where}: link to an image")
        if isinstance(field, RichTextField):
            features = set(field.features or default_features())
            if features & MEDIA_FEATURES:
                problems.append(f"{where}: rich text with {sorted(features & MEDIA_FEATURES)}")
        if isinstance(field, StreamField):
            problems += image_problems_in_block(field.stream_block, where)
    return problems


def test_the_walk_finds_the_members_area_pages():
    labels = {model._meta.label for model in members_area_models()}
    assert {"groups.WorkingGroupPage", "groups.Membership"} <= labels


def test_no_model_of_the_members_area_can_hold_an_image():
    problems = [problem for model in members_area_models() for problem in image_problems(model)]
    assert problems == []


def test_the_default_rich_text_has_no_images_or_embeds():
    assert not default_features() & MEDIA_FEATURES


def test_the_walk_would_notice_an_image(settings):
    """The checks above can fail: they find images in blocks, rich text and links."""
    from home.blocks import RICH_TEXT_FEATURES

    stream = blocks.StreamBlock(
        [("picture", ImageChooserBlock()), ("text", blocks.RichTextBlock(features=[*RICH_TEXT_FEATURES, "image"]))]
    )
    assert len(image_problems_in_block(stream, "example")) == 2
    settings.WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"OPTIONS": {"features": ["bold", "embed"]}}}
    assert image_problems_in_block(blocks.RichTextBlock(), "example") == ["example: rich text with ['embed']"]
    from wagtail.images.models import Rendition

    assert "wagtailimages.Rendition.image: link to an image" in image_problems(Rendition)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_members_and_coordinators_have_no_image_permissions(client, cumbria, role):
    from wagtail.images import get_image_model

    user = make_member(cumbria, role=role)
    policy = policy_registry.get_by_type(get_image_model())
    assert not policy.user_has_any_permission(user, ["add", "change", "delete", "choose"])
    client.force_login(user)
    assert client.get("/admin/images/add/").status_code in (302, 403)
