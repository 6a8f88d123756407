from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Live exchange: departments' own interfaces, called through the portal's broker."""

    name = "exchange"
    verbose_name = _("Live exchange")
