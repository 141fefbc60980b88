"""Maintenance commands for the lessons: re-execute in place, and benchmark.

    python tools/nbtools.py execute [NOTEBOOK ...]   # refresh stored outputs, each lesson in a fresh kernel
    python tools/nbtools.py benchmark                # wall time and peak memory per lesson -> benchmarks/
    python tools/nbtools.py words [NOTEBOOK ...]     # words of core prose per lesson (target about 2,000)

Both run every lesson top to bottom in a fresh ``python3`` kernel of the current
environment, with the same environment variables as the test run (TensorFlow's come from
``anomaly_helpers/_env.py``, the one place that defines them), from the ``notebooks/`` folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BENCH_DIR = ROOT / "benchmarks"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the package's "your value is kept"; execute_notebook overrides instead
    from anomaly_helpers._env import COURSE_ENV, apply

#: The environment every lesson is executed with (the test run sets the same): TensorFlow's
#: variables from ``anomaly_helpers._env``, a fixed hash seed and strict exercise checks.
LESSON_ENV = {
    **COURSE_ENV,
    "PYTHONHASHSEED": "0",
    "ANOMALY_HELPERS_STRICT_CHECKS": "1",
}
BUDGET_SECONDS = 45
BUDGET_MB = 1536
#: All lessons together, on the same machine (the course's promise: about three minutes for the whole course).
BUDGET_TOTAL_SECONDS = 180


def lesson_paths(names: list[str] | None = None) -> list[Path]:
    if names:
        return [Path(n).resolve() for n in names]
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a live process, in MB; None where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def execute_notebook(nb, cwd: Path, *, timeout: int = 600, env: dict | None = None):
    """Execute a notebook (an ``nbformat`` node) in a fresh kernel, in place.

    Returns
    -------
    tuple
        ``(nb, seconds, peak_mb)``: the executed notebook, the wall time from the kernel's start
        to the last cell's end, and the kernel's peak resident memory in MB (None off Linux).
    """
    from nbclient import NotebookClient

    saved = os.environ.copy()
    apply(os.environ, override=True)  # warns once if the caller's environment disagrees with the course's
    os.environ.update(LESSON_ENV if env is None else env)
    os.environ.pop("COLUMNS", None)
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
        start = time.perf_counter()
        peak = None
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - start  # what a learner waits for: not the kernel's shutdown
            pid = getattr(client.km.provisioner, "pid", None)
            if pid:
                peak = _peak_rss_mb(pid)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb, seconds, peak


def cmd_execute(paths: list[Path]) -> int:
    import nbformat

    from tools.grading import AnnotateError, annotate_file

    for path in paths:
        try:
            # nbgrader's metadata first (answer and check cells), so the stored outputs belong to the final cells.
            annotate_file(path)
        except AnnotateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        nb = nbformat.read(path, as_version=4)
        _, seconds, peak = execute_notebook(nb, path.parent)
        nbformat.write(nb, path)
        mem = f", peak {peak:.0f} MB" if peak else ""
        print(f"executed {path.name} in {seconds:.1f} s{mem}")
    return 0


def _machine() -> str:
    from anomaly_helpers.repro import processor

    cpu = processor(cap=LESSON_ENV.get("ONEDNN_MAX_CPU_ISA", ""))  # as the lessons ran
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}"
    )


def cmd_benchmark(paths: list[Path], out_dir: Path = BENCH_DIR, repeat: int = 3) -> int:
    import statistics

    import nbformat

    from anomaly_helpers.repro import versions

    rows = []
    for path in paths:
        runs = []
        for _ in range(repeat):
            nb = nbformat.read(path, as_version=4)
            _, seconds, peak = execute_notebook(nb, path.parent)
            runs.append((seconds, peak))
        seconds = statistics.median(r[0] for r in runs)
        peaks = [r[1] for r in runs if r[1] is not None]
        peak = max(peaks) if peaks else None
        ok = seconds <= BUDGET_SECONDS and (peak is None or peak <= BUDGET_MB)
        rows.append(
            {
                "lesson": path.name,
                "seconds": round(seconds, 1),
                "seconds_min": round(min(r[0] for r in runs), 1),
                "seconds_max": round(max(r[0] for r in runs), 1),
                "peak_mb": round(peak) if peak else None,
                "within_budget": ok,
            }
        )
        print(
            f"{path.name:45s} {seconds:6.1f} s (runs {', '.join(f'{r[0]:.1f}' for r in runs)})  "
            f"{peak or float('nan'):7.0f} MB  {'ok' if ok else 'OVER BUDGET'}",
            flush=True,
        )

    # The benchmark studies have their own command and file: python -m benchmarks.studies.
    total = sum(r["seconds"] for r in rows)
    v = versions()
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": _machine(),
        "versions": {k: v[k] for k in ("python", "tensorflow", "keras", "numpy", "scikit-learn")},
        "runs_per_lesson": repeat,
        "budget": {
            "seconds_per_lesson": BUDGET_SECONDS,
            "peak_mb_per_lesson": BUDGET_MB,
            "seconds_all_lessons": BUDGET_TOTAL_SECONDS,
        },
        "lessons": rows,
        "total_seconds": round(total, 1),
    }
    out_dir.mkdir(exist_ok=True)
    (out_dir / "timings.json").write_text(json.dumps(result, indent=2) + "\n")
    (out_dir / "RESULTS.md").write_text(render_markdown(result))
    update_readme(result)
    update_run_times(result)
    print(f"total {total:.1f} s; wrote {out_dir / 'RESULTS.md'}")
    return 0 if all(r["within_budget"] for r in rows) and total <= BUDGET_TOTAL_SECONDS else 1


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_markdown(result: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make benchmark` (`python tools/nbtools.py benchmark`); do not edit by hand.",
        "",
        f"- date: {result['date']}",
        f"- machine: {result['machine']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()),
        f"- budget per lesson: {result['budget']['seconds_per_lesson']} s and {result['budget']['peak_mb_per_lesson']} MB peak memory",
        "",
        f"## Lessons (each in a fresh kernel, {result.get('runs_per_lesson', 1)} runs; wall time from the kernel's start, median and range)",
        "",
        "| lesson | wall time (s) | range (s) | peak memory (MB) | within budget |",
        "|---|---:|---:|---:|:---:|",
    ]
    for r in result["lessons"]:
        lines.append(
            f"| {r['lesson']} | {r['seconds']:.1f} | {_range(r)} | {r['peak_mb'] if r['peak_mb'] is not None else 'n/a'} | {'yes' if r['within_budget'] else '**no**'} |"
        )
    lines.append(f"| **total** | **{result['total_seconds']:.1f}** | {_total_range(result)} | | |")
    lines += ["", _verdict(result)]
    for name, study in result.get("studies", {}).items():
        lines += ["", f"## {study['table'].get('title', name)}", ""]
        if study["table"].get("note"):
            lines += [study["table"]["note"], ""]
        cols = study["table"]["columns"]
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for row in study["table"]["rows"]:
            lines.append("| " + " | ".join(_cell(row.get(c, "")) for c in cols) + " |")
        lines.append(f"\n(computed in {study['seconds']} s)")
    return "\n".join(lines) + "\n"


def _range(row: dict) -> str:
    return f"{row['seconds_min']:.1f}–{row['seconds_max']:.1f}" if "seconds_min" in row else ""


def _total_range(result: dict) -> str:
    rows = result["lessons"]
    if not all("seconds_min" in r for r in rows):
        return ""
    return f"{sum(r['seconds_min'] for r in rows):.1f}–{sum(r['seconds_max'] for r in rows):.1f}"


def _verdict(result: dict) -> str:
    """One sentence: are the per-lesson and whole-course budgets met by this measurement?"""
    budget = result["budget"]
    over = [r["lesson"] for r in result["lessons"] if not r["within_budget"]]
    total, limit = result["total_seconds"], budget.get("seconds_all_lessons", BUDGET_TOTAL_SECONDS)
    lessons = "every lesson is within" if not over else f"{', '.join(over)} exceed"
    course = "within" if total <= limit else "**over**"
    return (
        f"Budget: {lessons} {budget['seconds_per_lesson']} s and {budget['peak_mb_per_lesson']} MB; all lessons "
        f"together take {total:.0f} s (the sum of the medians), {course} the {limit} s the course promises."
    )


README_START = "<!-- benchmark:start -->"
README_END = "<!-- benchmark:end -->"


def update_readme(result: dict, readme: Path = ROOT / "README.md") -> None:
    """Replace the benchmark block of the README (between the two markers) with the lesson table."""
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    rows = [
        f"Measured by `make benchmark` on {result['date']} ({result['machine']}); each lesson "
        f"{result.get('runs_per_lesson', 1)} times in a fresh kernel, the median and the range:",
        "",
        "| lesson | wall time (s) | range (s) | peak memory (MB) |",
        "|---|---:|---:|---:|",
    ]
    rows += [f"| {r['lesson']} | {r['seconds']:.1f} | {_range(r)} | {r['peak_mb']} |" for r in result["lessons"]]
    rows.append(f"| **all lessons** | **{result['total_seconds']:.1f}** | {_total_range(result)} | |")
    rows += ["", _verdict(result)]
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(head + README_START + "\n" + "\n".join(rows) + "\n" + README_END + tail, encoding="utf-8")


_RUNS_IN = re.compile(r"\*\*Runs in\*\* ~\d+ s")


def update_run_times(result: dict, readme: Path = ROOT / "README.md", notebooks: Path = NOTEBOOKS) -> None:
    """Write each measured lesson's run time into its header (``**Runs in** ~N s``) and the README's lesson map."""
    import nbformat

    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    for row in result["lessons"]:
        seconds = round(row["seconds"])
        path = notebooks / row["lesson"]
        nb = nbformat.read(path, as_version=4)
        header = nb.cells[0]
        new = _RUNS_IN.sub(f"**Runs in** ~{seconds} s", header.source, count=1)
        if new != header.source:
            header.source = new
            nbformat.write(nb, path)
        for i, line in enumerate(lines):
            if f"(notebooks/{row['lesson']})" in line:
                lines[i] = re.sub(r"\| \d+ s \|\s*$", f"| {seconds} s |\n", line)
    readme.write_text("".join(lines), encoding="utf-8")


#: Sections whose prose is not counted as the core path's (their ``## `` heading starts with one of these):
#: the optional depth, and the closing block a lesson ends with (review, questions, sources, Chinese summary).
OFF_CORE_HEADINGS = ("Going further", "Summary", "Check yourself", "Discussion", "References", "中文摘要")
#: The core-prose target of a lesson's shape ("about 2,000 words") and the ceiling the tests enforce.
CORE_WORDS_TARGET = 2000
CORE_WORDS_CEILING = 2200

_DETAILS = re.compile(r"<details>.*?</details>", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


def core_prose_words(nb) -> int:
    """Words of prose a learner reads on a lesson's core path.

    The header, Setup and the numbered core sections with their exercises: markdown cells only, leaving
    out the optional and closing sections (:data:`OFF_CORE_HEADINGS`), collapsed
    ``<details>`` blocks, formulas, link targets and HTML tags. A "word" starts with a Latin letter or a
    digit, so the Chinese of the glossary and headings is not counted.
    """
    words, core = 0, True
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for heading in re.findall(r"^## (.*)$", text, re.M):
            core = not heading.strip().startswith(OFF_CORE_HEADINGS)
        if not core:
            continue
        text = _MATH.sub(" ", _TAG.sub(" ", _LINK_TARGET.sub("]", _DETAILS.sub(" ", text))))
        words += len(_WORD.findall(text))
    return words


def cmd_words(paths: list[Path]) -> int:
    import nbformat

    for path in paths:
        n = core_prose_words(nbformat.read(path, as_version=4))
        flag = "" if n <= CORE_WORDS_CEILING else f"  (over the ceiling of {CORE_WORDS_CEILING:,})"
        print(f"{path.name:45s} {n:6,d} words of core prose{flag}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_exec = sub.add_parser("execute", help="re-execute lessons in place, each in a fresh kernel")
    p_exec.add_argument("notebooks", nargs="*")
    p_bench = sub.add_parser("benchmark", help="time every lesson and record peak memory")
    p_bench.add_argument("notebooks", nargs="*")
    p_bench.add_argument("--repeat", type=int, default=3, help="runs per lesson; the median is reported (default 3)")
    p_words = sub.add_parser("words", help="count the words of core prose per lesson")
    p_words.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    paths = lesson_paths(args.notebooks)
    if args.command == "words":
        return cmd_words(paths)
    if args.command == "execute":
        return cmd_execute(paths)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    return cmd_benchmark(paths, repeat=args.repeat)


if __name__ == "__main__":
    raise SystemExit(main())
