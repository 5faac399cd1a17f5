"""Start-up of the `bimail` command next to the bare Python a user would otherwise start.

    python -m bench.bench_startup [--rounds N]

Each command runs in a fresh process (the installed ``bimail`` script of this environment,
its modules compiled to bytecode first as in an installed program), interleaved with its
baseline, median of N rounds (default 9):

* ``bimail --version`` next to ``python -c pass``: goal <= 3x.
* ``bimail senders list`` on a store with a few senders (already migrated, as after the
  first start) next to ``python -c "import sqlalchemy.orm, keyring"`` — the libraries the
  command cannot do without: goal <= 1.3x.
"""

from __future__ import annotations

import argparse
import os
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_startup",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=rounds())
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
    return finish()


if __name__ == "__main__":
    raise SystemExit(main())
