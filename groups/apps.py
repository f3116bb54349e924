from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        from . import notification_receivers  # noqa: F401  (connects notifications to the group events)
