"""The one format every benchmark reports its figures in, and the summary table.

A benchmark measures the product next to what a user would otherwise run (the baseline),
then calls :func:`figure` once per figure and :func:`finish` at the end::

    from bench.report import figure, finish

    figure("bench_x", "one thing", product_ms, baseline="what users run", baseline_value=b_ms,
           max_ratio=1.2)
    raise SystemExit(finish())          # 0 when every goal was met, else 1

Each figure is printed as it is measured and, when ``python -m bench`` runs the benchmark,
appended as one JSON line to the file named by ``BIMAIL_BENCH_ROWS``; the runner prints
every figure of every benchmark in one table at the end (:func:`summary_table`). A
benchmark written in another way still joins the table: it only has to append JSON lines
with the keys of :class:`Figure` to that file.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields

ROWS_ENV = "BIMAIL_BENCH_ROWS"


@dataclass
class Figure:
    bench: str
    name: str
    product: float
    unit: str = "ms"
    baseline: str = ""  # what the user would otherwise run ("" = an absolute goal only)
    baseline_value: float | None = None
    max_ratio: float | None = None  # product <= max_ratio x baseline
    max_value: float | None = None  # product <= max_value (same unit)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_value is None:
            return None
        if self.baseline_value <= 0:
            return float("inf")
        return self.product / self.baseline_value

    @property
    def ok(self) -> bool:
        ratio = self.ratio
        if self.max_ratio is not None and (ratio is None or ratio > self.max_ratio):
            return False
        return not (self.max_value is not None and self.product > self.max_value)

    @property
    def goal(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"<= {self.max_ratio:g}x")
        if self.max_value is not None:
            parts.append(f"<= {_num(self.max_value)} {self.unit}")
        return " and ".join(parts) or "(context)"

    def line(self) -> str:
        base = ""
        if self.baseline:
            value = "" if self.baseline_value is None else \
                f" {_num(self.baseline_value)} {self.unit}"
            base = f"; {self.baseline}{value}"
        ratio = "" if self.ratio is None else f"; {self.ratio:.2f}x"
        verdict = "ok" if self.ok else "MISSED"
        if self.max_ratio is None and self.max_value is None:
            verdict = "context"
        note = f" ({self.note})" if self.note else ""
        return (f"{self.name}: {_num(self.product)} {self.unit}{base}{ratio}; goal "
                f"{self.goal}: {verdict}{note}")


_FIGURES: list[Figure] = []


def figure(bench: str, name: str, product: float, *, unit: str = "ms", baseline: str = "",
           baseline_value: float | None = None, max_ratio: float | None = None,
           max_value: float | None = None, note: str = "") -> Figure:
    """Record (print, and append to the runner's file) one figure."""
    fig = Figure(bench, name, product, unit, baseline, baseline_value, max_ratio, max_value,
                 note)
    _FIGURES.append(fig)
    print("  " + fig.line(), flush=True)
    target = os.environ.get(ROWS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(fig), ensure_ascii=False) + "\n")
    return fig


def finish() -> int:
    """Exit status of a benchmark: 0 when every goal of its figures was met, else 1."""
    missed = [f for f in _FIGURES if not f.ok]
    for fig in missed:
        print(f"MISSED: {fig.name}: {_num(fig.product)} {fig.unit}, goal {fig.goal}")
    return 1 if missed else 0


def load(path: str | os.PathLike[str]) -> list[Figure]:
    known = {f.name for f in fields(Figure)}
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                data = json.loads(line)
                out.append(Figure(**{k: v for k, v in data.items() if k in known}))
    return out


def summary_table(figures: Sequence[Figure]) -> list[str]:
    """Every figure with its baseline, ratio, goal and verdict, as a Markdown table."""
    lines = ["| bench | figure | product | baseline | ratio | goal | result |",
             "| --- | --- | ---: | --- | ---: | --- | --- |"]
    for f in figures:
        base = f.baseline
        if f.baseline_value is not None:
            base = f"{base}: {_num(f.baseline_value)} {f.unit}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        if f.max_ratio is None and f.max_value is None:
            verdict = "context"
        else:
            verdict = "ok" if f.ok else "**MISSED**"
        lines.append(f"| {f.bench} | {f.name} | {_num(f.product)} {f.unit} | {base} | "
                     f"{ratio} | {f.goal} | {verdict} |")
    return lines


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def interleaved(fns: Sequence[Callable[[], object]], repeat: int, *,
                clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Median milliseconds of each function over ``repeat`` rounds; each round runs every
    function once, in turn, so that load from other programs hits all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, bucket in zip(fns, times, strict=True):
            began = clock()
            fn()
            bucket.append((clock() - began) * 1000)
    return [statistics.median(bucket) for bucket in times]


def quick() -> bool:
    """``BIMAIL_BENCH_QUICK=1`` (``python -m bench --quick``): fewer rounds, smaller data."""
    return os.environ.get("BIMAIL_BENCH_QUICK", "") not in ("", "0")


def rounds(full: int = 9, fast: int = 5) -> int:
    """Rounds per median: >= 9 normally, fewer with --quick."""
    return fast if quick() else full


def compile_program() -> None:
    """Compile the program's modules to bytecode first, as an installed program has them
    (pip and the installer compile them): in a checkout run with PYTHONDONTWRITEBYTECODE
    every start would otherwise compile each module from source, which a user never pays
    (and the baselines, from installed libraries, never pay either)."""
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    compileall.compile_dir(root / "bimail_desktop", quiet=1)
