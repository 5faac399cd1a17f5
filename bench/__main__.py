"""Run every ``bench_*.py`` module of this folder, one after the other, each in its own
process (so that one's memory and threads do not colour the next one's figures), then print
ONE table of every figure with its baseline, ratio and goal.

    python -m bench                  # all of them (make bench)
    python -m bench --quick          # fewer rounds, 10^6 instead of 5x10^6 records
    python -m bench sending records  # only bench_sending and bench_records

Each benchmark reports its figures through :mod:`bench.report` (a JSON line per figure in
the file named by BIMAIL_BENCH_ROWS); a benchmark that reports nothing still gets a row
with its exit status. The table is also written to bench/results/summary.md.

Exit status: 0 when every benchmark met its goals (exit 0), else 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import ROWS_ENV, Figure, load, summary_table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def discover() -> list[str]:
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0]
                                     if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and smaller data sets (a first look, not the "
                             "figures to quote)")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    modules = discover()
    if args.names:
        names = {w if w.startswith("bench_") else f"bench_{w}" for w in args.names}
        unknown = sorted(names - set(modules))
        if unknown:
            print(f"unknown bench(es): {', '.join(unknown)}; available: "
                  f"{', '.join(modules)}", file=sys.stderr)
            return 2
        modules = [m for m in modules if m in names]
    RESULTS.mkdir(exist_ok=True)
    failed: list[str] = []
    figures: list[Figure] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for module in modules:
            rows = Path(tmp) / f"{module}.jsonl"
            rows.touch()
            env = dict(os.environ, **{ROWS_ENV: str(rows)})
            if args.quick:
                env["BIMAIL_BENCH_QUICK"] = "1"
            print(f"=== {module} ===", flush=True)
            start = time.perf_counter()
            code = subprocess.call([sys.executable, "-m", f"bench.{module}"],
                                   cwd=HERE.parent, env=env)
            print(f"=== {module}: exit {code} in {time.perf_counter() - start:.1f} s ===\n",
                  flush=True)
            found = load(rows)
            figures.extend(found)
            if code != 0:
                failed.append(module)
                if not found or all(f.ok for f in found):  # an error, not a missed goal
                    figures.append(Figure(module, f"exit status {code} (error; see above)",
                                          float(code), unit="", max_value=0))
    lines = summary_table(figures)
    took = time.perf_counter() - began
    header = (f"bimail-desktop benchmarks{' (--quick)' if args.quick else ''}: "
              f"{len(figures)} figures in {took / 60:.1f} min, Python "
              f"{sys.version.split()[0]}; product and baseline interleaved, medians")
    print(header)
    print()
    print("\n".join(lines))
    (RESULTS / "summary.md").write_text(header + "\n\n" + "\n".join(lines) + "\n",
                                        encoding="utf-8")
    if failed:
        print(f"\ngoals missed or errors in: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
