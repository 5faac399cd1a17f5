"""The Mailbox facade: every use case of the program in one object.

The GUI, the CLI and other programs call this and nothing below it. The use cases live in
separate services, each given what it depends on when it is built:

    Senders(store, secrets, pending)   Templates(store)            Trust(store)
    OAuth(store, secrets, senders, trust)
    Credentials(secrets, oauth)        Records(store)
    Sending(store, senders, templates, trust, credentials)
    Diagnostics(senders, trust, credentials, secrets)
    ConfigTransfer(store, senders, templates, trust, oauth)
    Relaying(store, senders, trust, credentials)

The Mailbox builds them once, runs the start-up work explicitly (the built-in templates,
the keychain entries left by a removal while the keychain was unusable, marking sends
interrupted by a stopped program) and offers their methods under the names of its public
API (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..config import data_home, database_url
from ..secrets import KeychainStatus, SecretStore
from ..store import Store, open_store
from .checks import Checks
from .credentials import Credentials
from .diagnostics import Diagnostics
from .oauth import OAuth
from .records import Records
from .senders import PendingRemovals, Senders
from .sending import Sending
from .templates import Templates
from .trust import Trust

if TYPE_CHECKING:  # built on first use: their modules load only for what uses them
    from .config_transfer import ConfigTransfer
    from .relaying import Relaying

log = logging.getLogger(__name__)

# in the data folder: senders whose keychain entries are still to be deleted
PENDING_REMOVALS_FILE = "pending-keychain-removals.json"


class Mailbox:
    """The system mailbox: senders, default sender, templates, sending, records, trust."""

    def __init__(self, store: Store, secrets: SecretStore | None = None, lang: str = "en"):
        self.store = store
        self.secrets = secrets or SecretStore()
        self.lang = lang

        # -- the services, each with what it depends on ----------------------------------
        self.senders = Senders(store, self.secrets,
                               PendingRemovals(data_home() / PENDING_REMOVALS_FILE))
        self.templates = Templates(store)
        self.trust = Trust(store)
        self.oauth = OAuth(store, self.secrets, self.senders, self.trust, lang)
        self.credentials = Credentials(self.secrets, self.oauth)
        self.records = Records(store, lang)
        self.sending = Sending(store, self.senders, self.templates, self.trust,
                               self.credentials)
        self.diagnostics = Diagnostics(self.senders, self.trust, self.credentials,
                                       self.secrets, lang)
        self.checks = Checks(store)
        # built on first use (see the properties below): most runs need neither
        self._config_transfer: ConfigTransfer | None = None
        self._relaying: Relaying | None = None
        self._building = threading.Lock()

        # -- the public API: each use case under its name -------------------------------
        senders = self.senders
        self.list_senders = senders.list_senders
        self.get_sender = senders.get_sender
        self.sender_by_id = senders.sender_by_id
        self.sender_password = senders.sender_password
        self.add_sender = senders.add_sender
        self.edit_sender = senders.edit_sender
        self.remove_sender = senders.remove_sender
        self.remove_sender_report = senders.remove_sender_report
        self.default_sender = senders.default_sender
        self.is_configured = senders.is_configured
        self.require_default_sender = senders.require_default_sender
        self.set_default_sender = senders.set_default_sender
        self.senders_change_token = senders.senders_change_token
        self.clear_default_sender = senders.clear_default_sender
        self.sender_count = senders.sender_count

        templates = self.templates
        self.ensure_builtin_templates = templates.ensure_builtin_templates
        self.get_template = templates.get_template
        self.list_templates = templates.list_templates
        self.require_template = templates.require_template
        self.add_template = templates.add_template
        self.update_template = templates.update_template
        self.remove_template = templates.remove_template
        self.duplicate_template = templates.duplicate_template

        trust = self.trust
        self.trust_import_ca = trust.trust_import_ca
        self.trust_pin = trust.trust_pin
        self.trusted_certificates = trust.trusted_certificates
        self.trust_remove = trust.trust_remove
        self.trust_config = trust.trust_config
        self.fetch_certificate = trust.fetch_certificate

        oauth = self.oauth
        self.sender_oauth_settings = oauth.sender_oauth_settings
        self.sender_has_client_secret = oauth.sender_has_client_secret
        self.oauth_endpoints = oauth.oauth_endpoints
        self.check_oauth_settings = oauth.check_oauth_settings
        self.set_sender_oauth = oauth.set_sender_oauth
        self.oauth_status = oauth.oauth_status
        self.oauth_account = oauth.oauth_account
        self.sender_warnings = oauth.sender_warnings
        self.password_elsewhere = oauth.password_elsewhere
        self.oauth_sign_in = oauth.oauth_sign_in
        self.oauth_sign_in_with = oauth.oauth_sign_in_with
        self.oauth_device_sign_in = oauth.oauth_device_sign_in
        self.oauth_sign_out = oauth.oauth_sign_out
        self.oauth_access_token = oauth.oauth_access_token

        sending = self.sending
        # a test mail and a diagnosis note their outcome as the sender's last check
        from .api_guard import guarded  # these two are functions, not methods: guard here

        self.send_test_mail = self.checks.noting_test_mail(guarded(sending.send_test_mail))
        self.send = sending.send
        self.resend_failed = sending.resend_failed
        self.failed_recipients = sending.failed_recipients
        self.next_send_allowed_in = sending.next_send_allowed_in
        self.recover_interrupted_sends = sending.recover_interrupted_sends

        records = self.records
        self.query_records = records.query_records
        self.count_records = records.count_records
        self.get_record = records.get_record
        self.latest_record_id = records.latest_record_id
        self.records_change_token = records.records_change_token
        self.export_records_csv = records.export_records_csv
        self.count_records_older_than = records.count_records_older_than
        self.delete_records_older_than = records.delete_records_older_than

        diagnostics = self.diagnostics
        self.diagnose = self.checks.noting_diagnosis(guarded(diagnostics.diagnose))
        self.last_checks = self.checks.last_checks
        self.last_check = self.checks.last_check
        self.diagnostics_environment = diagnostics.diagnostics_environment
        self.diagnostics_report_text = diagnostics.diagnostics_report_text
        self.export_diagnostics_report = diagnostics.export_diagnostics_report
        self.detect_settings = diagnostics.detect_settings

        if TYPE_CHECKING:  # their types; when run, each is built on its first call
            transfer, relaying = self.config_transfer, self.relaying
            self.export_config = transfer.export_config
            self.export_config_file = transfer.export_config_file
            self.import_config = transfer.import_config
            self.import_config_file = transfer.import_config_file
            self.add_relay_user = relaying.add_relay_user
            self.remove_relay_user = relaying.remove_relay_user
            self.list_relay_users = relaying.list_relay_users
            self.check_relay_user = relaying.check_relay_user
            self.relay_accept = relaying.relay_accept
            self.relay_accept_many = relaying.relay_accept_many
            self.relay_accept_later = relaying.relay_accept_later
            self.relay_queue = relaying.relay_queue
            self.relay_queue_length = relaying.relay_queue_length
            self.relay_flush = relaying.relay_flush
            self.relay_retry = relaying.relay_retry
            self.relay_claim = relaying.relay_claim
            self.relay_release = relaying.relay_release
            self.relay_recover = relaying.relay_recover
            self.relay_deliver = relaying.relay_deliver
            self.relay_deliver_batch = relaying.relay_deliver_batch
        else:
            for name in ("export_config", "export_config_file", "import_config",
                         "import_config_file"):
                setattr(self, name, self._on_first_call(lambda: self.config_transfer, name))
            for name in ("add_relay_user", "remove_relay_user", "list_relay_users",
                         "check_relay_user", "relay_accept", "relay_accept_many",
                         "relay_accept_later", "relay_queue", "relay_queue_length",
                         "relay_flush", "relay_retry", "relay_claim", "relay_release",
                         "relay_recover", "relay_deliver", "relay_deliver_batch"):
                setattr(self, name, self._on_first_call(lambda: self.relaying, name))

        self._guard_public_api()
        self._start_up()

    # the relay's own steps, called by its worker many times a second with values it made
    _UNGUARDED = frozenset({
        "relay_accept", "relay_accept_many", "relay_accept_later", "relay_claim",
        "relay_release", "relay_recover",
        "relay_deliver", "relay_deliver_batch", "check_relay_user", "latest_record_id",
        "records_change_token",
    })

    # -- the services only some uses need, built on first use ----------------------------
    @property
    def config_transfer(self) -> ConfigTransfer:
        with self._building:
            if self._config_transfer is None:
                from .config_transfer import ConfigTransfer

                self._config_transfer = ConfigTransfer(self.store, self.senders, self.templates,
                                                       self.trust, self.oauth)
            return self._config_transfer

    @property
    def relaying(self) -> Relaying:
        with self._building:  # the relay's threads and the window may ask at once
            if self._relaying is None:
                from .relaying import Relaying

                self._relaying = Relaying(self.store, self.senders, self.trust,
                                          self.credentials)
            return self._relaying

    def _on_first_call(self, service: Callable[[], object], name: str) -> Callable[..., Any]:
        """The method ``name`` of ``service()``, the service built on the first call; the
        method then takes this one's place (guarded like every other, see
        :meth:`_guard_public_api`)."""

        def first_call(*args: Any, **kwargs: Any) -> Any:
            method = getattr(service(), name)
            if name not in self._UNGUARDED:
                from .api_guard import guarded

                method = guarded(method)
            setattr(self, name, method)
            return method(*args, **kwargs)

        first_call.__name__ = first_call.__qualname__ = name
        return first_call

    def _guard_public_api(self) -> None:
        """Every public method refuses an argument of the wrong kind with invalid_input
        naming it (see :mod:`.api_guard`), instead of a TypeError from deep inside."""
        from .api_guard import guarded

        for name, value in list(vars(self).items()):
            if not name.startswith("_") and name not in self._UNGUARDED \
                    and inspect.ismethod(value):
                setattr(self, name, guarded(value))

    def _start_up(self) -> None:
        """What opening the mailbox does once: the built-in templates exist, the keychain
        entries of senders removed while the keychain was unusable are deleted, and sends
        of a program that stopped mid-send are marked interrupted (never sent again)."""
        self.templates.ensure_builtin_templates()
        self.senders.retry_pending()
        count = self.sending.recover_interrupted_sends()
        if count:
            log.warning("%d sending record(s) of a stopped program marked interrupted", count)

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
