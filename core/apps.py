"""The core app's configuration."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin with the app's rules for every model in it (`core.admin_site`)."""

    default = False  # "core" names CoreConfig; this one is named in INSTALLED_APPS
    default_site = "core.admin_site.AuditedAdminSite"
