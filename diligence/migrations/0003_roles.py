"""Grant the four roles their permissions on checklists and assessments."""

from django.db import migrations

from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER, sync_role_permissions

MODELS = ("checklist", "checklistitem", "assessment", "assessmentitem", "evidence", "decision")
VIEW = [f"diligence.view_{m}" for m in MODELS]

ROLE_PERMISSIONS = {
    # Procurement runs assessments and decides on them (never on their own: four eyes).
    PROCUREMENT: VIEW
    + [
        f"diligence.{action}_{m}"
        for m in ("assessment", "assessmentitem", "evidence")
        for action in ("add", "change")
    ]
    + ["diligence.decide_assessment"],
    LEGAL: VIEW,
    # Checklist admins curate the checklist versions in the Django admin.
    CHECKLIST_ADMIN: VIEW
    + [
        f"diligence.{action}_{m}"
        for m in ("checklist", "checklistitem")
        for action in ("add", "change", "delete")
    ],
    VIEWER: VIEW,
}


def grant(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("diligence", "0002_default_checklist"),
        ("vendors", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
