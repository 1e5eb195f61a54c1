"""Emails of the supplier link: the link to the supplier, and word to the owner when the
supplier submits. Sent once the transaction that made the change has committed.

The link holds the token; it is written into the email and nowhere else, never logged.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

OPT_OUT_SALT = "portal.reminders.stop"


def opt_out_url(request, base_url):
    key = signing.dumps(request.pk, salt=OPT_OUT_SALT)
    return base_url.rstrip("/") + reverse("portal:reminders_stop", args=[key])


def _send(to, subject, template, context, *, what):
    body = render_to_string(template, context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    try:
        message.send()
    except OSError as error:
        # The request is saved and its page offers "send again"; the error's text, not the
        # message, is logged, since the message holds the link.
        logger.warning("Could not send the %s to %s: %s", what, to, type(error).__name__)


def link_sent(request, token, base_url):
    base_url = (base_url or settings.SITE_URL or "").rstrip("/")
    link = base_url + reverse("portal:link", args=[token])
    assessment = request.assessment
    context = {
        "request": request,
        "link": link,
        "buyer": request.created_by,
        "opt_out_url": opt_out_url(request, base_url),
        "model": assessment.model,
    }
    subject = _("Please answer: due diligence on %(model)s, due %(due)s") % {
        "model": assessment.model,
        "due": f"{request.due_date:%-d %b %Y}",
    }
    transaction.on_commit(
        lambda: _send(
            request.recipient_email, subject, "portal/email/link.txt", context, what="supplier link"
        )
    )


def answers_submitted(request):
    owner = request.assessment.owner
    if not owner.email:
        return
    base_url = (settings.SITE_URL or "").rstrip("/")
    context = {"request": request, "user": owner, "base_url": base_url}
    subject = _("Supplier answered: %(reference)s") % {"reference": request.assessment.reference}
    transaction.on_commit(
        lambda: _send(
            owner.email, subject, "portal/email/submitted.txt", context, what="answer notice"
        )
    )


def reminder_message(request, *, base_url, days_left, connection=None):
    context = {
        "request": request,
        "days_left": days_left,
        "buyer": request.created_by,
        "opt_out_url": opt_out_url(request, base_url),
        "model": request.assessment.model,
    }
    subject = _("Reminder: due diligence on %(model)s, due %(due)s") % {
        "model": request.assessment.model,
        "due": f"{request.due_date:%-d %b %Y}",
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("portal/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.recipient_email],
        connection=connection,
    )
