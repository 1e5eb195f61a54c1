"""The overview app's configuration."""

from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = "Overview"

    def ready(self):
        from core import summaries
        from overview.figures import supplier_figures_refresh

        summaries.follow(supplier_figures_refresh)
