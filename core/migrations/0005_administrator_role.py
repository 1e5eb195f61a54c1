"""The Administrator role: adds users and gives them roles in the admin (core/admin.py)."""

from django.db import migrations

from core.roles import ADMINISTRATOR, sync_role_permissions

ROLE_PERMISSIONS = {ADMINISTRATOR: ["auth.view_user", "auth.add_user", "auth.change_user"]}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_daily_runs"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
