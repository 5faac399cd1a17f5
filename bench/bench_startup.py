"""Start-up of the `bimail` command next to the bare Python a user would otherwise start.

    python -m bench.bench_startup [--rounds N]

Each command runs in a fresh process (the installed ``bimail`` script of this environment,
its modules compiled to bytecode first as in an installed program), interleaved with its
baseline, median of N rounds (default 9):

* ``bimail --version`` next to ``python -c pass``: goal <= 3x.
* ``bimail senders list`` on a store with a few senders (already migrated, as after the
  first start) next to ``python -c "import sqlalchemy.orm, keyring"`` — the libraries the
  command cannot do without: goal <= 1.3x.

With ``--instructions`` (needs valgrind) both figures are also counted in instructions
executed (callgrind, one run each: the count is the same on every run, whatever else the
machine is doing), the same goals: a check that a busy machine cannot blur.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.report import compile_program, figure, finish, interleaved, rounds

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "tests" / "support"
BENCH = "bench_startup"


def bimail_command() -> list[str]:
    script = Path(sys.executable).parent / ("bimail.exe" if os.name == "nt" else "bimail")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bimail_desktop"]


def _runner(cmd: list[str], env: dict[str, str]):  # type: ignore[no-untyped-def]
    def run() -> None:
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return run


def instructions(cmd: list[str], env: dict[str, str]) -> float:
    """Millions of instructions ``cmd`` executes (valgrind's callgrind)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{' '.join(cmd)} under valgrind failed: {done.stderr[-500:]}")
    return int(found.group(1)) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_startup",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=rounds())
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (about 2 minutes)")
    args = parser.parse_args(argv)
    compile_program()  # the program as installed: its modules already compiled
    bimail = bimail_command()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.update(
            BIMAIL_HOME=home,
            PYTHONPATH=os.pathsep.join([str(SUPPORT), env.get("PYTHONPATH", "")]),
            PYTHON_KEYRING_BACKEND="bimail_test_keyring.MemoryKeyring",
        )
        env.pop("BIMAIL_DATABASE_URL", None)
        for i in range(3):  # a store with senders, migrated once (as after the first start)
            subprocess.run(bimail + ["senders", "add", "--server", "smtp.example.com",
                                     "--port", "587", "--address", f"bi{i}@example.com",
                                     "--encryption", "tls"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        py = [sys.executable]
        version, bare = interleaved([_runner(bimail + ["--version"], env),
                                     _runner(py + ["-c", "pass"], env)], args.rounds)
        figure(BENCH, "bimail --version", version, baseline="python -c pass",
               baseline_value=bare, max_ratio=3.0)
        listing, libs = interleaved(
            [_runner(bimail + ["senders", "list"], env),
             _runner(py + ["-c", "import sqlalchemy.orm, keyring"], env)], args.rounds)
        figure(BENCH, "bimail senders list", listing,
               baseline='python -c "import sqlalchemy.orm, keyring"', baseline_value=libs,
               max_ratio=1.3)
        if args.instructions:
            if shutil.which("valgrind") is None:
                print("  --instructions: valgrind is not installed; skipped")
            else:
                for name, cmd, base, base_cmd, goal in (
                        ("bimail --version", bimail + ["--version"], "python -c pass",
                         py + ["-c", "pass"], 3.0),
                        ("bimail senders list", bimail + ["senders", "list"],
                         'python -c "import sqlalchemy.orm, keyring"',
                         py + ["-c", "import sqlalchemy.orm, keyring"], 1.3)):
                    figure(BENCH, f"{name} (instructions)", instructions(cmd, env),
                           unit="M instr.", baseline=base,
                           baseline_value=instructions(base_cmd, env), max_ratio=goal)
    return finish()


if __name__ == "__main__":
    raise SystemExit(main())
