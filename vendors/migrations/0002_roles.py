"""Grant the four roles their permissions on suppliers, models and signatures."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

MODELS = ("supplier", "gpaimodel", "signature")
VIEW = [f"vendors.view_{m}" for m in MODELS]

ROLE_PERMISSIONS = {
    # Procurement keeps the register; records are archived, never deleted, outside the admin.
    PROCUREMENT: VIEW + [f"vendors.{action}_{m}" for m in MODELS for action in ("add", "change")],
    LEGAL: VIEW,
    CHECKLIST_ADMIN: VIEW,
    VIEWER: VIEW,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
