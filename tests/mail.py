"""A real SMTP server on loopback (aiosmtpd) whose mailbox keeps what the app sends: the
`smtp_inbox` fixture points the app's email settings at it for one test, `smtp_server()`
starts one for a deployment started in other processes."""

import contextlib
import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller

from tests.security.live_app import free_port

LINK = re.compile(r"https?://\S+/supplier/link/[A-Za-z0-9_-]+/")


class Inbox:
    """`envelopes`: what the server received (sender, recipients, raw content); `messages`:
    the same messages parsed, in the order they arrived."""

    def __init__(self):
        self.envelopes = []
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def bodies(self, to=None):
        return [
            message.get_body(("plain",)).get_content()
            for message in self.messages
            if to is None or to in message["To"]
        ]

    def last_link(self, to=None):
        """The path of the newest supplier link emailed (to `to`)."""
        return "/" + self.last_url(to).split("/", 3)[3]

    def last_url(self, to=None):
        """The full address of the newest supplier link emailed (to `to`)."""
        for body in reversed(self.bodies(to)):
            if found := LINK.search(body):
                return found.group(0)
        raise AssertionError("No supplier link was emailed.")


@contextlib.contextmanager
def smtp_server():
    """(inbox, port) of an SMTP server on 127.0.0.1, stopped on leaving."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox(settings):
    """The mailbox of an SMTP server that the app sends its email to during the test."""
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        yield inbox
