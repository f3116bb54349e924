"""The second key on a trend summary: a data steward's approval in Wagtail's workflow.

A coordinator or administrator prepares a trend summary and submits it to the "Trend
summary approval" workflow (created by migration groups 0012); its one task,
`TrendSummaryApprovalTask`, is approved only by a data steward (the site-wide "Data
stewards" group, `portal.roles`) from another organisation than the person who submitted
it. The summary pages refuse to publish any revision such a task did not approve
(`groups.models.summaries`), whatever the route.

A person's organisations are those of their active memberships and those whose email
domains take their address (`Organisation.email_domains`). Stewards need not be members
of a working group: reviewing a release gives them no business in a group's meetings
and notes, and their work address already says which agency they are with.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from wagtail import hooks
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, WorkflowState

from ..enums import MembershipStatus
from .ledger import TrendPublication
from .working_groups import Membership, Organisation

WORKFLOW_NAME = "Trend summary approval"


def organisations_of(user):
    """The organisations `user` works for: their active memberships' and those whose email
    domains take their address. Empty for someone linked to no organisation."""
    if user is None or not user.is_authenticated:
        return set()
    organisations = set(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values_list("organisation_id", flat=True)
    )
    domain = (user.email or "").rpartition("@")[2].strip().lower()
    if domain:
        candidates = Organisation.objects.filter(email_domains__icontains=domain)
        organisations |= {organisation.pk for organisation in candidates if organisation.accepts_email(user.email)}
    return organisations


def _names(organisation_ids):
    names = Organisation.objects.filter(pk__in=organisation_ids).order_by("name").values_list("name", flat=True)
    return " and ".join(names)


class TrendSummaryApprovalTask(AbstractGroupApprovalTask):
    """A data steward's approval of a trend summary: the release's second key.

    Unlike Wagtail's group approval task, administrators do not pass it by being
    superusers, the person who submitted the summary cannot approve it, and neither can
    a steward from the submitter's organisation. Nobody edits the summary while it waits:
    the steward approves exactly what was submitted, or asks for changes.
    """

    class Meta:
        verbose_name = "Data steward approval"
        verbose_name_plural = "Data steward approvals"

    @classmethod
    def get_description(cls):
        return "A data steward from another organisation than the submitter's approves it"

    def _submitter(self, obj):
        state = WorkflowState.objects.for_instance(obj).filter(status=WorkflowState.STATUS_IN_PROGRESS).first()
        return state.requested_by if state else None

    def approval_refusal(self, obj, user):
        """Why `user` may not approve `obj` now, in words, or None when they may."""
        if not (user.is_active and self._user_in_groups(user)):
            return "Only a data steward can approve a trend summary."
        submitter = self._submitter(obj)
        if submitter is not None and submitter.pk == user.pk:
            return "You submitted this trend summary, so another data steward must approve it."
        mine = organisations_of(user)
        if not mine:
            return (
                "Your account is linked to no organisation (by membership or email address), so it cannot be "
                "shown that you are from another organisation than the person who prepared it. "
                "Ask an administrator."
            )
        shared = mine & organisations_of(submitter)
        if shared:
            return (
                f"You and {submitter.get_full_name() or submitter.email} (who submitted it) are both from "
                f"{_names(shared)}: a data steward from another organisation must approve it."
            )
        return None

    def release_refusal(self, obj):
        """Why `obj` may not be approved on its own now, or None: other summaries of its
        quarter are waiting too, and a quarter's waiting tables are approved together, as
        one release protected as one whole (the admin's "Trend releases"), so the order of
        approval opens no gap. A revision already recorded with its release (approved
        through it, in the same transaction) passes."""
        obj = obj.specific
        task_state = obj.current_workflow_task_state
        revision_id = task_state.revision_id if task_state is not None else None
        if revision_id is not None and TrendPublication.objects.filter(revision_id=revision_id).exists():
            return None
        waiting = (
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            .exclude(workflow_state__object_id=str(obj.pk))
            .values_list("workflow_state__object_id", flat=True)
        )
        others = [
            page.title
            for page in Page.objects.filter(pk__in=[int(pk) for pk in waiting]).order_by("title").specific()
            if (getattr(page, "year", None), getattr(page, "quarter", None)) == (obj.year, obj.quarter)
        ]
        if not others:
            return None
        return (
            f"Other trend summaries of {obj.period.label} are waiting for approval too ({', '.join(others)}): "
            "approve the quarter's release as a whole, so that its tables are protected together."
        )

    def user_can_access_editor(self, obj, user):
        return self._user_in_groups(user)

    def locked_for_user(self, obj, user):
        # The steward approves exactly the revision that was submitted.
        return True

    def user_can_lock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self._user_in_groups(user):
            return []
        actions = [("reject", "Request changes", True)]
        if self.approval_refusal(obj, user) is None and self.release_refusal(obj) is None:
            actions += [("approve", "Approve and publish", False), ("approve", "Approve with comment", True)]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object.specific
            refusal = self.approval_refusal(page, user) or self.release_refusal(page)
            if refusal:
                raise PermissionDenied(refusal)
            # The disclosure audit runs again as the summary would go live (the returns may
            # have changed since it was submitted); the trends feature registers it as a
            # hook, since models import no services. A refused release is sent back.
            for audit in hooks.get_hooks("trend_summary_audit_refusal"):
                explanation = audit(page)
                if explanation:
                    task_state.reject(user=user, comment=f"Not published. {explanation}")
                    return None
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self._user_in_groups(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()


def approved_by_a_steward(revision):
    """Whether a data steward approved `revision` through the trend summary approval task."""
    if revision is None or revision.pk is None:
        return False
    return TaskState.objects.filter(
        Q(revision=revision) & Q(status=TaskState.STATUS_APPROVED),
        task__in=TrendSummaryApprovalTask.objects.all(),
    ).exists()
