"""What Wagtail does when a workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

Imported by Wagtail while its models load, so this module imports nothing of the project.
"""


def publish_approved(workflow_state, user=None):
    """Publish the latest revision of what the workflow approved, as Wagtail does, with
    one exception: a page whose type says `steward_approval_required` (a trend summary,
    groups.models.stewardship) is published on its data steward's approval although the
    steward may not publish pages. The approval is the permission there, and such a page
    refuses to publish any revision its approval task did not approve."""
    obj = workflow_state.content_object
    trusted = getattr(getattr(obj, "specific_class", None), "steward_approval_required", False)
    obj.get_latest_revision().publish(user=user, skip_permission_checks=trusted)
