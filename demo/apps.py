from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The A市 demo: its content, its loader and its commands; no product app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo"
