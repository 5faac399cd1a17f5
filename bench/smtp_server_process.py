"""A STARTTLS + AUTH test SMTP server in its own process, for the sending benchmarks (so
that its work is not counted as the client's time or CPU).

    python -m bench.smtp_server_process CA_FILE USER PASSWORD

Makes a private CA, writes its certificate (PEM) to CA_FILE, serves on 127.0.0.1 with a
certificate from that CA for 127.0.0.1/localhost, prints ``PORT <n>`` and serves until
its standard input closes. Keeps no messages (a bulk send of thousands would grow it).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))

from smtp_servers import (  # noqa: E402
    RecordingHandler,
    SmtpTestServer,
    ca_pem,
    issue_certificate,
    make_ca,
)


class _Forgetful(RecordingHandler):
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        return "250 2.0.0 OK queued"


def main() -> int:
    ca_file, user, password = sys.argv[1:4]
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    ca = make_ca()
    Path(ca_file).write_text(ca_pem(ca), encoding="ascii")
    server = SmtpTestServer("starttls", certificate=issue_certificate(ca, "localhost",
                                                                      "127.0.0.1"),
                            users={user: password}, handler=_Forgetful())
    with server:
        print(f"PORT {server.port}", flush=True)
        sys.stdin.read()  # until the benchmark closes the pipe
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
