"""Grant the roles their permissions on the signatory register."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

VIEW = ["vendors.view_registersnapshot"]
APPLY = ["vendors.apply_registersnapshot"]

ROLE_PERMISSIONS = {
    # Procurement keeps the register of suppliers, so it applies what the public list says.
    PROCUREMENT: VIEW + APPLY,
    LEGAL: VIEW,
    # Checklist admins import the public list and may apply it too.
    CHECKLIST_ADMIN: VIEW + APPLY + ["vendors.add_registersnapshot"],
    VIEWER: VIEW,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0003_register_snapshots"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
