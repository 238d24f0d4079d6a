"""E-mail backends for the outbox tests: they count connections and can be slow or refuse."""

import time

from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    """Like an SMTP relay: ``open()`` is the costly TLS+login; counts it, and each message sent."""

    opens = 0
    sent: list = []
    delay = 0.0
    refuse_first = 0  # refuse this many messages (then accept)
    refuse_always = False

    @classmethod
    def reset(cls, *, delay=0.0, refuse_first=0, refuse_always=False):
        cls.opens, cls.sent, cls.delay = 0, [], delay
        cls.refuse_first, cls.refuse_always = refuse_first, refuse_always

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connected = False

    def open(self):
        if not self.connected:
            type(self).opens += 1
            self.connected = True
            return True
        return False

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        new = self.open()
        try:
            for message in messages:
                if self.delay:
                    time.sleep(self.delay)
                if type(self).refuse_always or type(self).refuse_first > 0:
                    type(self).refuse_first -= 1
                    raise OSError("421 service not available")
                type(self).sent.append(message.to[0])
        finally:
            if new:
                self.close()
        return len(messages)
