"""The supplier link: requests a supplier answers without an account."""

import logging

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Supplier link"

    def ready(self):
        from portal.tokens import RedactLinkTokens

        # Django logs the path of requests (4xx and 5xx answers, the development server every
        # request); a supplier link's path holds its token, which must never reach a log.
        for name in ("django.request", "django.server"):
            logging.getLogger(name).addFilter(RedactLinkTokens())
