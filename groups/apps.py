from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save

from wagtail.documents import get_document_model
from wagtail.signals import page_published


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        # Imported here, not at the top: the receivers import the models, which Django
        # loads only once the app registry is ready.
        from . import fragments  # noqa: PLC0415
        from .documents import receivers as document_receivers  # noqa: PLC0415
        from .meetings import receivers as meeting_receivers  # noqa: PLC0415
        from .membership import receivers as membership_receivers  # noqa: PLC0415
        from .models import AllRegionsTrendSummaryPage, MeetingPage, Membership, TrendSummaryPage  # noqa: PLC0415
        from .trends import receivers as trend_receivers  # noqa: PLC0415

        page_published.connect(
            meeting_receivers.meeting_page_published, sender=MeetingPage, dispatch_uid="groups_meeting_published"
        )
        for page_type in (TrendSummaryPage, AllRegionsTrendSummaryPage):
            page_published.connect(
                trend_receivers.trend_summary_page_published,
                sender=page_type,
                dispatch_uid=f"groups_trend_summary_published_{page_type.__name__}",
            )
        fragments.connect_receivers()
        document = get_document_model()
        pre_save.connect(
            document_receivers.document_remember_collection, sender=document, dispatch_uid="groups_document_pre"
        )
        post_save.connect(document_receivers.document_saved, sender=document, dispatch_uid="groups_document_post")
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                membership_receivers.membership_changed, sender=Membership, dispatch_uid=f"groups_membership_{name}"
            )
