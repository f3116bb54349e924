"""Reads for the guidance and the resource library."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from wagtail.models import Page
from wagtail.permissions import policy_registry

from .forms import LibraryFilterForm
from .models import Audience, GuidancePage, Resource, SupportService, Topic


def library_items(
    model: type[SupportService] | type[Resource], *, audience: Audience | None = None, topic: Topic | None = None
) -> QuerySet[Any]:
    items: QuerySet[Any] = model.objects.prefetch_related("audiences", "topics")
    if model is Resource:
        items = items.select_related("document")
    if audience:
        items = items.filter(audiences=audience)
    if topic:
        items = items.filter(topics=topic)
    return items.distinct()


def library_filter(*, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate the library's filters and return the matching services and resources.

    An unknown filter value shows the form's error and the unfiltered library rather
    than an empty page.
    """
    form = LibraryFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    audience, topic = filters.get("audience"), filters.get("topic")
    return {
        "filter_form": form,
        "is_filtered": bool(audience or topic),
        "services": library_items(SupportService, audience=audience, topic=topic),
        "resources": library_items(Resource, audience=audience, topic=topic),
    }


def guidance_due_for_review(*, today: date | None = None) -> QuerySet[GuidancePage]:
    """Guidance whose next review date has passed, oldest first, drafts included."""
    today = today or timezone.localdate()
    return GuidancePage.objects.filter(next_review_due__lt=today).order_by("next_review_due")


def guidance_due_for_review_by(*, user: AbstractBaseUser, today: date | None = None) -> QuerySet[GuidancePage]:
    """Guidance past its review date that `user` may change or publish, oldest first."""
    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(user, ["change", "publish"])
    return guidance_due_for_review(today=today).filter(pk__in=editable.values("pk"))
