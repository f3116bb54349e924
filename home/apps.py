from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        # Receivers connect when their module is imported, which must wait for the app registry.
        from . import signals  # noqa: F401, PLC0415  (connects cache invalidation)
