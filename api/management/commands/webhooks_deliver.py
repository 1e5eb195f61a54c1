"""Run from cron every few minutes: publish "expiring" events and retry due webhook deliveries."""

from django.core.management.base import BaseCommand

from api import webhooks


class Command(BaseCommand):
    help = "Publish evidence and decision expiry events, then send the webhook deliveries due."

    def handle(self, *args, **options):
        published = webhooks.expiring_publish()
        due = list(webhooks.deliveries_due())
        webhooks.deliveries_send(due)
        self.stdout.write(f"{published} expiry event(s) checked, {len(due)} delivery(ies) tried.")
