"""The diligence app's configuration."""

from django.apps import AppConfig


class DiligenceConfig(AppConfig):
    name = "diligence"
    verbose_name = "Due diligence"

    def ready(self):
        from core import fact_changes
        from diligence.services.reevaluation import follow_fact_changes

        fact_changes.follow(follow_fact_changes)
