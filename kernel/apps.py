from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """Shared building blocks; an app so that its messages are translated like every other's."""

    name = "kernel"
    verbose_name = _("Shared kernel")
