"""How a message leaves: by e-mail through the configured mail server (stdlib smtplib) or as a
JSON POST to a webhook (stdlib urllib). Both block: the channel runs them off the event loop.
Each raises on failure; a 2xx answer is a webhook's success."""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage
from email.utils import format_datetime

from services.escalation.application.notify.message import Message
from shared.kernel.clock import Clock
from shared.kernel.notify import Route
from shared.kernel.settings import Settings


class SmtpSender:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings, self.clock = settings, clock

    def send(self, message: Message, route: Route) -> None:
        s = self.settings
        if s.smtp_host is None:
            raise RuntimeError("no mail server configured (PROPDESK_SMTP_HOST)")
        mail = EmailMessage()
        mail["From"] = s.smtp_from
        mail["To"] = route.email
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(self.clock.now())
        # the same id for every send of one attempt: a mail system or reader drops the repeat
        mail["Message-ID"] = f"<{message.key.replace('/', '.')}@propdesk>"
        mail["X-PropDesk-Notification"] = message.key
        mail.set_content(message.text)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.notify_timeout) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                smtp.login(s.smtp_user, password)
            smtp.send_message(mail)


class WebhookSender:
    def __init__(self, settings: Settings) -> None:
        self.timeout = settings.notify_timeout

    def send(self, message: Message, route: Route) -> None:
        body = json.dumps(message.payload(), ensure_ascii=False).encode()
        request = urllib.request.Request(
            str(route.webhook),
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": message.key,
                "User-Agent": "PropDesk-notify/1",
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:
                raise RuntimeError(f"webhook answered {answer.status}")
