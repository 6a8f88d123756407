from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    """Data delivery: the rows behind the catalog's resources, read through grants."""

    name = "datasets"
    verbose_name = _("Data delivery")

    def ready(self) -> None:
        from catalog.activity import register_activity_action
        from catalog.panels import register_resource_panel

        from .activity import data_pushed, data_quality_dropped, data_uploaded
        from .views import resource_panels

        register_resource_panel(resource_panels)
        register_activity_action("data.upload", data_uploaded)
        register_activity_action("data.push", data_pushed)
        register_activity_action("data.quality_drop", data_quality_dropped)
