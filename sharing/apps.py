from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from workcalendar.signals import year_made_official

        from .services.deadlines import on_year_made_official

        year_made_official.connect(on_year_made_official, dispatch_uid="sharing-deadlines")
