"""Every file the program writes is written the same way: all or nothing, through symbolic
links, never over a folder or a device, and every failure is ``invalid_input`` naming the
path, with no temporary file left behind. Real files, real folders, a real full disk."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bimail_desktop.domain.errors import ErrorCode, InvalidInput
from bimail_desktop.domain.models import RecordFilter
from bimail_desktop.fileio import atomic_write, check_target, read_limited, write_text
from bimail_desktop.services import Mailbox


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_new_file_appears_complete_with_the_users_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert write_text(target, "héllo\n") == target
    assert target.read_text("utf-8") == "héllo\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symbolic_link_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "config.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink(), "the link is kept, not replaced by a regular file"
    assert real.read_text() == "new"
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "made.csv")
    write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "x"


@pytest.mark.parametrize("path, words", [
    ("/", "is a folder"),
    ("/dev/null", "not a regular file"),
    ("", "no file name"),
])
def test_folders_devices_and_nothing_are_refused(path: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        write_text(path, "x", field="file")
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.field == "file" and words in str(caught.value)


def test_a_link_to_a_device_is_refused_and_the_device_left_alone(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_text(link, "x")
    assert Path("/dev/null").is_char_device() and link.is_symlink()
    assert leftovers(tmp_path) == []


def test_a_pipe_is_refused_without_waiting_for_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_text(fifo, "x")
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_limited(fifo, 1024)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_missing_folder_is_named_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        write_text(tmp_path / "nope" / "out.json", "x", field="file")
    assert "does not exist; create it first" in str(caught.value)
    assert str(tmp_path / "nope") in str(caught.value)
    assert not (tmp_path / "nope").exists()


def test_a_failure_while_writing_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    target.write_text("old rows")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half of the new rows")
        raise RuntimeError("cancelled")
    assert target.read_text() == "old rows"
    assert leftovers(tmp_path) == []


def test_read_limited_refuses_big_files_and_devices(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 2049)
    with pytest.raises(InvalidInput, match="larger than 2 KB"):
        read_limited(big, 2048)
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_limited("/dev/zero", 2048)
    with pytest.raises(InvalidInput, match="does not exist"):
        read_limited(tmp_path / "missing.json", 2048)
    assert read_limited(big, 4096) == b"x" * 2049


def test_check_target_resolves_links(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert check_target(tmp_path / "b") == (tmp_path / "a").resolve()


# -- the three exports, through the services -----------------------------------------------
def test_every_export_refuses_a_device_the_same_way(mailbox: Mailbox, tmp_path: Path) -> None:
    from bimail_desktop.mail.diagnostics import DiagnosticReport

    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    from datetime import UTC, datetime

    from bimail_desktop.domain.models import Encryption

    report = DiagnosticReport(server="smtp.example.com", port=587, encryption=Encryption.TLS,
                              steps=(), transcript=(), started_at=datetime.now(UTC),
                              duration_ms=0)
    calls: list[tuple[str, Any]] = [
        ("file", lambda: mailbox.export_config_file(link)),
        ("path", lambda: mailbox.export_records_csv(RecordFilter(), link)),
        ("report", lambda: mailbox.export_diagnostics_report(report, link)),
    ]
    for field, call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field == field and str(link) in str(caught.value)
    assert link.is_symlink() and leftovers(tmp_path) == []


def test_config_export_to_a_missing_folder(mailbox: Mailbox, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist; create it first"):
        mailbox.export_config_file(tmp_path / "missing" / "config.json")
    assert list(tmp_path.glob("**/*.part")) == []


def test_cli_exports_refuse_bad_targets_with_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for args in (["config", "export", "/"], ["config", "export", "/dev/null"],
                 ["records", "--csv", str(tmp_path / "no" / "r.csv")],
                 ["config", "export", str(tmp_path / "no" / "c.json")]):
        result = cli("--json", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        error = result.json()["error"]
        assert error["code"] == "invalid_input", args
    assert Path("/dev/null").is_char_device()


# -- a real full disk ------------------------------------------------------------------------
def _can_mount_tmpfs() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare and a private tmpfs mount")
def test_a_full_disk_is_invalid_input_and_leaves_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f"mount -t tmpfs -o size=32k tmpfs {disk} && "
        f"printf old > {disk}/config.json && "
        f"(dd if=/dev/zero of={disk}/filler bs=1k count=64 2>/dev/null; true) && "
        f"{sys.executable} -m bimail_desktop --json config export {disk}/config.json; "
        f"echo \"rc=$?\"; cat {disk}/config.json; echo; ls -a {disk}"
    )
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, env=cli.env, timeout=60)
    out = proc.stdout
    assert "rc=2" in out, (out, proc.stderr)
    assert '"invalid_input"' in out and "disk is full" in out
    assert "Traceback" not in proc.stderr
    listing = out.strip().splitlines()
    assert "old" in listing, "the old file is left as it was"
    assert not any(name.endswith(".part") for name in listing), listing
