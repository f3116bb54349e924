from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the page_published receiver)
