"""Run every ``bench_*.py`` module of this folder, one after the other, each in its own
process (so that one's memory and threads do not colour the next one's figures).

    python -m bench                 # all of them
    python -m bench sending records # only bench_sending and bench_records

Exit status: 0 when every bench met its targets (exit 0), else 1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    wanted = list(sys.argv[1:] if argv is None else argv)
    modules = discover()
    if wanted:
        names = {w if w.startswith("bench_") else f"bench_{w}" for w in wanted}
        unknown = sorted(names - set(modules))
        if unknown:
            print(f"unknown bench(es): {', '.join(unknown)}; available: "
                  f"{', '.join(modules)}", file=sys.stderr)
            return 2
        modules = [m for m in modules if m in names]
    failed: list[str] = []
    for module in modules:
        print(f"=== {module} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{module}"], cwd=HERE.parent)
        print(f"=== {module}: exit {code} in {time.perf_counter() - start:.1f} s ===\n",
              flush=True)
        if code != 0:
            failed.append(module)
    if failed:
        print(f"targets missed or errors in: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
