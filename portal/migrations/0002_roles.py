"""Grant the roles their permissions on supplier requests."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

READ = ["portal.view_supplierrequest"]

ROLE_PERMISSIONS = {
    # Procurement asks the supplier and reviews the answers; the other roles read them.
    PROCUREMENT: [*READ, "portal.add_supplierrequest", "portal.change_supplierrequest"],
    LEGAL: READ,
    CHECKLIST_ADMIN: READ,
    VIEWER: READ,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
