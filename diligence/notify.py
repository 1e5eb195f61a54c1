"""Emails of the four-eyes review: the reviewer is asked to decide, the owner is told when
changes are requested. Sent once the transaction that made the change has committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _send(to, subject, template, context):
    if not to.email:
        return
    body = render_to_string(
        template, {**context, "base_url": (settings.SITE_URL or "").rstrip("/"), "user": to}
    )
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to.email]
    )
    try:
        message.send()
    except OSError:
        # The change is saved and the page says who must act; a mail server that is down must
        # not undo it. The reviewer also sees it under "Awaiting your decision".
        logger.exception("Could not send the review email to %s", to.email)


def review_requested(assessment, by):
    transaction.on_commit(
        lambda: _send(
            assessment.reviewer,
            f"Please decide: {assessment.reference} – {assessment.supplier.name}",
            "diligence/email/review_requested.txt",
            {"assessment": assessment, "by": by},
        )
    )


def changes_requested(assessment, by, comment):
    transaction.on_commit(
        lambda: _send(
            assessment.owner,
            f"Changes requested: {assessment.reference} – {assessment.supplier.name}",
            "diligence/email/changes_requested.txt",
            {"assessment": assessment, "by": by, "comment": comment},
        )
    )
