from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from datasets.signals import version_activated

        from .services import on_version_activated

        version_activated.connect(on_version_activated, dispatch_uid="accountability-compare")
