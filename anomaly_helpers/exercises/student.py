"""Build student notebooks: solutions taken out, outputs dropped.

Usage (from the repository root)::

    python -m anomaly_helpers.exercises.student            # notebooks/ -> build/student/
    python -m anomaly_helpers.exercises.student SRC DST

In every code cell, each region between a line ``### BEGIN SOLUTION`` and a line
``### END SOLUTION`` (nbgrader's markers) is replaced by ``# YOUR CODE HERE`` with the
region's indentation — exactly what nbgrader's ``generate_assignment`` writes with the
course's configuration (``tools/grading.py``), so both give a learner the same notebook:

* at the top level of a cell, the exercise cell keeps its ``answer = ...`` line above the
  region, so the check reports "not attempted";
* inside a function body, the function keeps its docstring above the region (every function
  exercise has one), so the body stays valid Python; a function that does nothing is reported
  "not attempted" by the check until the learner writes the body.

Unbalanced or nested markers are an error that names the notebook and the cell.
Notebooks are handled as plain JSON, so this needs no Jupyter package.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

__all__ = [
    "BEGIN",
    "END",
    "strip_solutions",
    "without_test_tags",
    "make_student_notebook",
    "build_student_notebooks",
    "MarkerError",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (BEGIN|END) SOLUTION)[ \t]*$")


class MarkerError(ValueError):
    """Unbalanced or nested solution markers."""


def strip_solutions(source: str, where: str = "cell") -> str:
    """Replace every marked solution region in ``source`` by a placeholder.

    Parameters
    ----------
    source : str
        The code of one cell.
    where : str
        Names the cell in error messages (e.g. "02_data_preprocessing.ipynb, cell 14").

    Returns
    -------
    str
        The code with every region replaced (unchanged if it has no markers).
    """
    out: list[str] = []
    inside = False
    begin_line = 0
    for number, line in enumerate(source.splitlines(), start=1):
        m = _MARKER.match(line)
        if m and m["marker"] == BEGIN:
            if inside:
                raise MarkerError(
                    f"{where}: line {number} opens a solution region inside the one opened at line {begin_line}; close it with '{END}' first."
                )
            inside, begin_line = True, number
            indent = m["indent"]
            out.append(f"{indent}# YOUR CODE HERE")
        elif m and m["marker"] == END:
            if not inside:
                raise MarkerError(
                    f"{where}: line {number} closes a solution region that was never opened ('{BEGIN}' missing)."
                )
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(
            f"{where}: the solution region opened at line {begin_line} is never closed; add a line '{END}'."
        )
    text = "\n".join(out)
    return text + ("\n" if source.endswith("\n") else "")


def without_test_tags(nb: dict) -> dict:
    """Return a copy of a notebook (as a JSON dict) without the test suite's cell tags (``nbval-*``).

    They tell nbval how to compare a cell's outputs; a learner's copy, a site page and nbgrader's
    source notebook have no use for them.
    """
    out = copy.deepcopy(nb)
    for cell in out.get("cells", []):
        tags = cell.get("metadata", {}).get("tags")
        if tags is not None:
            kept = [t for t in tags if not t.startswith("nbval-")]
            if kept:
                cell["metadata"]["tags"] = kept
            else:
                del cell["metadata"]["tags"]
    return out


def make_student_notebook(nb: dict, name: str = "notebook") -> dict:
    """Return a student copy of a notebook (as a JSON dict): solutions replaced, outputs and the test suite's
    cell tags dropped (:func:`without_test_tags`)."""
    student = without_test_tags(nb)
    for index, cell in enumerate(student.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        cell["source"] = strip_solutions(text, where=f"{name}, cell {index}")
        cell["outputs"] = []
        cell["execution_count"] = None
    return student


def build_student_notebooks(src: str | Path = "notebooks", dst: str | Path = "build/student") -> list[Path]:
    """Write a student version of every ``NN_*.ipynb`` in ``src`` to ``dst``.

    Returns
    -------
    list of Path
        The written notebooks, in lesson order.
    """
    src, dst = Path(src), Path(dst)
    if not src.is_dir():
        raise ValueError(
            f"src {str(src)!r} is not a folder; pass the folder holding the lessons (default 'notebooks')."
        )
    paths = sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError(f"src {str(src)!r} holds no lesson notebooks named NN_*.ipynb.")
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        student = make_student_notebook(nb, name=path.name)
        target = dst / path.name
        target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write student notebooks with the solutions taken out.")
    parser.add_argument("src", nargs="?", default="notebooks")
    parser.add_argument("dst", nargs="?", default="build/student")
    args = parser.parse_args(argv)
    try:
        written = build_student_notebooks(args.src, args.dst)
    except MarkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
