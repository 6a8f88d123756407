from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Data needs")

    def ready(self) -> None:
        from workcalendar.signals import deadlines_recount, year_made_official

        from .services import on_deadlines_recount, on_year_made_official

        year_made_official.connect(on_year_made_official, dispatch_uid="needs-deadlines")
        deadlines_recount.connect(on_deadlines_recount, dispatch_uid="needs-deadlines-sweep")
