"""The documentation app's configuration."""

from django.apps import AppConfig


class DocumentationConfig(AppConfig):
    name = "documentation"
    verbose_name = "Model documentation"

    def ready(self):
        from core import checklist_hints
        from documentation.hints import checklist_hint

        checklist_hints.register(checklist_hint)
