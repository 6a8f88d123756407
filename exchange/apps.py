from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Live exchange: departments' own interfaces, called through the portal's broker."""

    name = "exchange"
    verbose_name = _("Live exchange")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from catalog.panels import register_interface_lister, register_resource_panel

        from .egress import allowlist_forget
        from .models import EgressNetwork
        from .services.availability import on_interface_down, on_interface_up
        from .signals import interface_down, interface_up
        from .views import resource_interfaces, resource_panel

        register_interface_lister(resource_interfaces)
        register_resource_panel(resource_panel)
        # The provider's editors hear of an interface failing (and the trail keeps both ends).
        interface_down.connect(on_interface_down, dispatch_uid="exchange.interface_down")
        interface_up.connect(on_interface_up, dispatch_uid="exchange.interface_up")
        # A change of the allowlist reaches this process's copy at once (exchange.egress).
        for signal in (post_save, post_delete):
            signal.connect(allowlist_forget, sender=EgressNetwork, dispatch_uid="exchange.egress")
