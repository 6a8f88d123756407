from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """Create the database cache's table after ``migrate`` where the settings use one.

    Without Redis the shared cache is a table (portal/settings.py, CACHES); creating it here
    means ``migrate`` alone prepares a database, as for every other table. Idempotent.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class KernelConfig(AppConfig):
    """Shared building blocks; an app so that its messages are translated like every other's."""

    name = "kernel"
    verbose_name = _("Shared kernel")

    def ready(self) -> None:
        # post_migrate is sent once per app that has models, and this app has none: listen for
        # one that is always installed, so the handler runs once per migrate.
        from django.apps import apps

        post_migrate.connect(
            _create_cache_table,
            sender=apps.get_app_config("contenttypes"),
            dispatch_uid="kernel-cache-table",
        )
