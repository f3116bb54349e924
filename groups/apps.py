from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        # Connect the receivers: notifications to the group events, page_published to those events.
        from . import notification_receivers, receivers  # noqa: F401
