"""`manage.py daily_jobs`: enqueue today's daily jobs not started yet (for a cron line or a
systemd timer, beside workers started with --no-daily-jobs)."""

from django.core.management.base import BaseCommand

from core import schedule


class Command(BaseCommand):
    help = "Enqueue today's reminders and expiry checks, unless a worker or a run did already."

    def handle(self, *args, **options):
        started = schedule.daily_jobs_enqueue()
        self.stdout.write(
            f"Started: {', '.join(started)}." if started else "Nothing to start: all ran today."
        )
