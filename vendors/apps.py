"""The vendors app's configuration."""

from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Suppliers and models"
