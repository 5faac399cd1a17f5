"""Child process of the kill -9 harness (tests/test_crash_safety.py).

Sends the test mail through the store's default sender in an endless loop and prints each
record id on its own line only after the send's records are committed. The parent kills
this process at random moments.

    python crash_sender.py DATABASE_URL RECIPIENTS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bimail_test_keyring import MemoryKeyring  # noqa: E402

from bimail_desktop.secrets import SecretStore  # noqa: E402
from bimail_desktop.services import Mailbox  # noqa: E402


def main() -> None:
    url, count = sys.argv[1], int(sys.argv[2])
    mailbox = Mailbox.open(url, secrets=SecretStore(backend=MemoryKeyring()))
    recipients = ", ".join(f"crash{i}@example.org" for i in range(count))
    print("ready", flush=True)
    while True:
        outcome = mailbox.send_test_mail(recipients, timeout=10)
        for result in outcome.recipients:
            print(result.record_id, flush=True)


if __name__ == "__main__":
    main()
