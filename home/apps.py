from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        # Imported here, not at the top: the receivers import models, which Django loads
        # only once the app registry is ready.
        from .signals import connect_page_cache_receivers  # noqa: PLC0415

        connect_page_cache_receivers()
