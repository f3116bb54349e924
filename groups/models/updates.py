"""Members' updates: short posts to a working group, tagged by topic.

An update keeps the organisation its author belonged to in the group when posting, so
the record stays true after they move agency or leave. Leavers keep their account, so
their past updates keep their name.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .working_groups import Organisation, WorkingGroupPage

UPDATE_TITLE_MAX_LENGTH = 150
UPDATE_BODY_MAX_LENGTH = 5000


class UpdateTag(models.Model):
    """A topic an update can be filed under (platforms, tactics, resources, events, other).

    A fixed list of rows made by the data migration, joined through a many-to-many
    table, so filtering by topic is one indexed join on every database (a JSON list
    would need `contains`, which SQLite lacks).
    """

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class UpdateQuerySet(models.QuerySet):
    def visible(self):
        """Updates nobody has hidden: what members see."""
        return self.filter(hidden_at__isnull=True)


class Update(models.Model):
    """A member's short post to one working group's feed."""

    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="updates")
    # PROTECT: people who leave are deactivated, never deleted, and their posts stay theirs.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="updates")
    title = models.CharField(max_length=UPDATE_TITLE_MAX_LENGTH)
    body = models.TextField(validators=[MaxLengthValidator(UPDATE_BODY_MAX_LENGTH)])
    tags = models.ManyToManyField(UpdateTag, related_name="updates")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["working_group", "-created_at"], name="update_group_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("groups:update_detail", kwargs={"group_slug": self.working_group.slug, "pk": self.pk})

    @property
    def is_hidden(self):
        return self.hidden_at is not None
