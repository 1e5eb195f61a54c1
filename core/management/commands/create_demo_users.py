"""`manage.py create_demo_users`: one demo account per role, for development."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER

# Two Procurement accounts, so that one can submit an assessment and the other decide on it.
DEMO_USERS = {
    "procurement": PROCUREMENT,
    "reviewer": PROCUREMENT,
    "legal": LEGAL,
    "checklist-admin": CHECKLIST_ADMIN,
    "viewer": VIEWER,
}


class Command(BaseCommand):
    help = "Create one demo account per role (development only) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address the app is served at, printed for signing in "
            "(make run passes the HOST and PORT it runs on).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only; run with DEBUG=1.")
        credentials = Path(settings.BASE_DIR) / "var" / "demo-password.txt"
        new_password = not credentials.exists()
        if not new_password:
            password = credentials.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)

        user_model = get_user_model()
        for username, role in DEMO_USERS.items():
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Reviewer" if username == "reviewer" else role,
                    "last_name": "(demo)",
                    "email": f"{username}@example.org",
                },
            )
            if created or new_password:
                # A lost password file gets the demo accounts a new password, printed below.
                user.set_password(password)
            if created:
                # Checklist admins and Legal curate the checklist and clauses in the Django admin.
                user.is_staff = role in (CHECKLIST_ADMIN, LEGAL)
                user.groups.add(Group.objects.get(name=role))
            user.save()

        self.stdout.write(
            self.style.SUCCESS(f"Sign in at {options['url']} with one of these demo accounts:")
        )
        for username, role in DEMO_USERS.items():
            self.stdout.write(f"  {username:<16} ({role})")
        self.stdout.write(
            f"  password: {password}   (kept in {credentials.relative_to(settings.BASE_DIR)})"
        )
