from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's entry point (``manage.py bench_seed``); no product app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"
    label = "bench"
    verbose_name = "Benchmark"
