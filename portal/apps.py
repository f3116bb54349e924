from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # Receivers connect when their module is imported, which must wait for the app registry.
        # audit connects the security event receivers; auth clears a person kept in the
        # shared cache when they change; context_processors keeps the header's data at
        # sign-in; credentials drops an account's ways in when it is switched off or on.
        from . import audit, auth, context_processors, credentials  # noqa: F401, PLC0415
        from .admin_access import limit_admin_user_filters  # noqa: PLC0415
        from .exports import make_wagtail_exports_formula_safe  # noqa: PLC0415
        from .mail import route_wagtail_mail_through_outbox  # noqa: PLC0415

        limit_admin_user_filters()
        make_wagtail_exports_formula_safe()
        route_wagtail_mail_through_outbox()
