"""Sending mail: one SMTP conversation through the program's one client.

:class:`SmtpSession` is :class:`bimail_desktop.mail.client.SmtpClient` (connect with
enforced encryption and real certificate trust, log in, MAIL/RCPT/DATA, QUIT), kept under
the name the sending and relay services use. See ``client.py`` for the rules.
"""

from __future__ import annotations

from bimail_desktop.mail.client import (
    RecipientRefused,
    SendReport,
    ServerConfig,
    SmtpClient,
    StepObserver,
    Transcript,
)
from bimail_desktop.mail.protocol import REDACTED

SmtpSession = SmtpClient

__all__ = [
    "REDACTED",
    "RecipientRefused",
    "SendReport",
    "ServerConfig",
    "SmtpSession",
    "StepObserver",
    "Transcript",
]
