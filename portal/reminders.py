"""Reminders to the supplier before a request's due date, at the thresholds of the app's own
reminders (core.reminders), each sent once, unless the supplier stopped them."""

import datetime
import logging
import smtplib

from django.core.mail import get_connection
from django.db import IntegrityError, transaction

from core.reminders import threshold
from portal import notify
from portal.models import RequestStatus, SupplierReminder, SupplierRequest

logger = logging.getLogger(__name__)

# Days before the due date at which the supplier is reminded.
THRESHOLDS = (7, 1)


def supplier_reminders_send(*, today, base_url="", connection=None):
    """Email the reminders due today; returns how many were sent."""
    requests = (
        SupplierRequest.objects.filter(
            status=RequestStatus.SENT,
            reminders_stopped=False,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=max(THRESHOLDS)),
        )
        .select_related("assessment__model", "created_by")
        .order_by("due_date", "pk")
    )
    connection = connection or get_connection()
    sent = 0
    for request in requests:
        crossed = threshold(request.due_date, today, thresholds=THRESHOLDS, overdue=False)
        if crossed is None:
            continue
        days_left = (request.due_date - today).days
        try:
            with transaction.atomic():
                SupplierReminder.objects.create(request=request, threshold=crossed)
                notify.reminder_message(
                    request, base_url=base_url, days_left=max(days_left, 1), connection=connection
                ).send()
        except IntegrityError:
            continue  # sent before
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Could not remind %s: %s", request.recipient_email, error)
            continue
        sent += 1
    return sent
