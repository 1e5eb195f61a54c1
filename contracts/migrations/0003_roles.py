"""Grant the roles their permissions on the clause library, clause packs and documents."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

# Curating the library happens in the Django admin, which also needs "staff status".
LIBRARY = [
    f"contracts.{action}_{model}"
    for model in ("clauselibrary", "clause")
    for action in ("view", "add", "change", "delete")
]
VIEW_PACKS = ["contracts.view_clausepack", "contracts.view_document"]
DOCUMENTS = ["contracts.generate_document", "contracts.download_document"]

ROLE_PERMISSIONS = {
    # Legal curates the clauses, adds and removes clauses in packs, and makes the documents.
    LEGAL: LIBRARY + VIEW_PACKS + DOCUMENTS + ["contracts.change_clausepack"],
    PROCUREMENT: VIEW_PACKS + DOCUMENTS,
    CHECKLIST_ADMIN: LIBRARY + VIEW_PACKS,
    # Read-only: sees packs and the list of documents, may not generate or download them.
    VIEWER: VIEW_PACKS,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_default_clauses"),
        ("diligence", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
