"""A mailbox for a real SMTP server on loopback (aiosmtpd): what the app sends arrives here."""

import email
import email.policy
import re

LINK = re.compile(r"https?://\S+/supplier/link/[A-Za-z0-9_-]+/")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"

    def bodies(self, to=None):
        return [
            message.get_body(("plain",)).get_content()
            for message in self.messages
            if to is None or to in message["To"]
        ]

    def last_link(self, to=None):
        """The path of the newest supplier link emailed (to `to`)."""
        for body in reversed(self.bodies(to)):
            if found := LINK.search(body):
                return "/" + found.group(0).split("/", 3)[3]
        raise AssertionError("No supplier link was emailed.")

    def last_url(self, to=None):
        """The full address of the newest supplier link emailed (to `to`)."""
        for body in reversed(self.bodies(to)):
            if found := LINK.search(body):
                return found.group(0)
        raise AssertionError("No supplier link was emailed.")
