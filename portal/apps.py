from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # Receivers connect when their module is imported, which must wait for the app registry.
        # audit connects the security event receivers; context_processors keeps the
        # header's data at sign-in.
        from . import audit, context_processors  # noqa: F401, PLC0415
