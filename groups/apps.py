from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        from wagtail.documents import get_document_model

        # The notifications listen to the group events; `receivers` turns Wagtail's page and
        # document saves into those events.
        from . import notification_receivers, receivers  # noqa: F401
        from .trends import receivers as trend_receivers  # noqa: F401

        document = get_document_model()
        pre_save.connect(receivers.document_remember_collection, sender=document, dispatch_uid="groups_document_pre")
        post_save.connect(receivers.document_saved, sender=document, dispatch_uid="groups_document_post")
