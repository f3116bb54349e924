"""What every member of a group sees alike, kept in the shared cache until something changes.

The dashboard and a group's overview show, for each group, its next meeting, open actions,
latest updates, new documents, latest trend summary and member count: the same for every
member, read by every member on every visit, and changed far less often than read. They
are kept in the shared cache per group and per day (actions turn overdue, documents stop
being new, by the day) and are thrown away when anything in the members' area changes:

- every entry is kept with the members' area generation (`GENERATION_KEY`) it was built
  under and read in one cache read with the generation of the moment, which is moved on
  by the receivers below (any page, action, update, update topic, membership,
  organisation, person, document or collection saved or deleted, an update's topics
  changed, any page published or unpublished) and by the services that write with
  `QuerySet.update()`, which sends no signal (`changed()`);
- an entry also holds the moment it stops being right by the clock (the next meeting
  ends), after which it is read again.

Writes are rare beside reads, so one generation for the whole area keeps this simple:
any change costs every group one fresh read, nothing more. A group's updates feed, as
rendered, is kept under the same generation (groups.updates.views).
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, get_page_models
from wagtail.signals import page_published, page_unpublished

GENERATION_KEY = "groups:generation"
ENTRY_SECONDS = 3600  # changes replace entries at once; this bounds what the clock could leave


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = timezone.now().timestamp()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def generation():
    """The members' area's generation now: a new one after any change (see above), for
    keeping other things rendered from what it covers (a group's updates feed)."""
    return _generation()


def _move_on():
    cache.set(GENERATION_KEY, timezone.now().timestamp(), None)


def changed(**kwargs):
    """Something in the members' area changed: every cached group entry is stale.

    Moved on at once (for what this transaction reads next) and again after the commit,
    so that a request reading the old rows meanwhile cannot keep them under the new one.
    """
    _move_on()
    transaction.on_commit(_move_on)


def kept(name, build):
    """`build()`, kept in the shared cache until the generation moves on: read with the
    generation in one cache read, and built again when it was kept under an older one."""
    key = f"groups:kept:{name}"
    found = cache.get_many([GENERATION_KEY, key])
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = _generation()
    # Kept under the generation read before building: a change meanwhile moves it on, so
    # what was built from older rows is never read again.
    value = build()
    cache.set(key, (generation, value), ENTRY_SECONDS)
    return value


def shared_group_data(working_groups, build, *, now=None):
    """{group pk: data} for `working_groups`, from the cache where fresh, else from
    `build(working_group, now)`, which returns (data, fresh_until or None).

    Each entry is kept with the generation it was built under, and read with the
    generation in one cache read, as `kept` does."""
    now = now or timezone.now()
    prefix = f"groups:shared:3:{timezone.localdate(now).isoformat()}:"
    keys = {working_group.pk: f"{prefix}{working_group.pk}" for working_group in working_groups}
    if not keys:
        return {}
    found = cache.get_many([GENERATION_KEY, *keys.values()])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _generation()
    result, fresh = {}, {}
    for working_group in working_groups:
        entry = found.get(keys[working_group.pk])
        if entry is None or entry[0] != generation or (entry[2] is not None and entry[2] < now):
            data, fresh_until = build(working_group, now)
            entry = fresh[keys[working_group.pk]] = (generation, data, fresh_until)
        result[working_group.pk] = entry[1]
    if fresh:
        cache.set_many(fresh, ENTRY_SECONDS)
    return result


def connect_receivers():
    """Move the generation on whenever what the entries hold may have changed."""
    # Imported here: the models are loaded only once the app registry is ready.
    from .models import ActionItem, Membership, Organisation, Update, UpdateTag  # noqa: PLC0415

    page_published.connect(changed, dispatch_uid="groups_fragments_published")
    page_unpublished.connect(changed, dispatch_uid="groups_fragments_unpublished")
    # An update's topics change without a save of the update.
    m2m_changed.connect(changed, sender=Update.tags.through, dispatch_uid="groups_fragments_update_tags")
    models = {Page, *get_page_models(), ActionItem, Update, UpdateTag, Membership, Organisation}
    # A collection deleted unlinks its group's page without a save of the page.
    models |= {get_user_model(), get_document_model(), Collection}
    for model in models:
        uid = f"groups_fragments_{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}_delete")
