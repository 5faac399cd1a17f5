"""The services layer: what the GUI, the CLI and other programs call.

    from bimail_desktop.services import Mailbox
    with Mailbox.open() as mailbox:
        mailbox.add_sender({"server": "smtp.example.com", "port": 587,
                            "encryption": "tls", "address": "bi@example.com"},
                           password="…")
        mailbox.set_default_sender("bi@example.com")
"""

from typing import TYPE_CHECKING, Any

from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import Encryption, Sender, SenderSettings, Template

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """``Mailbox`` is imported on first use, so that importing one service module (e.g.
    ``services.records`` for its date parsing) does not load every use case."""
    if name == "Mailbox":
        from .mailbox import Mailbox

        return Mailbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
