from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from catalog.signals import resource_returned
        from workcalendar.signals import year_made_official

        from .services.deadlines import on_year_made_official
        from .services.notifications import on_resource_returned

        year_made_official.connect(on_year_made_official, dispatch_uid="sharing-deadlines")
        resource_returned.connect(on_resource_returned, dispatch_uid="sharing-resource-returned")
