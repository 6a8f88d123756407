from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from audit.hooks import event_recorded
        from datasets.signals import version_activated

        from .services import on_event_recorded, on_version_activated

        version_activated.connect(on_version_activated, dispatch_uid="accountability-compare")
        event_recorded.connect(on_event_recorded, dispatch_uid="accountability-figures")
