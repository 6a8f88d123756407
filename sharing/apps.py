from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from catalog.panels import register_resource_panel
        from catalog.signals import (
            import_job_abandoned,
            resource_changed,
            resource_retired,
            resource_returned,
            system_decided,
        )
        from workcalendar.signals import year_made_official

        from .services.deadlines import on_year_made_official
        from .services.notifications import (
            on_catalog_import_abandoned,
            on_resource_changed,
            on_resource_retired,
            on_resource_returned,
            on_system_decided,
        )

        year_made_official.connect(on_year_made_official, dispatch_uid="sharing-deadlines")
        resource_returned.connect(on_resource_returned, dispatch_uid="sharing-resource-returned")
        resource_retired.connect(on_resource_retired, dispatch_uid="sharing-resource-retired")
        resource_changed.connect(on_resource_changed, dispatch_uid="sharing-resource-changed")
        import_job_abandoned.connect(
            on_catalog_import_abandoned, dispatch_uid="sharing-catalog-import-abandoned"
        )
        system_decided.connect(on_system_decided, dispatch_uid="sharing-system-decided")

        from .views.follows import follow_panel

        register_resource_panel(follow_panel)
