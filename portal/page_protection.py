"""Pages whose address, name and life only administrators change.

Some pages hold a whole section up (the members' area, each working group's page): if
one is renamed, moved, unpublished or set to expire, everything under it goes offline.
People who may edit and publish such a page (a group's coordinators) may still change
its content, but the fields in its `administrator_only_fields` are fixed for them in
every form that saves it: the edit form, scheduled publishing, a workflow's submission
and a revert to an old revision all go through this one form, whose saved values for
those fields are the page's current ones, whatever was posted. The views that delete,
move, copy or unpublish are closed by the page's permission tester
(groups.models.PrivatePagePermissionTester), which also covers bulk actions and the
admin API's actions.
"""

from wagtail.admin.forms import WagtailAdminPageForm

ADMINISTRATORS_ONLY = "Only administrators can change this."


class AdministratorOnlyFieldsPageForm(WagtailAdminPageForm):
    """The page form for a page with `administrator_only_fields`: disabled for anyone but
    an administrator, and taken from the page as it is saved now, never from the post or
    from an old revision being reverted to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._fixed_fields():
            field = self.fields[name]
            field.disabled = True
            field.required = False
            field.help_text = ADMINISTRATORS_ONLY

    def _fixed_fields(self):
        user = self.for_user
        if self.instance.pk is None or (user is not None and user.is_active and user.is_superuser):
            return []
        names = getattr(type(self.instance), "administrator_only_fields", ())
        return [name for name in names if name in self.fields]

    def clean(self):
        cleaned_data = super().clean()
        fixed = self._fixed_fields()
        if fixed:
            # The row holds the live title and slug and the current schedule; a revision
            # (being reverted to) or a forged post does not count.
            current = type(self.instance).objects.filter(pk=self.instance.pk).values(*fixed).get()
            for name in fixed:
                cleaned_data[name] = current[name]
                self.errors.pop(name, None)
        return cleaned_data
