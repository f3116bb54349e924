from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # Receivers connect when their module is imported, which must wait for the app registry.
        from . import audit  # noqa: F401, PLC0415  (connects the security event receivers)
        from . import context_processors  # noqa: F401, PLC0415  (keeps the header's data at sign-in)
