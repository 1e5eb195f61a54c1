"""The four roles and what each may do, and the Administrator who gives them.

Roles are Django groups. Data migrations call `sync_role_permissions` so that every
installation has the groups, and each app adds the permissions for its own models in
its own migration.
"""

PROCUREMENT = "Procurement"
LEGAL = "Legal"
CHECKLIST_ADMIN = "Checklist admin"
VIEWER = "Viewer"

ALL_ROLES = (PROCUREMENT, LEGAL, CHECKLIST_ADMIN, VIEWER)

# Looks after the people, not the records: adds users and gives them roles in the admin
# (core/admin.py), and can neither see nor make superusers nor grant single permissions.
# The admin is for staff, who sign in with a second factor.
ADMINISTRATOR = "Administrator"
ASSIGNABLE_ROLES = (*ALL_ROLES, ADMINISTRATOR)


def sync_role_permissions(apps, role_permissions):
    """Create the groups and grant them permissions given as "app_label.codename".

    Works with the historical `apps` of a migration as well as the live registry.
    """
    from django.contrib.auth.management import create_permissions

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations ran; create them now so
    # a fresh database can grant them in the same `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    for role, perms in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
