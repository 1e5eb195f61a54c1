"""Grant the roles their permissions on the MDF catalogue and the recorded documentation."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

# Curating the catalogue happens in the Django admin, like the checklist.
CATALOGUE = [
    f"documentation.{action}_{model}"
    for model in ("mdfcatalogue", "mdffield")
    for action in ("view", "add", "change", "delete")
]
READ = [
    "documentation.view_mdfdocument",
    "documentation.view_trainingsummary",
    "documentation.view_computeestimate",
]
RECORD = [
    "documentation.add_mdfdocument",
    "documentation.change_mdfdocument",
    "documentation.confirm_mdfdocument",
    "documentation.add_trainingsummary",
    "documentation.change_trainingsummary",
    "documentation.confirm_trainingsummary",
    "documentation.add_computeestimate",
    "documentation.decide_computeestimate",
]

ROLE_PERMISSIONS = {
    # Procurement records what the supplier documents; the other roles read it.
    PROCUREMENT: READ + RECORD,
    LEGAL: READ,
    CHECKLIST_ADMIN: CATALOGUE + READ,
    VIEWER: READ,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("documentation", "0002_default_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
