from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API and webhooks"

    def ready(self):
        from api import webhooks
        from core import events

        events.subscribe(webhooks.on_event, many=webhooks.on_events)
