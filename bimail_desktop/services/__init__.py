"""The services layer: what the GUI, the CLI and other programs call.

    from bimail_desktop.services import Mailbox
    with Mailbox.open() as mailbox:
        mailbox.add_sender({"server": "smtp.example.com", "port": 587,
                            "encryption": "tls", "address": "bi@example.com"},
                           password="…")
        mailbox.set_default_sender("bi@example.com")
"""

from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import Encryption, Sender, SenderSettings, Template
from .mailbox import Mailbox

__all__ = [
    "BimailError",
    "Encryption",
    "ErrorCode",
    "InvalidInput",
    "Mailbox",
    "Sender",
    "SenderSettings",
    "Template",
]
