"""Sending mail through the SMTP server in ``MAIL_*`` settings, or to the console in development."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_messages(messages: list[EmailMessage]) -> int:
    """Send messages over one SMTP connection; without ``MAIL_SERVER``, print them instead."""
    if not messages:
        return 0
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        # Development: the console is the mailbox.
        for message in messages:
            sys.stdout.write(f"--- mail (MAIL_SERVER not set) ---\n{message.as_string()}\n")
        sys.stdout.flush()
        return len(messages)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for message in messages:
            smtp.send_message(message)
    return len(messages)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message."""
    send_messages([build_message(to, subject, body)])
