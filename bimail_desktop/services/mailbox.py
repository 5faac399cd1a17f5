"""The Mailbox facade: every use case of the program in one object.

The GUI, the CLI and other programs call this and nothing below it. Each group of use
cases lives in its own module as a mixin; this class only opens the store and keychain.
"""

from __future__ import annotations

import logging

from ..config import database_url
from ..secrets import KeychainStatus, SecretStore
from ..store import Store, open_store
from .config_transfer import ConfigTransferMixin
from .diagnostics import DiagnosticsMixin
from .oauth import OAuthMixin
from .records import RecordsMixin
from .relaying import RelayingMixin
from .senders import SendersMixin
from .sending import SendingMixin
from .templates import TemplatesMixin
from .trust import TrustMixin

log = logging.getLogger(__name__)


class Mailbox(
    SendersMixin,
    TemplatesMixin,
    OAuthMixin,
    SendingMixin,
    RecordsMixin,
    TrustMixin,
    DiagnosticsMixin,
    ConfigTransferMixin,
    RelayingMixin,
):
    """The system mailbox: senders, default sender, templates, sending, records, trust."""

    def __init__(self, store: Store, secrets: SecretStore | None = None, lang: str = "en"):
        self.store = store
        self.secrets = secrets or SecretStore()
        self.lang = lang
        self.ensure_builtin_templates()
        self._after_open()

    def _after_open(self) -> None:
        """Start-up work of the mixins (e.g. marking interrupted sends); each mixin that
        needs some overrides this and calls super()."""
        hook = getattr(super(), "_after_open", None)
        if hook is not None:
            hook()

    @classmethod
    def open(cls, db: str | None = None, *, secrets: SecretStore | None = None,
             lang: str = "en") -> Mailbox:
        """Open the store at ``db`` (default: BIMAIL_DATABASE_URL or the data folder)."""
        return cls(open_store(database_url(db)), secrets, lang)

    def keychain_status(self) -> KeychainStatus:
        return self.secrets.status()

    def close(self) -> None:
        self.store.dispose()

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
